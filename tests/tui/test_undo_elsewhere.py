"""A screen shown again after another screen changed the study's history shows the change: a
coding made in the transcript and undone on F2 (the codebook) was still drawn in the
transcript — and `d` there acted on a coding that no longer existed — until it was reopened."""

from __future__ import annotations

from conftest import TURNS, open_transcript
from textual.widgets import DataTable

from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


def row_texts(app: QualtoolApp) -> list[str]:
    table = app.screen.query_one("#segments", DataTable)
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def test_an_undo_on_another_screen_shows_in_the_transcript(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-x", TURNS)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_transcript(pilot, row=2)
        await pilot.press("c", "ctrl+a", "enter")
        await pilot.pause()
        await pilot.press(*"очеред", "enter")
        await pilot.pause()
        assert "[ACC.QUEUE]" in row_texts(app)[2]
        await pilot.press("f2", "ctrl+z")  # undone on the codebook screen
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "TranscriptScreen"
        assert "[ACC.QUEUE]" not in row_texts(app)[2]
        await pilot.press("f10", "ctrl+y", "f9")  # and redone on another
        await pilot.pause()
        assert "[ACC.QUEUE]" in row_texts(app)[2]
