"""What every qualtool screen shares: typed access to the app (its workspace and coder)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


class StudyScreen(Screen[None]):
    @property
    def qapp(self) -> QualtoolApp:
        return cast("QualtoolApp", self.app)
