"""The command palette lists every command once, in both languages: Textual's own «Quit» sat
beside the app's «Quit (q)» key on every screen."""

from __future__ import annotations

import re

import pytest
from conftest import TURNS, open_transcript
from textual.command import CommandList

from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

QUIT = {"en": "Quit", "ru": "Выход"}


async def palette_titles(app: QualtoolApp, pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """Every command the palette offers on an empty query, as its title (no key, no help)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await app.workers.wait_for_complete()  # the palette gathers its commands in a worker
    await pilot.pause()
    commands = app.screen.query_one(CommandList)
    prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [re.sub(r" \([^)]*\)$", "", p.split("\n")[0]) for p in prompts]


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_quit_is_listed_once_on_every_screen(empty_study: Workspace, lang: str) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    app = QualtoolApp(empty_study, coder="anna", language=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        seen = {"dashboard": await palette_titles(app, pilot)}
        await open_transcript(pilot)
        seen["transcript"] = await palette_titles(app, pilot)
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f10"):
            await pilot.press(key)
            await pilot.pause()
            seen[key] = await palette_titles(app, pilot)
    for screen, titles in seen.items():
        assert titles.count(QUIT[lang]) == 1, (screen, titles)
