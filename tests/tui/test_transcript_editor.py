"""Pilot: the one-line editor under a transcript. `e` puts the cursor at the end of the turn
(the first key typed used to replace the whole text: everything was selected on focus), and a
split (`x`) only moves the cursor — typed keys change nothing, so the cut falls where the
coder sees it."""

from __future__ import annotations

from conftest import TURNS, open_transcript
from textual.widgets import Input

from qualtool.recordings.corpus import add_text_recording
from qualtool.store.transcripts import get_transcript
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


def texts(ws: Workspace) -> list[str]:
    rec = ws.db.execute("SELECT id FROM recordings WHERE key = 'idi-x'").fetchone()[0]
    t = get_transcript(ws.db, rec)
    assert t is not None
    return [s.text for s in t.segments]


async def test_typing_in_the_text_editor_appends(empty_study: Workspace) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    app = QualtoolApp(empty_study, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, row=2)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*" Долго.")
        assert app.screen.query_one("#editor", Input).value == TURNS[2][1] + " Долго."
        await pilot.press("enter")
        await pilot.pause()
    assert texts(empty_study)[2] == TURNS[2][1] + " Долго."


async def test_a_split_ignores_typed_keys(empty_study: Workspace) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    app = QualtoolApp(empty_study, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, row=2)
        await pilot.press("x")
        await pilot.pause()
        editor = app.screen.query_one("#editor", Input)
        editor.cursor_position = len("Портал завис.")
        await pilot.press("y", "backspace", "delete")  # nothing to edit here
        await pilot.pause()
        assert editor.value == TURNS[2][1]
        editor.cursor_position = len("Портал завис. ")
        await pilot.press("enter")
        await pilot.pause()
    assert texts(empty_study)[2:] == ["Портал завис.", "Очередь была два часа."]
