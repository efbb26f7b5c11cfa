"""The agreement screen says which transcripts entered the figure, and on what basis."""

from __future__ import annotations

from test_assignments import synthetic
from textual.widgets import Static

from qualtool.team import assignments
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_screen_lists_transcripts_in_the_figure(empty_study: Workspace) -> None:
    synthetic(empty_study)
    assignments.assign(empty_study, "t2", "boris", done=True)
    app = QualtoolApp(empty_study, coder="lead")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        widget = app.screen.query_one("#status", Static)
        status = str(widget.render())
        assert widget.size.height >= 2  # the «in the figure» line is on screen, not cut off
        assert "t1: 3 of 6 segments (anna coded #2–#5, boris coded #3–#5)" in status
        assert "t2: 2 of 3 segments (anna coded #0–#1, boris done, nothing coded)" in status
        assert app.screen.query_one("#scores").get_row_at(1)[2] == "60.0"  # type: ignore[attr-defined]
