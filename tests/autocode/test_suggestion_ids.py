"""Suggestion ids are never reused, so undoing a code deletion still works after auto-coding
ran in between (a walkthrough found «changed outside the undo history» there)."""

from __future__ import annotations

from pathlib import Path

from qualtool.autocode import suggest as autocode
from qualtool.coding import history
from qualtool.coding.codebook import delete_code
from qualtool.domain import Method
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace

TURNS = [
    ("SPEAKER_00", "Расскажите, как вы оформляли пособие?"),
    ("SPEAKER_01", "В ЦОНе была огромная очередь, я простояла три часа, талонов не было."),
    ("SPEAKER_00", "А портал?"),
    ("SPEAKER_01", "Портал постоянно зависал, меня выбрасывало из системы, ЭЦП не срабатывала."),
]
MORE = [
    ("SPEAKER_00", "А сотрудники?"),
    ("SPEAKER_01", "Сотрудница на меня накричала и нагрубила, разговаривала очень неуважительно."),
]


def test_undo_a_code_deletion_after_auto_coding_ran(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-a", TURNS[2:], method=Method.INTERVIEW)
    autocode.suggest(ws.db, load_codebook(ws.db), threshold=0.01)
    first = {s.id for s in sug_store.queue(ws.db)}
    add_text_recording(ws.db, "idi-b", TURNS[:2], method=Method.INTERVIEW)
    autocode.suggest(ws.db, load_codebook(ws.db), threshold=0.01)
    queue = {s.id: s.code_id for s in sug_store.queue(ws.db)}
    gone = next(i for i, code in queue.items() if code == "ACC.QUEUE")  # for the queue
    assert gone > max(first), queue  # handed out by the second run
    delete_code(ws, "ACC.QUEUE")  # drops it
    add_text_recording(ws.db, "idi-c", MORE, method=Method.INTERVIEW)
    autocode.suggest(ws.db, load_codebook(ws.db), threshold=0.01)
    assert gone not in {s.id for s in sug_store.queue(ws.db)}  # its id was not handed out again
    history.undo(ws)  # the deletion comes back, with its suggestion
    assert "ACC.QUEUE" in {c.id for _, c in load_codebook(ws.db).walk()}
    assert sug_store.get_suggestion(ws.db, gone).code_id == "ACC.QUEUE"


def test_migrated_table_keeps_the_columns(empty_study: Workspace) -> None:
    cols = [r[1] for r in empty_study.db.execute("PRAGMA table_info(suggestions)")]
    assert "base_score" in cols and cols[0] == "id"
    sql = empty_study.db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'suggestions'").fetchone()[0]  # fmt: skip
    assert "AUTOINCREMENT" in sql
    assert Path(empty_study.study.root).exists()
