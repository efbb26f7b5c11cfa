"""Ask before something that cannot be taken back: y / Enter confirms, n / Esc does not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from qualtool.i18n import _
from qualtool.tui.screens.base import translate_bindings


class YesNo(ModalScreen[bool]):
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"),
                Binding("n,escape", "answer(False)", "No")]  # fmt: skip
    DEFAULT_CSS = """
    YesNo { align: center middle; }
    #yesno { width: 70; max-width: 95%; height: auto; border: thick $warning;
             background: $surface; padding: 0 1; }
    #yesno Label { width: 100%; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="yesno"):
            yield Label(self.question)
            yield Label(_("y / Enter: yes · n / Esc: no"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
