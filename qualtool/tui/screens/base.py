"""What every qualtool screen shares: typed access to the app (its workspace and coder), key
descriptions in the interface language, and Esc that leads back to the recordings."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from qualtool.i18n import _
from qualtool.tui.keys import translate_bindings

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


class StudyScreen(Screen[None]):
    HELP_TITLE = ""  # the screen's name (N_-marked): header title and help page

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        if self.HELP_TITLE:
            self.title = _(self.HELP_TITLE)

    @property
    def qapp(self) -> QualtoolApp:
        return cast("QualtoolApp", self.app)

    def action_back(self) -> None:
        """Close a screen opened on top (a transcript); on a screen an F-key switched to,
        return to the recordings."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.qapp.action_open("dashboard")
