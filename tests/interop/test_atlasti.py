"""ATLAS.ti (synthetic, to its documented export behaviour; tests/data/README.md): the project
file named after the project, no colours, a quotation comment without a code, a Case with
Variables and a code group as a Set, `\r\n` text with emoji (code-point positions)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop_data import DATA, fresh_study, pack
from ruamel.yaml import YAML

from qualtool.interop.qdpx_import import import_qdpx
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import list_memos
from qualtool.workspace.study import Workspace


@pytest.fixture
def new_study(tmp_path: Path) -> Iterator[Workspace]:
    yield from fresh_study(tmp_path)


def test_atlasti_project(new_study: Workspace, tmp_path: Path) -> None:
    ws = new_study
    report = import_qdpx(ws, pack(DATA / "atlasti", tmp_path / "a.qdpx", qde="Trial.qde"))
    assert report.producer == "ATLAS.ti" and report.offsets == "code points"
    assert report.sources == ["интервью-7-docx"] and report.mid_word == 0 and not report.problems
    assert (report.selections, report.codings, report.memos) == (4, 4, 1)
    cb = load_codebook(ws.db)
    assert [c.label_ru for c in cb.codes] == ["Документы", "Портал: сбой", "Очереди"]
    assert all(c.color is None for c in cb.codes)
    quotes = {(cb.get(r["code_id"]).label_ru, r["quote"], r["coder_id"])
              for r in ws.db.query("SELECT code_id, quote, coder_id FROM codings")}  # fmt: skip
    assert quotes == {
        ("Документы", "каждый раз просили новую справку", "dana-sadykova"),
        ("Портал: сбой", "Портал завис", "dana-sadykova"),
        ("Очереди", "стояла в очереди два часа", "dana-sadykova"),
        ("Портал: сбой", "стояла в очереди два часа", "dana-sadykova"),
    }
    assert [(m.target_type, m.target_id, m.text) for m in list_memos(ws.db)] == [
        ("segment", "интервью-7-docx#3", "Уточнить: какая ЭЦП, на каком шаге")]  # fmt: skip
    rec = rec_store.get_recording(ws.db, "интервью-7-docx")
    [person] = rec.participants
    assert person.pseudonym == "Респондентка 7"
    assert person.attributes == {"Возраст": "35-44", "Регион": "ВКО"}
    doc = YAML().load(ws.study.codebook_path.read_text(encoding="utf-8"))
    portal = next(c.id for c in cb.codes if c.label_ru == "Портал: сбой")
    assert [dict(g) for g in doc["groups"]] == [{"name": "Цифровые барьеры", "codes": [portal]}]
    # and the participant is in the study's files, not only the cache
    assert "Респондентка 7" in ws.study.manifest_path.read_text(encoding="utf-8")


def test_atlasti_26_video_project_is_reported_not_dropped(new_study: Workspace,
                                                           tmp_path: Path) -> None:  # fmt: skip
    """ATLAS.ti 26's video export (shape documented in Ornio-app/qdpx-toolkit findings):
    time-only VideoSelections have no text for qualtool; the import says so."""
    xml = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
           'name="Trial" origin="ATLAS.ti 26.1.2 (34883)" basePath="/Users/x/Desktop/Trial Media">'
           '<CodeBook><Codes><Code guid="A0000000-0000-4000-8000-000000000001" name="hello" '
           'isCodable="true"/></Codes></CodeBook><Sources><VideoSource '
           'guid="B0000000-0000-4000-8000-000000000001" name="Christos vagias-2.MP4" '
           'path="relative:///DD148A4A-B28B-4BC0-90D8-3D1FB587C8E5.mov"><VideoSelection '
           'guid="C0000000-0000-4000-8000-000000000001" begin="21477" end="21477" name="21s">'
           "<Description>Hello Trying this out</Description></VideoSelection></VideoSource>"
           "</Sources></Project>")  # fmt: skip
    qdpx = tmp_path / "Project.qdpx"
    with zipfile.ZipFile(qdpx, "w") as z:
        z.writestr("Trial.qde", xml)
    report = import_qdpx(new_study, qdpx)
    assert report.sources == [] and report.codings == 0 and report.new_codes
    assert any("1 time-only selection without" in p for p in report.problems)
    assert any("no text found" in p for p in report.problems)
