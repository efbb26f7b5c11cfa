"""Anonymising reaches the names a suggestion's reason quotes (a team coding it resembles),
and the reason stays in its stored form: still read in each coder's language afterwards."""

from __future__ import annotations

from qualtool.domain import reason as why
from qualtool.i18n import set_language
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Айгерим Нурлановна, очередь была большая."


def test_names_in_a_structured_reason_are_pseudonymised(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-r", [("R01", TEXT), ("R01", "Долго ждали в ЦОНе.")])
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    stored = why.encode([[why.piece(why.WORDS, words="ждать")],
                         [why.piece(why.LIKE_CODED, text=TEXT, similarity=0.61)]])  # fmt: skip
    sug_store.propose(ws.db, [{"segment_id": sid, "code_id": "ACC.QUEUE", "start": 0,
                               "end": 5, "quote": "Долго", "score": 0.5, "reason": stored}])  # fmt: skip
    anonymise(ws, study_vault(ws))
    after = sug_store.queue(ws.db)[0]
    assert "Айгерим" not in after.reason and "Нурлановн" not in after.reason
    assert why.decode(after.reason) is not None
    set_language("ru")
    assert after.why.startswith("слова: ждать; похоже на кодировку команды «Меня принимала Имя-")
