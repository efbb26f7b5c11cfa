"""Pilot: an F-key pressed while a picker or another modal is open goes where it says — the
modal closes as Esc would (the picker's choice cancelled) — unless the modal holds text the
coder typed, which stays open with a notice."""

from __future__ import annotations

import pytest
from conftest import TURNS, open_transcript
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.tui.widgets.coder import CoderPicker
from qualtool.tui.widgets.picker import CodePicker
from qualtool.tui.widgets.text_editor import TextEditor
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    return empty_study


def codings(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM codings").fetchone()[0])


async def test_f_key_in_the_code_picker_cancels_it_and_opens_the_screen(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot)
        transcript = app.screen
        await pilot.press("c")
        sel = app.screen.query_one("#selector")
        sel.move_cursor((0, 0))
        for _ in range(6):
            await pilot.press("shift+right")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("tab")  # a code marked: cancelled with the picker, not applied
        await pilot.press("f2")
        await pilot.pause()
        assert app.current_mode == "codebook"
        assert not isinstance(app.screen, ModalScreen)
        assert codings(ws) == 0
        await pilot.press("escape")  # back to the recordings mode: the transcript kept its
        await pilot.pause()  # place, the picker is gone
        assert app.screen is transcript
        assert not any(isinstance(s, ModalScreen) for s in app.screen_stack)


async def test_every_f_key_from_the_coder_picker_and_help(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        for key, mode in (("f3", "search"), ("f4", "suggestions"), ("f5", "agreement"),
                          ("f6", "export"), ("f7", "analysis"), ("f8", "code_view"),
                          ("f9", "dashboard")):  # fmt: skip
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert isinstance(app.screen, CoderPicker)
            await pilot.press("b", "o", "r")  # a filter, not work: it may go
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode and not isinstance(app.screen, CoderPicker), key
            assert app.coder == "anna"
            if mode == "code_view":  # the quotes screen asks which code: its own picker
                assert isinstance(app.screen, CodePicker)
                await pilot.press("f9")
                await pilot.pause()
                assert app.current_mode == "dashboard" and not isinstance(app.screen, ModalScreen)
        await pilot.press("f1")  # help over a screen, then F2: help closes, the codebook opens
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert app.current_mode == "codebook" and not isinstance(app.screen, ModalScreen)


async def test_typed_text_is_not_thrown_away_by_an_f_key(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(TextEditor("memo", "старый текст"))
        await pilot.pause()
        await pilot.press("f2")  # nothing typed yet: closes like Esc
        await pilot.pause()
        assert app.current_mode == "codebook" and not isinstance(app.screen, ModalScreen)
        got: list[str | None] = []
        app.push_screen(TextEditor("memo", "старый текст"), got.append)
        await pilot.pause()
        app.screen.query_one(TextArea).insert(" и новый")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, TextEditor) and app.current_mode == "codebook"
        assert any("typed" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert got == ["старый текст и новый"]
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = "x"
        await pilot.press("f3")
        await pilot.pause()
        assert app.current_mode == "search"
