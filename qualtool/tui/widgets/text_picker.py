"""Choose one text of many — a segment, a memo, a recording's notes, a speaker label — by typing
what it is (`idi-01#3`) or words in it: the review's way to any text, found or not."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from qualtool.i18n import _
from qualtool.tui.keys import MODAL_HELP, translate_bindings

SHOWN = 200  # options listed at once: typing narrows the rest down


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    where: str  # «idi-01#3», «notes idi-01»: what the filter matches besides the text
    text: str


def matches(choices: list[Choice], query: str) -> list[Choice]:
    """`idi-01#3` picks that segment (and `idi-01#` all of the recording's); anything else
    is words, found in the text or in where it is, case-blind."""
    q = " ".join(query.split()).lower()
    if not q:
        return choices
    exact = [c for c in choices if c.where.lower() == q]
    return exact or [c for c in choices
                     if q in c.where.lower() or q in " ".join(c.text.split()).lower()]  # fmt: skip


class TextPicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        MODAL_HELP,
    ]
    DEFAULT_CSS = """
    TextPicker { align: center middle; }
    #text-picker { width: 96%; height: 90%; border: thick $accent; background: $surface; }
    #text-picker-filter { dock: top; }
    """

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="text-picker"):
            yield Input(placeholder=_("{title}: RECORDING#SEGMENT or words in the text…").format(
                title=self.title_text), id="text-picker-filter")  # fmt: skip
            yield OptionList(id="text-picker-list")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        found = matches(self.choices, query)
        ol.add_options([Option(f"{c.where:<16} {' '.join(c.text.split())[:200]}", id=c.id)
                        for c in found[:SHOWN]])  # fmt: skip
        if found:
            ol.highlighted = 0

    @on(Input.Changed, "#text-picker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#text-picker-filter")
    @on(OptionList.OptionSelected)
    def choose(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None or not ol.option_count:
            self.notify(_("no text matches «{q}»").format(q=self.query_one(Input).value),
                        severity="warning")  # fmt: skip
            return
        self.dismiss(ol.get_option_at_index(ol.highlighted).id)

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = ((ol.highlighted or 0) + step) % ol.option_count

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def holds_input(self) -> bool:
        """A typed filter is work in progress: an F-key does not throw it away."""
        return bool(self.query_one(Input).value)
