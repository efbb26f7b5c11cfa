"""Pilot: the export screen's «Only codes» takes a parent code as its branch, as `qualtool
report --code BUR` does — «BUR» exported nothing («nothing coded in this selection yet»),
since coders code the leaves (BUR.EXTRA_DOCS)."""

from __future__ import annotations

from pathlib import Path

from conftest import seed_snapshot_study
from textual.widgets import Input, Select

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_only_codes_bur_exports_its_sub_codes(empty_study: Workspace, tmp_path: Path) -> None:
    seed_snapshot_study(empty_study)  # BUR.EXTRA_DOCS coded by anna and boris
    out = tmp_path / "цитаты.csv"
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.screen.query_one("#format", Select).value = "csv"
        app.screen.query_one("#out", Input).value = str(out)
        app.screen.query_one("#codes", Input).value = "BUR"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert not errors, errors
    text = out.read_text(encoding="utf-8-sig")
    assert "BUR.EXTRA_DOCS" in text and "каждый раз требовали новую справку" in text
