"""Search the study (lemma / exact / fuzzy) with keyword-in-context results; Enter opens the
transcript at that segment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.search.query import Hit, Mode, search
from qualtool.tui.screens.base import StudyScreen

if TYPE_CHECKING:
    pass

MODES = (Mode.LEMMA, Mode.EXACT, Mode.FUZZY)


class SearchScreen(StudyScreen):
    AUTO_FOCUS = "#query"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+t", "mode", "Mode"),
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "focus_query", "Query"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = Mode.LEMMA
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder='справка · "дополнительные справки" · портал OR сайт · ЦОН -очередь',
                    id="query")  # fmt: skip
        yield DataTable(id="hits", cursor_type="row")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_column("where", width=14)
        t.add_column("who", width=4)
        t.add_column("in context")
        self.query_one(Input).focus()
        self._status()

    def _status(self, extra: str = "") -> None:
        self.query_one("#status", Static).update(f"mode: {self.mode} (ctrl+t) {extra}")

    @on(Input.Submitted, "#query")
    def run_query(self, event: Input.Submitted) -> None:
        try:
            res = search(self.qapp.ws.db, event.value, self.mode, limit=200)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.hits = res.hits
        table = self.query_one(DataTable)
        table.clear()
        for n, h in enumerate(res.hits):
            left, hit, right = h.kwic(40)
            line = Text(left.rjust(41), style="dim")
            line.append(hit, style="bold reverse")
            line.append(right)
            table.add_row(f"{h.recording}#{h.idx} {format_timestamp(h.start)}", h.speaker or "?",
                          line, key=str(n))  # fmt: skip
        forms = "; ".join(f"{k} ~ {', '.join(v[:6])}" for k, v in res.expanded.items())
        self._status(f"· {res.total} segment(s) {forms}")
        if res.hits:
            table.focus()

    def action_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self._status()
        box = self.query_one(Input)
        if box.value.strip():
            self.run_query(Input.Submitted(box, box.value))

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.query_one(Input).has_focus or not self.hits:
            return
        from qualtool.tui.screens.transcript import TranscriptScreen

        h = self.hits[table.cursor_row]
        self.app.push_screen(TranscriptScreen(h.recording, h.segment_id))
