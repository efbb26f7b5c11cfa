"""Each coder's decision on a suggestion in a row of its own (`suggestion_decisions`, m1215t),
kept in step with the queue row by triggers: deciding, undeciding, merging codes."""

from __future__ import annotations

from qualtool.recordings.corpus import add_text_recording
from qualtool.store import layers as rows
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import fold_code
from qualtool.workspace.study import Workspace

TEXT = "Очередь была большая, ждали два часа."


def _one(ws: Workspace) -> tuple[int, int]:
    add_text_recording(ws.db, "idi-x", [("R01", TEXT)])
    sid = ws.db.execute("SELECT id FROM segments").fetchone()[0]
    sug_store.propose(ws.db, [{"segment_id": sid, "code_id": "ACC.QUEUE", "start": 0,
                               "end": len(TEXT), "quote": TEXT, "score": 0.8,
                               "reason": "words: очередь"}])  # fmt: skip
    gid = ws.db.execute("SELECT id FROM suggestions").fetchone()[0]
    return int(sid), int(gid)


def _decisions(ws: Workspace) -> set[tuple[str, str, str]]:
    return {(r[0], r[1], r[2]) for r in ws.db.execute(
        "SELECT code_id, coder_id, status FROM suggestion_decisions")}  # fmt: skip


def test_two_coders_decisions_and_one_undone(empty_study: Workspace) -> None:
    ws = empty_study
    sid, gid = _one(ws)
    with ws.db.atomic():
        sug_store.decide(ws.db, gid, sug_store.REJECTED, "boris")
    rec = {"code": "ACC.QUEUE", "start": 0, "end": len(TEXT), "quote": TEXT, "score": 0.8,
           "reason": "words: очередь", "status": "accepted"}  # fmt: skip
    rows.restore_decision(ws.db, sid, rec, "anna")  # pulled: boris's row is not overwritten
    assert _decisions(ws) == {("ACC.QUEUE", "boris", "rejected"), ("ACC.QUEUE", "anna", "accepted")}
    assert sug_store.get_suggestion(ws.db, gid).status == "rejected"
    rows.undecide(ws.db, sid, "ACC.QUEUE", "boris")  # the queue row shows anna's now
    assert _decisions(ws) == {("ACC.QUEUE", "anna", "accepted")}
    assert sug_store.get_suggestion(ws.db, gid).status == "accepted"
    rows.undecide(ws.db, sid, "ACC.QUEUE", "anna")
    assert _decisions(ws) == set()
    assert sug_store.get_suggestion(ws.db, gid).status == "pending"


def test_merging_codes_moves_every_coders_decision(empty_study: Workspace) -> None:
    ws = empty_study
    sid, gid = _one(ws)
    with ws.db.atomic():
        sug_store.decide(ws.db, gid, sug_store.REJECTED, "boris")
    rec = {"code": "ACC.QUEUE", "start": 0, "end": len(TEXT), "quote": TEXT, "status": "accepted"}
    rows.restore_decision(ws.db, sid, rec, "anna")
    with ws.db.atomic():
        fold_code(ws.db, "ACC.QUEUE", "TECH.AUTH")
        ws.db.execute("DELETE FROM codes WHERE id = 'ACC.QUEUE'")  # as the codebook sync does
    assert _decisions(ws) == {("TECH.AUTH", "boris", "rejected"), ("TECH.AUTH", "anna", "accepted")}
