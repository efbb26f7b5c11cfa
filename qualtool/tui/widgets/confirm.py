"""A yes/no question for destructive or surprising actions: y/Enter confirms, n/Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from qualtool.i18n import _
from qualtool.tui.keys import MODAL_HELP, translate_bindings


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
        MODAL_HELP,
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    #confirm { width: 80%; max-width: 90; height: auto; border: thick $warning;
               background: $surface; padding: 0 1; }
    #confirm Label { width: 100%; }
    #confirm-buttons { height: auto; align-horizontal: right; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self.question)
            with Horizontal(id="confirm-buttons"):
                yield Button(_("Yes (y)"), variant="warning", id="yes")
                yield Button(_("No (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
