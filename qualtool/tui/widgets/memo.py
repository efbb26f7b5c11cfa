"""A memo in a multi-line editor: ctrl+s saves, Esc leaves it unchanged."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from qualtool.i18n import _
from qualtool.tui.screens.base import translate_bindings


class MemoEditor(ModalScreen[str | None]):
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True),
                Binding("escape", "cancel", "Cancel", priority=True)]  # fmt: skip
    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    #memo-box { width: 90%; max-width: 100; height: 70%; border: thick $accent;
                background: $surface; padding: 0 1; }
    #memo-text { height: 1fr; }
    """

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-box"):
            yield Label(self.title_text)
            yield TextArea(self.text, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Label(_("ctrl+s saves · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
