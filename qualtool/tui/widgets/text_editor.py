"""A multi-line text in a modal (memos, definitions, criteria, examples): ctrl+s saves, Esc
cancels. Enter makes a new line, as a coder writing a paragraph expects."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from qualtool.i18n import _
from qualtool.tui.keys import MODAL_HELP, translate_bindings


class TextEditor(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
        MODAL_HELP,
    ]
    DEFAULT_CSS = """
    TextEditor { align: center middle; }
    #text-editor { width: 90%; max-width: 110; height: 70%; border: thick $accent;
                   background: $surface; padding: 0 1; }
    #text-editor-area { height: 1fr; }
    """

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="text-editor"):
            yield Label(self.title_text)
            yield TextArea(self.value, soft_wrap=True, id="text-editor-area")
            yield Label(_("ctrl+s: save · Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def holds_input(self) -> bool:
        """Changed text is the coder's work: an F-key does not throw it away (app.on_key)."""
        return self.query_one(TextArea).text != self.value

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
