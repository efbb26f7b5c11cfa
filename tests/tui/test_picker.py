"""Pilot: the code picker on the transcript screen filters case- and ё-blind and lists the
codes that fit the selected words first, then the coder's recent codes."""

from __future__ import annotations

import pytest
from conftest import TURNS, open_transcript
from textual.widgets import Input, OptionList

from qualtool.coding import apply_codes
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    return empty_study


async def test_picker_ranks_fit_then_recent_and_filters_case_blind(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    apply_codes(ws, sid, (0, 13), ["TECH.OUTAGE"], "anna")  # a recent code of anna's
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot)
        await pilot.press("c")
        sel = app.screen.query_one("#selector")
        text = TURNS[1][1]
        sel.move_cursor((0, text.index("каждый")))
        for _ in range(len("каждый раз требовали новую справку")):
            await pilot.press("shift+right")
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert picker.__class__.__name__ == "CodePicker"
        ol = picker.query_one(OptionList)
        first = ol.get_option_at_index(0).id
        assert first is not None and picker.fit[first.removesuffix("#top")] == max(
            picker.fit.values()
        )
        assert "★" in str(ol.get_option_at_index(0).prompt)
        head = [ol.get_option_at_index(i).id.removesuffix("#top") for i in range(8)]
        assert "TECH.OUTAGE" in head  # recent
        picker.query_one(Input).value = "ПОРТАЛ"
        await pilot.pause()
        assert "портал" in str(ol.get_option_at_index(0).prompt).lower()
        picker.query_one(Input).value = "очеред"
        await pilot.pause()
        assert ol.option_count and "очеред" in str(ol.get_option_at_index(0).prompt).lower()
        await pilot.press("escape")
