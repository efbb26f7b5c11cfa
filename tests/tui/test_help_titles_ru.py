"""Every window says its name in the interface's words: the quotes screen (F8) had no name of
its own, so its header read «qualtool» and its help page «Клавиши: CodeView»."""

from __future__ import annotations

from conftest import seed_snapshot_study
from textual.widgets import Static

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


def help_title(app: QualtoolApp) -> str:
    return str(app.screen.query_one("#help", Static).content.title)  # type: ignore[union-attr]


async def test_the_quotes_screen_is_named_in_russian(empty_study: Workspace) -> None:
    seed_snapshot_study(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")  # no code chosen yet: the code picker opens over the screen
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodeViewScreen"
        assert app.screen.title == "Цитаты"
        await pilot.press("f1")
        await pilot.pause()
        assert help_title(app) == "Клавиши: Цитаты"
