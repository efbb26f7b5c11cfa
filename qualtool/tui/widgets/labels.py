"""A code's labels in one form (Russian and English): Enter saves both, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qualtool.i18n import _
from qualtool.tui.keys import MODAL_HELP, translate_bindings


class LabelsForm(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), MODAL_HELP]
    DEFAULT_CSS = """
    LabelsForm { align: center middle; }
    #labels { width: 80%; max-width: 100; height: auto; border: thick $accent;
              background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, label_ru: str, label_en: str) -> None:
        super().__init__()
        translate_bindings(self)  # «Cancel» stayed English in its help and the palette
        self.title_text = title
        self.values = (label_ru, label_en)

    def compose(self) -> ComposeResult:
        with Vertical(id="labels"):
            yield Label(self.title_text)
            yield Label(_("Russian label:"))
            yield Input(self.values[0], id="label-ru")
            yield Label(_("English label (empty: none):"))
            yield Input(self.values[1], id="label-en")
            yield Label(_("Enter saves · Tab: next field · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#label-ru", Input).focus()

    def holds_input(self) -> bool:
        """Changed labels are typed work: an F-key does not throw them away (app.on_key)."""
        return (self.query_one("#label-ru", Input).value,
                self.query_one("#label-en", Input).value) != self.values  # fmt: skip

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.dismiss((self.query_one("#label-ru", Input).value,
                      self.query_one("#label-en", Input).value))  # fmt: skip

    def action_cancel(self) -> None:
        self.dismiss(None)
