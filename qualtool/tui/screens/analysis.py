"""Analysis tables in the terminal: code frequency by service / region / method, code
co-occurrence, code × recording — with a bar chart of the totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualtool.domain import Method
from qualtool.domain.recording import method_label
from qualtool.i18n import N_, _
from qualtool.report import tables
from qualtool.report.quotes import Quote, collect, export_quotes, layer_scope
from qualtool.store.codebook import load_codebook
from qualtool.tui.screens.base import StudyScreen

if TYPE_CHECKING:
    pass

HEADERS = (N_("code"), N_("label"), N_("total"))  # the table headers that are words
VIEWS = ("service", "region", "method", "cooccurrence", "matrix")
METHODS = {m.value for m in Method}


class AnalysisScreen(StudyScreen):
    HELP_TITLE = N_("Tables")
    AUTO_FOCUS = "#table"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("v", "next_view", "Next table"),
        Binding("w", "write_csv", "Save CSV"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "service"
        self.table: tables.Table | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="table", zebra_stripes=True)
        yield Static("", id="chart")
        yield Footer()

    def reload(self) -> None:
        db = self.qapp.ws.db
        self.table = self._build(collect(db, layer_scope(db, (), None), None))
        dt = self.query_one(DataTable)
        dt.clear(columns=True)
        dt.add_columns(*(self._header(h) for h in self.table.header))
        for row in self.table.rows:
            dt.add_row(*(str(x) for x in row))
        self.sub_title = _("{title} · v: next table · w: save CSV").format(title=self.table.title)
        if self.view in ("service", "region", "method"):
            totals = sorted(
                ((f"{r[0]}", int(str(r[-1]))) for r in self.table.rows), key=lambda kv: -kv[1]
            )
            self.query_one("#chart", Static).update(tables.bar_chart(totals[:8], width=30))
        else:
            self.query_one("#chart", Static).update("")

    def _build(self, quotes: list[Quote]) -> tables.Table:
        cb = load_codebook(self.qapp.ws.db)
        if self.view in ("service", "region", "method"):
            return tables.frequency(quotes, cb, self.view)
        if self.view == "cooccurrence":
            return tables.cooccurrence(quotes)
        return tables.code_by_recording(quotes)

    def _header(self, name: str) -> str:
        """Words translated, methods («interview») named in the interface's words; code ids,
        services and recording keys stay as they are."""
        if self.view == "method" and name in METHODS:
            return method_label(name)
        return _(name)

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.reload()

    def action_write_csv(self) -> None:
        if self.table is None:
            return
        folder = self.qapp.ws.study.root / "exports"
        folder.mkdir(exist_ok=True)
        out = folder / f"table-{self.view}.csv"
        ws = self.qapp.ws  # a file leaves this machine: recording keys as every export's
        tables.write_csv(self._build(export_quotes(ws, layer_scope(ws.db, (), None))), out)
        self.notify(_("written: {path}").format(path=out))

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()
