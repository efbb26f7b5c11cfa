"""A real MAXQDA 24 export: a colour-coded two-level codebook with descriptions, and Sets of
documents (tests/data/README.md). Only one document's text is shipped with the fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from interop_data import DATA, fresh_study, pack
from ruamel.yaml import YAML

from qualtool.files.codebook import load_codebook as load_file
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace


@pytest.fixture
def new_study(tmp_path: Path) -> Iterator[Workspace]:
    yield from fresh_study(tmp_path)


def test_maxqda_codebook_and_sets_into_a_new_study(new_study: Workspace, tmp_path: Path) -> None:
    assert not new_study.study.codebook_path.exists()  # `qualtool init` made none
    report = import_qdpx(new_study, pack(DATA / "maxqda", tmp_path / "m.qdpx"))
    assert report.producer == "MAXQDA" and report.codings == 0 and report.selections == 0
    assert report.sources == ["icls-2024-3-10"]
    assert sum("no text found" in p for p in report.problems) == 9  # texts not in the fixture
    cb = load_codebook(new_study.db)
    assert len(cb) == 17 and len(cb.roots()) == 2 and len(report.new_codes) == 17
    assessments = next(c for c in cb.codes if c.label_ru == "Assessments")
    kids = cb.children(assessments.id)
    assert [k.label_ru for k in kids][:2] == ["ASSMNT - Affective Outcomes",
                                              "ASSMNT - Authentic Assessment"]  # fmt: skip
    assert {k.color for k in kids} == {"#32bd59"} and assessments.color == "#32bd59"
    assert kids[-1].definition and kids[-1].definition.startswith("Use this code when the paper")
    # the codebook file is the truth: it validates and holds the Sets as groups
    assert len(load_file(new_study.study.codebook_path)) == 17
    doc = YAML().load(new_study.study.codebook_path.read_text(encoding="utf-8"))
    groups = {g["name"]: g for g in doc["groups"]}
    assert set(groups) == {"ICLS 2024", "ICLS 2025"}
    assert list(groups["ICLS 2024"]["sources"]) == ["icls-2024-3-10"]
    text = new_study.db.execute("SELECT text FROM segments ORDER BY idx LIMIT 1").fetchone()[0]
    assert text.startswith("Mapping the Complexity of Learning")


def test_reimport_adds_nothing(new_study: Workspace, tmp_path: Path) -> None:
    qdpx = pack(DATA / "maxqda", tmp_path / "m.qdpx")
    import_qdpx(new_study, qdpx)
    before = new_study.study.codebook_path.read_text(encoding="utf-8")
    again = import_qdpx(new_study, qdpx)
    assert again.sources == [] and again.new_codes == []
    assert new_study.study.codebook_path.read_text(encoding="utf-8") == before
