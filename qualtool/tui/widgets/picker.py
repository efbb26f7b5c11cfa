"""Choose codes: the codebook filtered as you type (case- and ё-blind, fuzzy over ids, Russian
and English labels and definitions), the codes that fit the selected words and the recent
ones first, the highlighted code's definition and criteria at hand. Tab marks several, Enter
applies."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualtool.coding.ranking import rank
from qualtool.domain import Code, Codebook
from qualtool.i18n import _, ngettext
from qualtool.i18n.numbers import decimal
from qualtool.tui.keys import MODAL_HELP, translate_bindings

DUP = "#top"  # the same code listed again below the suggestions


def code_details(code: Code, count: int | None = None) -> Text:
    t = Text()
    t.append(f"{code.id}  ", style="bold")
    t.append(code.label_ru, style=f"bold {code.color or ''}".strip())
    if code.label_en:
        t.append(f"\n{code.label_en}", style="italic")
    if count is not None:
        t.append("\n" + ngettext("{n} coding", "{n} codings", count).format(n=count), style="dim")
    for title, body in ((_("Definition"), code.definition), (_("Include"), code.inclusion),
                        (_("Exclude"), code.exclusion)):  # fmt: skip
        if body:
            t.append(f"\n\n{title}: ", style="bold")
            t.append(body)
    for ex in code.examples[:3]:
        t.append(f"\n\n«{ex.text}»", style="italic")
        if ex.source:
            t.append(f" ({ex.source})", style="dim")
    return t


def label(cb: Codebook, code: Code, depth: int, marked: bool, fit: float = 0.0,
          recent: bool = False) -> Text:  # fmt: skip
    t = Text("  " * depth)
    t.append("■ ", style=cb.color_of(code.id))
    t.append(("✓ " if marked else "") + code.label_ru)
    t.append(f"  {code.id}", style="dim")
    if round(fit, 1) > 0:  # «★0,0» on half the list said nothing
        t.append(f"  ★{decimal(fit, 1)}", style="bold green")
    if recent:
        t.append("  ↺", style="cyan")
    return t


class CodePicker(ModalScreen[list[str] | None]):
    """`fit`: the auto-coder's score of each code for the selected words; `recent`: codes
    this coder used last. Both rank the list (qualtool/coding/ranking.py)."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("tab", "mark", "Mark several", show=True, priority=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        MODAL_HELP,
    ]
    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    #picker { width: 96%; height: 90%; border: thick $accent; background: $surface; }
    #picker-filter { dock: top; }
    #picker-list { width: 3fr; }
    #picker-details { width: 2fr; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, codebook: Codebook, title: str = "", multi: bool = True,
                 fit: dict[str, float] | None = None, recent: list[str] | None = None) -> None:  # fmt: skip
        super().__init__()
        translate_bindings(self)
        self.cb = codebook
        self.title_text = title or _("Apply codes")
        self.multi = multi
        self.marked: list[str] = []
        self.fit = fit or {}
        self.recent = recent or []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Input(placeholder=_("{title}: type to filter (RU/EN/id/definition)…").format(
                title=self.title_text), id="picker-filter")  # fmt: skip
            with Horizontal():
                yield OptionList(id="picker-list")
                yield Static(id="picker-details")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        rows = rank(self.cb, query, self.fit, self.recent)
        seen: set[str] = set()
        options = []
        for r in rows:
            oid = r.code.id if r.code.id not in seen else f"{r.code.id}{DUP}"
            seen.add(r.code.id)
            options.append(Option(label(self.cb, r.code, r.depth, r.code.id in self.marked,
                                        r.fit, r.recent), id=oid))  # fmt: skip
        ol.add_options(options)
        if rows:
            ol.highlighted = 0
            self.show(rows[0].code.id)

    def show(self, code_id: str) -> None:
        self.query_one("#picker-details", Static).update(code_details(self.cb.get(code_id)))

    @on(Input.Changed, "#picker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def filter_submitted(self) -> None:
        self.choose()

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show(event.option.id.removesuffix(DUP))

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        self.choose()

    def current(self) -> str | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        oid = ol.get_option_at_index(ol.highlighted).id
        return oid.removesuffix(DUP) if oid else None

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = ((ol.highlighted or 0) + step) % ol.option_count

    def action_mark(self) -> None:
        code = self.current()
        if code is None or not self.multi:
            return
        if code in self.marked:
            self.marked.remove(code)
        else:
            self.marked.append(code)
        keep = self.query_one(OptionList).highlighted
        self.fill(self.query_one(Input).value)
        self.query_one(OptionList).highlighted = keep

    def choose(self) -> None:
        chosen = self.marked or ([c] if (c := self.current()) else [])
        if not chosen:
            self.notify(_("no code matches the filter"), severity="warning")
            return
        self.dismiss(chosen)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
