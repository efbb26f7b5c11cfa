"""The REFI-QDA «ATLAS.ti standard project» (ATLAS.ti 8.4, macOS): real project XML, source
texts rebuilt around the quotations ATLAS.ti names (tests/data/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from interop_data import DATA, fresh_study, pack
from ruamel.yaml import YAML

from qualtool.interop.qdpx_import import import_qdpx
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import list_memos
from qualtool.workspace.study import Workspace


@pytest.fixture
def new_study(tmp_path: Path) -> Iterator[Workspace]:
    yield from fresh_study(tmp_path)


def test_atlasti_8_standard_project(new_study: Workspace, tmp_path: Path) -> None:
    ws = new_study
    report = import_qdpx(ws, pack(DATA / "atlasti-8", tmp_path / "a.qdpx", qde="Project.qde"))
    assert report.producer == "ATLAS.ti" and report.offsets == "code points"
    # four text documents and the video's transcript (the same text, with its SyncPoints)
    assert len(report.sources) == 5 and report.mid_word == 0
    assert report.selections == 6 and report.codings == 7
    assert report.memos == 3  # the quotation comment and the two memos (Notes)
    problems = "\n".join(report.problems)
    for skipped in ("1960s Coca Cola commercial - Audio.docx: no text found",
                    "cornflakes-n-milk.jpg: a PictureSource", "a PDFSource",
                    "2 time-only selections", "Jeanine's Breakfast.m4a: no text found"):  # fmt: skip
        assert skipped in problems
    cb = load_codebook(ws.db)
    assert len(cb) == 14 and {c.color for c in cb.codes} >= {"#F00082", "#966450"}
    label = {c.id: c.label_ru for c in cb.codes}
    coded = {(label[r["code_id"]], r["quote"]) for r in ws.db.query(
        "SELECT code_id, quote FROM codings")}  # fmt: skip
    assert ("Coke::diet Coke", "Oh, that was great. See you tomorrow? Eleven thirty. Mm.") in coded
    assert ("Feelings", "I did try the gluten free bread, but it was always so soggy,") in coded
    happiness = sorted(q for name, q in coded if name == "happiness")
    assert happiness[0].startswith("But to be honest, I used to have a much bigger breakfast")
    assert happiness[1].startswith("I'm a single mum with an 8 month old")
    coders = {r[0] for r in ws.db.execute("SELECT DISTINCT coder_id FROM codings")}
    assert coders == {"friedrich-markgraf"}
    # the transcript's times come from ATLAS.ti's SyncPoints (ms)
    rec = rec_store.get_recording(ws.db, "1994-diet-coke-diet-coke-break-mp4")
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    assert t is not None
    quote = next(s for s in t.segments if s.text.startswith("Oh, that was great"))
    assert (quote.start, quote.end) == (37.268, 40.348)
    memos = {m.text.strip() for m in list_memos(ws.db)}
    assert "This is a great project by a dynamic team of researcher-developers." in memos
    doc = YAML().load(ws.study.codebook_path.read_text(encoding="utf-8"))
    groups = {g["name"]: g for g in doc["groups"]}
    assert len(groups) == 16 and len(groups["Feelings"]["codes"]) == 6
    assert list(groups["Simon"]["sources"]) == ["simon-docx"]
