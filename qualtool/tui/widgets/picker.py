"""Choose codes: a fuzzy-filtered codebook tree (Russian and English labels, ids), with the
highlighted code's definition and criteria at hand. Tab marks several, Enter applies."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualtool.domain import Code, Codebook
from qualtool.i18n import _, ngettext
from qualtool.tui.screens.base import translate_bindings


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


def label(cb: Codebook, code: Code, depth: int, marked: bool) -> Text:
    t = Text("  " * depth)
    t.append("■ ", style=cb.color_of(code.id))
    t.append(("✓ " if marked else "") + code.label_ru)
    t.append(f"  {code.id}", style="dim")
    return t


class CodePicker(ModalScreen[list[str] | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("tab", "mark", "Mark several", show=True, priority=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]
    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    #picker { width: 96%; height: 90%; border: thick $accent; background: $surface; }
    #picker-filter { dock: top; }
    #picker-list { width: 3fr; }
    #picker-details { width: 2fr; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, codebook: Codebook, title: str = "", multi: bool = True) -> None:
        super().__init__()
        translate_bindings(self)
        self.cb = codebook
        self.title_text = title or _("Apply codes")
        self.multi = multi
        self.marked: list[str] = []
        self.order = [(depth, c) for depth, c in codebook.walk()]
        self.search_keys = {c.id: f"{c.id} {c.label_ru} {c.label_en or ''}" for _, c in self.order}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Input(placeholder=_("{title}: type to filter (RU/EN/id)…").format(
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
        if query.strip():
            hits = process.extract(query, self.search_keys, scorer=fuzz.WRatio, limit=25,
                                   score_cutoff=55)  # fmt: skip
            ids = [key for _, _, key in hits]
            rows = [(0, self.cb.get(i)) for i in ids]
        else:
            rows = self.order
        ol.add_options(
            [Option(label(self.cb, c, d, c.id in self.marked), id=c.id) for d, c in rows]
        )
        if rows:
            ol.highlighted = 0
            self.show(rows[0][1].id)

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
            self.show(event.option.id)

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        self.choose()

    def current(self) -> str | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        return ol.get_option_at_index(ol.highlighted).id

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
