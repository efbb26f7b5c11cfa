"""Search the study (lemma / exact / fuzzy) as you type, with keyword-in-context rows that fit
the terminal's width; Enter opens the transcript at that segment."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _, ngettext
from qualtool.nlp import analyzer
from qualtool.search.query import Hit, Mode, Results, search
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.fit import clip

MODES = (Mode.LEMMA, Mode.EXACT, Mode.FUZZY)
MODE_NAMES = (N_("lemma"), N_("exact"), N_("fuzzy"))
WHERE, WHO = 10, 4
DEBOUNCE = 0.12  # seconds of quiet typing before the query runs
LIMIT = 200
FIRST_ROWS = 40  # more than a 40-line terminal shows


def kwic_line(hit: Hit, width: int) -> Text:
    """The match centred in `width` cells or fewer: «…left context MATCH right…» (the left
    context padded so that matches line up from row to row; cuts marked by `fit.clip`)."""
    text = hit.text
    if not hit.spans:
        return Text(clip(text, width))
    s, e = hit.spans[0]
    match = clip(text[s:e], width)
    left_room = max(0, width - len(match)) // 2
    left = clip(text[:s], left_room, keep="end")
    right = clip(text[e:], width - len(match) - left_room)
    line = Text(left.rjust(left_room), style="dim")
    line.append(match, style="bold reverse")
    line.append(right)
    return line


class SearchScreen(StudyScreen):
    HELP_TITLE = N_("Search")
    AUTO_FOCUS = "#query"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+t", "mode", "Mode"),
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "focus_query", "Query"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = Mode.LEMMA
        self.hits: list[Hit] = []
        self._pending: Timer | None = None
        self.last_query: str | None = None
        self._shown = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder='справка · "дополнительные справки" · портал OR сайт · ЦОН -очередь',
                    id="query")  # fmt: skip
        yield DataTable(id="hits", cursor_type="row")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_column(_("where"), width=WHERE, key="where")
        t.add_column(_("who"), width=WHO, key="who")
        t.add_column(_("in context"), width=self.context_width(), key="context")
        self.query_one(Input).focus()
        self._status()
        self.warm_up()

    @work(thread=True, exclusive=True, group="search-warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Load the morphology (~1–3 s) while the coder starts typing, not on the first key."""
        for lang in self.qapp.ws.study.config.languages:
            analyzer(lang).lemma("справка")
        ws = self.qapp.ws.reopen()  # one query warms the index pages and the parser too
        try:
            search(ws.db, "справка", Mode.LEMMA, limit=1)
        except QualtoolError:
            pass
        finally:
            ws.close()

    def context_width(self) -> int:
        """What is left of the screen for the context column (cell padding and border off)."""
        width = self.query_one(DataTable).size.width or (self.app.size.width - 2)
        return max(20, width - WHERE - WHO - 3 * 2 - 1)

    def on_resize(self) -> None:
        column = self.query_one(DataTable).columns.get("context")  # type: ignore[call-overload]
        if column is not None and column.width != self.context_width():
            column.width = self.context_width()
            self.show(self.hits)

    def _status(self, extra: str = "") -> None:
        self.query_one("#status", Static).update(
            _("mode: {mode} (ctrl+t)").format(mode=_(str(self.mode)))
            + (f" {extra}" if extra else "")
        )

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        """As you type: the query runs once typing pauses (each keystroke restarts the wait)."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(DEBOUNCE, lambda: self.run_query(event.value))

    @on(Input.Submitted, "#query")
    def submitted(self, event: Input.Submitted) -> None:
        if self._pending is not None:
            self._pending.stop()
        self.run_query(event.value, force=True)
        if self.hits:
            self.query_one(DataTable).focus()

    def run_query(self, query: str, force: bool = False) -> Results | None:
        self._pending = None
        if not force and query == self.last_query:
            return None
        self.last_query = query
        if not query.strip():
            self.hits = []
            self.show([])
            self._status()
            return None
        try:
            res = search(self.qapp.ws.db, query, self.mode, limit=LIMIT)
        except QualtoolError as exc:
            self._status(f"· {exc}")  # half-typed queries are normal: no pop-up
            return None
        self.hits = res.hits
        self.show(res.hits)
        forms = "; ".join(f"{k} ~ {', '.join(v[:6])}" for k, v in res.expanded.items())
        found = ngettext("{n} segment", "{n} segments", res.total).format(n=res.total)
        self._status(f"· {found} {forms}".rstrip() if res.total else f"· {self.nothing(query)}")
        return res

    def nothing(self, query: str) -> str:
        """What to try when nothing is found: a coder typing the start of a word («подпис»)
        found nothing by lemma or exact text, and «0 segments» did not say that `подпис*` or
        the fuzzy mode finds it."""
        word = query.split()[-1].strip('"()') if query.split() else ""
        if word and not word.endswith("*") and word.upper() not in ("OR", "AND", "NOT"):
            return _("nothing found · part of a word: {word}* (or ctrl+t → fuzzy)").format(
                word=word.lstrip("-")
            )
        return _("nothing found · ctrl+t: another mode")

    def show(self, hits: list[Hit]) -> None:
        """The first screenful at once, the rest just after (typing stays instant)."""
        table = self.query_one(DataTable)
        table.clear()
        self._shown = 0
        self._add_rows(hits, FIRST_ROWS)
        if len(hits) > FIRST_ROWS:
            self.set_timer(0.05, lambda: self._add_rows(hits, len(hits)))

    def _add_rows(self, hits: list[Hit], upto: int) -> None:
        if hits is not self.hits and hits:
            return  # a newer query replaced these
        table = self.query_one(DataTable)
        width = self.context_width()
        for n in range(self._shown, min(upto, len(hits))):
            h = hits[n]
            table.add_row(f"{h.recording}#{h.idx}", h.speaker or "?", kwic_line(h, width),
                          key=str(n))  # fmt: skip
        self._shown = max(self._shown, min(upto, len(hits)))

    @on(DataTable.RowHighlighted, "#hits")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.hits):
            h = self.hits[event.cursor_row]
            where = " · ".join(x for x in (h.service, h.region) if x)
            self._status(f"· {h.recording} {format_timestamp(h.start)} {where}".rstrip())

    def action_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self._status()
        box = self.query_one(Input)
        if box.value.strip():
            self.run_query(box.value, force=True)

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.query_one(Input).has_focus or not self.hits:
            return

        h = self.hits[min(table.cursor_row, len(self.hits) - 1)]
        self.app.push_screen(TranscriptScreen(h.recording, h.segment_id))
