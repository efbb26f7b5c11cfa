"""Export: report sections (Markdown/DOCX), quote tables (CSV/XLSX), REFI-QDA (QDPX/QDC) —
chosen in a form, written by a worker so the UI stays live."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from qualtool.files.writing import export_file
from qualtool.i18n import N_, _
from qualtool.interop.qdc import export_qdc
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.report import render, tables
from qualtool.report.build import build_report
from qualtool.report.quotes import export_quotes, layer_scope
from qualtool.report.sections import GroupBy
from qualtool.store.codebook import load_codebook, with_sub_codes
from qualtool.tui.screens.base import StudyScreen

if TYPE_CHECKING:
    pass

FORMATS = [(N_("Report, Word (.docx)"), "docx"), (N_("Report, Markdown (.md)"), "md"),
           (N_("Quotes table, Excel (.xlsx)"), "xlsx"), (N_("Quotes table, CSV (.csv)"), "csv"),
           (N_("REFI-QDA project (.qdpx)"), "qdpx"),
           (N_("REFI-QDA codebook (.qdc)"), "qdc")]  # fmt: skip
GROUPS = (N_("code"), N_("service"), N_("region"), N_("method"))  # GroupBy, shown translated


class ExportScreen(StudyScreen):
    HELP_TITLE = N_("Export")
    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+s", "export", "Export")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="form"):
            yield Label(_("What:"))
            yield Select([(_(label), v) for label, v in FORMATS], value="docx",
                         allow_blank=False, id="format")  # fmt: skip
            yield Label(_("Group sections by:"))
            yield Select([(_(g.value), g.value) for g in GroupBy], value="code", allow_blank=False,
                         id="by")  # fmt: skip
            yield Input(placeholder=_("Only codes (comma-separated ids, optional)"), id="codes")
            yield Input(placeholder=_("Only region / service contains (optional)"), id="region")
            yield Checkbox(_("Anonymise names, phones, IIN (recommended)"), value=True, id="anon")
            yield Checkbox(_("Use the consensus layer once there is one"), value=True,
                           id="consensus")  # fmt: skip
            yield Checkbox(_("Recording and time after each quote (audit trail)"), id="times")
            yield Input(placeholder=_("Markdown template (optional; default or "
                                      "templates/report.md.j2)"), id="template")  # fmt: skip
            yield Input(placeholder=_("Output file (default: exports/report-<by>.<ext>)"),
                        id="out")  # fmt: skip
            yield Button(_("Export (ctrl+s)"), variant="primary", id="go")
            yield Static("", id="status")
        yield Footer()

    def _out(self, fmt: str, by: str) -> Path:
        given = self.query_one("#out", Input).value.strip()
        if given:
            return Path(given).expanduser()
        folder = self.qapp.ws.study.root / "exports"
        folder.mkdir(exist_ok=True)
        name = "study" if fmt in ("qdpx", "qdc") else f"report-{by}"
        return folder / f"{name}.{fmt}"

    def _template(self) -> Path | None:
        given = self.query_one("#template", Input).value.strip()
        if given:
            return Path(given).expanduser()
        study_tpl = self.qapp.ws.study.root / "templates" / "report.md.j2"
        return study_tpl if study_tpl.exists() else None

    @on(Button.Pressed, "#go")
    def action_export(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        by = str(self.query_one("#by", Select).value)
        out = self._out(fmt, by)
        codes = tuple(
            c.strip() for c in self.query_one("#codes", Input).value.split(",") if c.strip()
        )
        options = {
            "fmt": fmt, "by": by, "out": out, "codes": codes,
            "region": self.query_one("#region", Input).value.strip() or None,
            "anonymise": self.query_one("#anon", Checkbox).value,
            "consensus": self.query_one("#consensus", Checkbox).value,
            "timestamps": self.query_one("#times", Checkbox).value,
            "template": self._template(),
        }  # fmt: skip
        self.query_one("#status", Static).update(_("writing {path}…").format(path=out))
        self.export(options)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, o: dict[str, Any]) -> str:

        ws = self.qapp.ws.reopen()
        try:
            out: Path = o["out"]
            if o["fmt"] == "qdpx":
                export_qdpx(ws, out)
                return str(out)
            if o["fmt"] == "qdc":
                export_qdc(load_codebook(ws.db), out)
                return str(out)
            consensus = None if o["consensus"] else False  # None: consensus once it exists
            # «BUR» is BUR and its sub-codes, as in `qualtool report --code BUR`
            codes = with_sub_codes(ws.db, o["codes"])
            scope = layer_scope(ws.db, (), consensus, codes=codes, region=o["region"])
            if o["fmt"] in ("csv", "xlsx"):
                quotes = export_quotes(ws, scope, o["anonymise"])
                table = tables.quotes_table(quotes, load_codebook(ws.db))
                if o["fmt"] == "csv":
                    tables.write_csv(table, out)
                else:
                    tables.write_xlsx([table], out)
                return str(out)
            rep = build_report(ws, GroupBy(o["by"]), scope, anonymise=o["anonymise"],
                               timestamps=o["timestamps"])  # fmt: skip
            if not rep.sections:
                raise ValueError(_("nothing coded in this selection yet"))
            if o["fmt"] == "md":
                text = render.markdown(rep, o["template"])
                with export_file(out) as tmp:
                    tmp.write_text(text, encoding="utf-8")
            else:
                render.docx(rep, out)
            return str(out)
        finally:
            ws.close()

    @on(Worker.StateChanged)
    def finished(self, event: Worker.StateChanged) -> None:
        status = self.query_one("#status", Static)
        if event.state == WorkerState.SUCCESS:
            status.update(_("written: {path}").format(path=event.worker.result))
            self.notify(_("written: {path}").format(path=event.worker.result))
        elif event.state == WorkerState.ERROR:
            status.update(_("export failed"))
            self.notify(str(event.worker.error), severity="error", title=_("Export failed"))
