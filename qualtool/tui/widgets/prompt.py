"""A one-line question in a modal: Enter answers, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qualtool.tui.keys import MODAL_HELP, translate_bindings


class Prompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), MODAL_HELP]
    DEFAULT_CSS = """
    Prompt { align: center middle; }
    #prompt { width: 80%; max-width: 100; height: auto; border: thick $accent;
              background: $surface; padding: 0 1; }
    """

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.question)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def holds_input(self) -> bool:
        """A changed answer is typed work: an F-key does not throw it away (app.on_key)."""
        return self.query_one(Input).value != self.value

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
