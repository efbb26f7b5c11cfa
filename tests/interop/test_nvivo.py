"""A real NVivo 12.6 (Windows) export: UTF-16 positions on `\r\n` text (tests/data/README.md)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from interop_data import DATA, fresh_study, pack

from qualtool.interop.offsets import OffsetModel, PositionMap, mid_word
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.interop.qdpx_read import read_qdpx
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace

NVIVO = DATA / "nvivo"


def quotes(ws: Workspace) -> dict[str, set[str]]:
    cb = load_codebook(ws.db)
    out: dict[str, set[str]] = {}
    for r in ws.db.query("SELECT code_id, quote FROM codings"):
        out.setdefault(cb.get(r["code_id"]).label_ru, set()).add(r["quote"])
    return out


@pytest.fixture
def new_study(tmp_path: Path) -> Iterator[Workspace]:
    yield from fresh_study(tmp_path)


def test_nvivo_codings_land_on_the_words_nvivo_meant(new_study: Workspace, tmp_path: Path) -> None:
    report = import_qdpx(new_study, pack(NVIVO, tmp_path / "nvivo.qdpx"))
    assert report.producer == "NVivo" and report.offsets == str(OffsetModel.UTF16)
    assert len(report.sources) == 1 and report.selections == 9 and report.codings == 9
    assert report.mid_word == 0 and not report.warnings() and not report.problems
    cb = load_codebook(new_study.db)
    assert len(cb) == 19 and len(report.new_codes) == 19  # every code, hierarchy kept
    piros = next(c for c in cb.codes if c.label_ru == "piros")
    assert cb.get(piros.parent_id or "").label_ru == "2. Attitűd szint az oltáshoz"
    safety = next(c for c in cb.codes if c.label_ru == "Safety concern")
    assert [a.label_ru for a in cb.ancestors(safety.id)] == ["Attituderoots", "7. Fear and phobias"]
    assert safety.definition and safety.definition.startswith("Fear is induced")
    q = quotes(new_study)
    # spot checks: whole comments, after emoji (two UTF-16 units each) and `\r\n` line ends
    assert q["piros"] == {
        "Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlátolt agyi kapacitással "
        "rendelkező emberhulladék hozhat aki nem szaporodhat és nem élhet."
    }
    assert q["bizalmatlanság"] == {"Csak annak a statisztikának hiszek amit én hamisítok!"}
    assert q["politikusokkal szembeli bizalmatlanság"] == {
        "A Politikusoknak kötemező, ja leszavazták maguknak!"
    }
    assert next(iter(q["Safety concern"])).startswith("de szivesen belénk basznatok")
    coders = {r[0] for r in new_study.db.execute("SELECT DISTINCT coder_id FROM codings")}
    assert coders == {"gergo"}  # the Coding's creatingUser, by name


def test_the_old_reading_cut_words_and_the_check_sees_it(tmp_path: Path) -> None:
    proj = read_qdpx(pack(NVIVO, tmp_path / "n.qdpx"))
    src = proj.sources[0]
    raw = src.text or ""
    flat = raw.replace("\r\n", "\n")
    old = sum(mid_word(flat, s.start, s.end) for s in src.selections)  # main's reading
    pm = PositionMap.build(raw, OffsetModel.UTF16)
    new = sum(mid_word(raw, pm.index(s.start) or 0, pm.index(s.end) or 0) for s in src.selections)
    assert old >= 9 and new == 0


def _variant(tmp_path: Path, change: Callable[[str], str]) -> Path:
    folder = tmp_path / "variant"
    shutil.copytree(NVIVO, folder)
    qde = folder / "project.qde"
    qde.write_text(change(qde.read_text(encoding="utf-8")), encoding="utf-8")
    return pack(folder, tmp_path / "variant.qdpx")


def test_unknown_producer_with_nvivo_positions_is_read_right_and_said(
    new_study: Workspace, tmp_path: Path
) -> None:
    qdpx = _variant(tmp_path, lambda x: x.replace("NVivo for Windows 12.6", "Some Tool 2.0"))
    report = import_qdpx(new_study, qdpx)
    assert report.producer == "other" and report.offsets == str(OffsetModel.UTF16)
    assert report.mid_word == 0 and any("read as UTF-16 units" in p for p in report.problems)
    assert quotes(new_study)["bizalmatlanság"] == {
        "Csak annak a statisztikának hiszek amit én hamisítok!"
    }


def test_offsets_no_model_explains_are_counted_and_warned(
    new_study: Workspace, tmp_path: Path
) -> None:
    qdpx = _variant(tmp_path, lambda x: x.replace('startPosition="3427" endPosition="3509"',
                                                  'startPosition="3430" endPosition="3505"'))  # fmt: skip
    report = import_qdpx(new_study, qdpx)
    assert report.mid_word == 1 and report.codings == 9
    assert report.warnings() == [
        "1 of 9 selection(s) start or end inside a word (NVivo, UTF-16 units): check those codings"
    ]
