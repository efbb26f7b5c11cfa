"""Switch coder: the known coders to pick from, or a new name that is safe as a file name
(the layer is written to codings/<coder>.json)."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualtool.i18n import _
from qualtool.tui.keys import MODAL_HELP, translate_bindings

CODER_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
RESERVED = ("consensus",)  # the adjudicated layer is written by the agreement screen only


def coder_problem(name: str) -> str | None:
    """Why `name` cannot be a coder, or None when it can."""
    if not CODER_NAME.fullmatch(name):
        return _(
            "a coder name is 1–32 Latin lowercase letters, digits, - or _ (e.g. anna, coder-2)"
        )
    if name in RESERVED:
        return _("«{name}» is the adjudicated layer, not a coder").format(name=name)
    return None


class CoderPicker(ModalScreen[str | None]):
    """Enter on a known coder picks them; typing filters, Enter on a new valid name adds it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False),
                MODAL_HELP]  # fmt: skip
    DEFAULT_CSS = """
    CoderPicker { align: center middle; }
    #coder-box { width: 60; max-width: 90%; height: auto; max-height: 80%; border: thick $accent;
                 background: $surface; padding: 0 1; }
    #coder-list { height: auto; max-height: 12; }
    #coder-hint { color: $text-muted; }
    """

    def __init__(self, coders: list[str], current: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.coders = coders
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="coder-box"):
            yield Label(
                _("Coder (your layer of codings) — now: {coder}").format(coder=self.current)
            )
            yield Input(placeholder=_("type to filter, or a new name"), id="coder-input")
            yield OptionList(id="coder-list")
            yield Label(_("Enter chooses · Esc cancels"), id="coder-hint")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, typed: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        typed = typed.strip().lower()
        shown = [c for c in self.coders if typed in c.lower()]
        for c in shown:
            ol.add_option(Option(c + ("  ✓" if c == self.current else ""), id=c))
        if typed and typed not in self.coders:
            problem = coder_problem(typed)
            ol.add_option(Option(
                _("+ new coder «{name}»").format(name=typed) if problem is None else f"✗ {problem}",
                id=f"+{typed}" if problem is None else None, disabled=problem is not None,
            ))  # fmt: skip
        if ol.option_count:
            ol.highlighted = 0

    @on(Input.Changed, "#coder-input")
    def typed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = ((ol.highlighted or 0) + step) % ol.option_count

    @on(Input.Submitted, "#coder-input")
    @on(OptionList.OptionSelected, "#coder-list")
    def chosen(self) -> None:
        ol = self.query_one(OptionList)
        option = ol.get_option_at_index(ol.highlighted) if ol.highlighted is not None else None
        if option is None or option.id is None or option.disabled:
            typed = self.query_one(Input).value.strip().lower()
            self.notify(coder_problem(typed) or _("choose a coder"), severity="warning")
            return
        self.dismiss(option.id.removeprefix("+"))

    def action_cancel(self) -> None:
        self.dismiss(None)
