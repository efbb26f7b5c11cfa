"""What every qualtool screen shares: typed access to the app (its workspace and coder), key
descriptions in the interface language, and Esc that leads back to the recordings."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from qualtool.i18n import _

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


def translate_bindings(node: DOMNode) -> None:
    """Key descriptions are class constants (English, extracted as `Binding:3`); the footer,
    help and palette read the node's own copy, so that copy is translated once, here."""
    for key, bindings in list(node._bindings.key_to_bindings.items()):
        node._bindings.key_to_bindings[key] = [
            replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else "")
            if isinstance(b, Binding) and b.description
            else b
            for b in bindings
        ]


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
