"""Pilot: the recordings filter (`f`). Enter keeps the filter and returns to the list, as its
hint says; it used to open the transcript under the cursor (the table's Enter has priority)."""

from __future__ import annotations

from conftest import seed_snapshot_study
from textual.widgets import DataTable

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_enter_in_the_filter_keeps_it(empty_study: Workspace) -> None:
    seed_snapshot_study(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", *"fg-")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        table = app.screen.query_one(DataTable)
        assert table.has_focus and table.row_count == 1
        await pilot.press("enter")  # now it opens the one recording left
        await pilot.pause()
        assert type(app.screen).__name__ == "TranscriptScreen"
