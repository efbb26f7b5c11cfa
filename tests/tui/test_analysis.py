"""Pilot: the tables screen (F7) at 80 columns shows whole code ids. It used to fill the
table twice before the first paint (mount, then resume), and the cleared columns kept the
width of their headers: «BUR» for BUR.EXTRA_DOCS, «Требован» for its label."""

from __future__ import annotations

from conftest import seed_snapshot_study
from textual.widgets import DataTable

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_tables_show_whole_codes_at_80_columns(empty_study: Workspace) -> None:
    seed_snapshot_study(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        assert "Частота кодов по услугам" in app.screen.sub_title
        table = app.screen.query_one("#table", DataTable)
        assert table.render_line(1).text.split()[0] == "BUR.EXTRA_DOCS"  # the model is right…
        shown = app.export_screenshot().replace("&#160;", " ")
        assert shown.count("BUR.EXTRA_DOCS") == 2, "…and so is the screen: the table and the chart"
