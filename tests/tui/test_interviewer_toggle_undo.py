"""Pilot: the transcript's `i` (this speaker is / is not the interviewer) is undone by ctrl+z
like every other edit — it answered «nothing to undo» — and the suggestions queue stops
offering the new interviewer's turns at once, not after the next run."""

from __future__ import annotations

from textual.widgets import DataTable

from qualtool.files.speaker_map import load_speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Расскажите, как вы получали справку?"),
    ("R01", "Портал постоянно зависал, меня выбрасывало из системы."),
]


async def test_i_then_ctrl_z_puts_the_speaker_and_the_queue_back(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-t", TURNS)
    sid, text = ws.db.execute("SELECT id, text FROM segments WHERE idx = 1").fetchone()
    sug_store.propose(ws.db, [{"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0,
                               "end": len(text), "quote": text, "score": 0.5,
                               "reason": "words: зависал"}])  # fmt: skip
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # the only recording's transcript
        await pilot.pause()
        app.screen.query_one("#segments", DataTable).move_cursor(row=1)  # R01's turn
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert load_speaker_map(ws.study.root) == {"idi-t": {"R01": "interviewer"}}
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0  # not offered on its turns
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "нечего отменять" not in messages, messages
        assert not (ws.study.root / "speakers.yml").exists()
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
