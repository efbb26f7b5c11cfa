"""The Pilot steps the TUI tests repeat (tests/tui/, and the review's in tests/privacy/): the app
open on the screen an F-key shows, a key and the pause that lets the app settle after it, words
answered to the question or picker on top, a text replaced in the editor a key opens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


@asynccontextmanager
async def app_on(ws: Workspace, key: str, size: tuple[int, int] = (120, 30),
                 **options: Any) -> AsyncIterator[tuple[QualtoolApp, Pilot[Any]]]:  # fmt: skip
    """The app (coder anna, unless `options` say otherwise) run at `size`, on the screen the
    F-key `key` shows."""
    app = QualtoolApp(ws, **{"coder": "anna", **options})
    async with app.run_test(size=size) as pilot:
        await press(pilot, key)
        yield app, pilot


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """The keys, then a pause: the screen they push, the table they reload, is there after."""
    await pilot.press(*keys)
    await pilot.pause()


async def answer(pilot: Pilot[Any], words: str) -> None:
    """`words` in the input of the screen on top (a question, a picker's filter), then Enter."""
    pilot.app.screen.query_one(Input).value = words
    await pilot.pause()
    await press(pilot, "enter")


async def edit(pilot: Pilot[Any], key: str, text: str) -> None:
    """`key` opens an editor; `text` replaces what it holds, and ctrl+s saves it."""
    await press(pilot, key)
    pilot.app.screen.query_one(TextArea).text = text
    await press(pilot, "ctrl+s")
