"""Team coding: agreement on real layers, disagreements, consensus, and merging coder layers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualtool.coding.editing import edit_segment_text
from qualtool.coding.history import redo, undo
from qualtool.domain import Coding, Memo
from qualtool.domain.errors import InvalidInput
from qualtool.files.codebook import load_codebook
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codebook import sync_codebook
from qualtool.store.codings import add_coding, add_memo, codings_for_segment
from qualtool.store.db import open_db
from qualtool.team import agreement as agr
from qualtool.team.exchange import export_coder, import_coder, problem_text
from qualtool.workspace.study import Workspace

TURNS = [
    ("R01", "Три раза ходила в ЦОН. Каждый раз просили новую справку."),
    ("R01", "Портал завис, и я стояла в очереди два часа."),
    ("R01", "Сотрудники грубо разговаривали."),
    ("R01", "В остальном всё нормально."),
]


def seg(ws: Workspace, idx: int, key: str = "idi-x") -> int:
    return int(ws.db.execute(
        "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id JOIN recordings "
        "r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?", [key, idx]).fetchone()[0])  # fmt: skip


def code(ws: Workspace, idx: int, code_id: str, coder: str, quote: str) -> Coding:
    sid = seg(ws, idx)
    text = ws.db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
    start = text.index(quote)
    return add_coding(ws.db, Coding(sid, code_id, coder, start, start + len(quote), ""))


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    w = empty_study
    code(w, 0, "BUR.EXTRA_DOCS", "anna", "Каждый раз просили новую справку.")
    code(w, 0, "BUR.EXTRA_DOCS", "boris", "просили новую справку")
    code(w, 0, "BUR.REPEAT_VISIT", "anna", "Три раза ходила в ЦОН.")
    code(w, 1, "TECH.OUTAGE", "anna", "Портал завис")
    code(w, 1, "TECH.OUTAGE", "boris", "Портал завис")
    code(w, 1, "ACC.QUEUE", "boris", "стояла в очереди два часа")
    code(w, 2, "STAFF.CONDUCT", "anna", "грубо разговаривали")
    code(w, 2, "STAFF.CONDUCT", "boris", "Сотрудники грубо разговаривали.")
    return w


def test_segment_agreement_by_hand(ws: Workspace) -> None:
    tid = ws.db.execute("SELECT transcript_id FROM segments WHERE id = ?",
                        [seg(ws, 0)]).fetchone()[0]  # fmt: skip
    # both marked the interview done: the uncoded last segment is an agreed absence too
    rep = agr.agreement(ws.db, ["anna", "boris"], finished={tid: {"anna", "boris"}})
    by = {s.code_id: s for s in rep.per_code}
    # TECH.OUTAGE: units = 4 segments; both coded segment 1, nobody the rest → perfect
    assert by["TECH.OUTAGE"].percent == 1.0 and by["TECH.OUTAGE"].kappa == pytest.approx(1.0)
    # ACC.QUEUE: boris yes on seg 1, otherwise both no → 3/4 agree; κ = 0 (anna never says yes)
    assert by["ACC.QUEUE"].percent == pytest.approx(0.75)
    assert by["ACC.QUEUE"].kappa == pytest.approx(0.0)
    assert by["ACC.QUEUE"].applied == {"anna": 0, "boris": 1}
    # pooled: 5 codes × 4 segments = 20 units, 2 disagreements
    assert rep.overall.units == 20 and rep.overall.percent == pytest.approx(18 / 20)
    # α by hand: 40 values, 8 "coded" (3 units both yes, 2 units one coder) → coincidences
    # o(1,0) = o(0,1) = 2; α = 1 − (n − 1)·Σo(c≠k) / Σ n_c·n_k = 1 − 39·4 / (2·8·32)
    assert rep.overall.alpha == pytest.approx(1 - 39 * 4 / (2 * 8 * 32))


def test_sentence_and_overlap_units(ws: Workspace) -> None:
    sent = {s.code_id: s for s in agr.agreement(ws.db, unit=agr.Unit.SENTENCE).per_code}
    assert sent["BUR.EXTRA_DOCS"].percent == 1.0  # both inside sentence 2 of segment 0
    strict = {s.code_id: s for s in agr.agreement(ws.db, unit=agr.Unit.OVERLAP,
                                                   threshold=0.9).per_code}  # fmt: skip
    loose = {s.code_id: s for s in agr.agreement(ws.db, unit=agr.Unit.OVERLAP,
                                                  threshold=0.5).per_code}  # fmt: skip
    # «просили новую справку» vs the whole sentence: IoU 21/33 ≈ 0.64
    assert loose["BUR.EXTRA_DOCS"].percent == 1.0 and strict["BUR.EXTRA_DOCS"].percent < 1.0
    assert strict["TECH.OUTAGE"].percent == 1.0  # identical spans


def test_disagreements_adjudication_and_consensus(ws: Workspace) -> None:
    open_ = agr.disagreements(ws.db)
    assert {(d.code_id, d.with_code) for d in open_} == {
        ("BUR.REPEAT_VISIT", ("anna",)), ("ACC.QUEUE", ("boris",))}  # fmt: skip
    added = agr.build_consensus(ws.db, by="lead")
    assert added == 3  # EXTRA_DOCS, OUTAGE, CONDUCT
    consensus = {c.code_id: c for i in range(3) for c in codings_for_segment(ws.db, seg(ws, i),
                                                                           "consensus")}  # fmt: skip
    assert consensus["BUR.EXTRA_DOCS"].quote == "просили новую справку"  # the common span
    d = next(d for d in open_ if d.code_id == "ACC.QUEUE")
    c = agr.adjudicate(ws.db, d.segment_id, d.code_id, True, "lead")
    assert c is not None and c.quote == "стояла в очереди два часа"
    d2 = next(d for d in open_ if d.code_id == "BUR.REPEAT_VISIT")
    agr.adjudicate(ws.db, d2.segment_id, d2.code_id, False, "lead", note="не повторный визит")
    assert agr.disagreements(ws.db) == []
    assert len(agr.disagreements(ws.db, include_settled=True)) == 2
    # the consensus layer is not a coder in the agreement table
    assert agr.agreement(ws.db).coders == ["anna", "boris"]


def test_agreement_needs_two_coders(empty_study: Workspace) -> None:
    with pytest.raises(InvalidInput):
        agr.agreement(empty_study.db)


def test_merge_layers_loses_nothing_and_is_idempotent(ws: Workspace, tmp_path: Path) -> None:
    add_memo(ws.db, Memo("code", "ACC.QUEUE", "очереди только по утрам", "boris"))
    layer = tmp_path / "boris.json"
    assert export_coder(ws, "boris", layer) == 4
    # the lead's copy: same study files, no boris codings, and an edited segment 2
    lead = Workspace(ws.study, open_db(tmp_path / "lead.db"))
    sync_codebook(lead.db, load_codebook(ws.study.codebook_path))
    add_text_recording(lead.db, "idi-x", TURNS)
    edit_segment_text(lead.db, seg(lead, 2), "Честно говоря, Сотрудники грубо разговаривали.")
    edit_segment_text(lead.db, seg(lead, 1), "Портал не работал, очередь была большая.")
    report = import_coder(lead, layer, conflicts_dir=tmp_path / "conflicts")
    # segment 1 changed under two quotes: both conflicts, reported and saved
    assert report.added == 2 and report.reanchored == 1 and len(report.conflicts) == 2
    saved = json.loads(report.conflicts_file.read_text())["conflicts"]  # type: ignore[union-attr]
    assert {c["code"] for c in saved} == {"TECH.OUTAGE", "ACC.QUEUE"}
    (moved,) = codings_for_segment(lead.db, seg(lead, 2), "boris")
    assert moved.quote == "Сотрудники грубо разговаривали."
    again = import_coder(lead, layer, conflicts_dir=tmp_path / "conflicts")
    assert again.added == 0 and again.already == 2
    assert lead.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 2
    assert lead.db.execute("SELECT text FROM memos").fetchone()[0] == "очереди только по утрам"


def test_import_reports_unknown_code_and_recording(ws: Workspace, tmp_path: Path) -> None:
    layer = tmp_path / "anna.json"
    export_coder(ws, "anna", layer)
    doc = json.loads(layer.read_text())
    doc["codings"][0]["code"] = "NOPE.CODE"
    doc["codings"][1]["recording"] = "idi-zzz"
    doc["codings"][1]["recording_sha256"] = "0"
    layer.write_text(json.dumps(doc, ensure_ascii=False))
    r = import_coder(ws, layer, conflicts_dir=tmp_path)
    problems = sorted(problem_text(c) for c in r.conflicts)
    assert problems[0].startswith("unknown code NOPE.CODE") and "unknown recording" in problems[1]
    assert r.already == len(doc["codings"]) - 2


def test_import_rejects_other_files(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"format": "something"}')
    with pytest.raises(InvalidInput):
        import_coder(ws, bad)
    bad.write_text("not json")
    with pytest.raises(InvalidInput):
        import_coder(ws, bad)


def test_consensus_again_changes_nothing(ws: Workspace) -> None:
    """Building the consensus a second time (another team member, the TUI's `c`) adds nothing,
    leaves every memo as it was and does not rewrite consensus.json; a passage the team ruled
    out stays ruled out even though every coder coded it."""
    outage = seg(ws, 1)
    agr.adjudicate(ws, outage, "TECH.OUTAGE", False, "lead", note="не сбой")
    assert agr.build_consensus(ws, by="lead") == 2  # EXTRA_DOCS, CONDUCT
    layer = ws.study.root / "codings" / "consensus.json"
    before = layer.read_bytes()
    assert agr.build_consensus(ws, by="boris") == 0
    assert layer.read_bytes() == before
    memos = [c.memo for i in range(3) for c in codings_for_segment(ws.db, seg(ws, i), "consensus")]
    assert memos == ["решение принял(а) lead: все кодировщики согласны"] * 2  # the study's language
    assert not codings_for_segment(ws.db, outage, "consensus")


def test_a_new_ruling_replaces_the_previous_one(ws: Workspace) -> None:
    """Colleagues settle the same passage differently (one said yes, the other, after a pull,
    says no): the latest decision stands alone in consensus.json — never a consensus coding
    and a «does not apply» for the same words — and undo brings the previous one back."""
    outage = seg(ws, 1)
    layer = ws.study.root / "codings" / "consensus.json"

    def decided() -> list[tuple[str, str]]:
        rows = json.loads(layer.read_text("utf-8"))[1:]
        return sorted((r["kind"], r["code"]) for r in rows  # a tombstone is no ruling
                      if r.get("code") == "TECH.OUTAGE" and r["kind"] != "deleted")  # fmt: skip

    assert agr.adjudicate(ws, outage, "TECH.OUTAGE", True, "lead") is not None
    assert decided() == [("coding", "TECH.OUTAGE")]
    assert agr.adjudicate(ws, outage, "TECH.OUTAGE", False, "boris") is None
    assert decided() == [("absent", "TECH.OUTAGE")]
    assert not codings_for_segment(ws.db, outage, "consensus")
    undo(ws)
    assert decided() == [("coding", "TECH.OUTAGE")]
    redo(ws)
    assert agr.adjudicate(ws, outage, "TECH.OUTAGE", True, "lead") is not None
    assert decided() == [("coding", "TECH.OUTAGE")]
    assert (outage, "TECH.OUTAGE") in agr.layers.settled(ws.db)
    assert not [d for d in agr.disagreements(ws.db, include_settled=True)
                if d.segment_id == outage and d.code_id == "TECH.OUTAGE"]  # fmt: skip
