"""Recordings with their metadata and transcription state; transcription runs in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.reporting import coding_progress
from qualtool.tui.screens.base import StudyScreen

if TYPE_CHECKING:
    from qualtool.transcribe.run import Progress

COLUMNS = ("key", "method", "service", "region", "lang", "length", "transcript", "coded")
WIDTHS = (8, 3, 20, 11, 4, 8, 13, None)  # fits 80 columns; "coded" takes the rest
SORTS = ("key", "method", "service", "region", "transcript", "coded")


def _cut(value: str | None, width: int) -> str:
    value = value or ""
    return value if len(value) <= width else value[: width - 1] + "…"


class DashboardScreen(StudyScreen):
    AUTO_FOCUS = "#recordings"
    BINDINGS = [
        Binding("t", "transcribe", "Transcribe", id="transcribe"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "open", "Review", id="open", priority=True),
        Binding("i", "import", "Import", id="import"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("o", "sort", "Sort", id="sort"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]
    sort_by = "key"
    filter_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: key, service, region, method… (Enter keeps, Esc clears)",
                    id="filter")  # fmt: skip
        yield DataTable(id="recordings", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="progress", total=1.0, show_eta=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name, width in zip(COLUMNS, WIDTHS, strict=True):
            table.add_column(name, width=width)
        self.query_one(ProgressBar).display = False
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        db = self.qapp.ws.db
        states = tr_store.transcript_states(db)
        progress = coding_progress(db)
        rows = []
        for r in rec_store.list_recordings(db):
            st = states.get(r.id or -1)
            status = "—" if st is None else (
                f"done · {st['segments']} seg" if st["status"] == "done"
                else f"{st['status']} {st['progress'] * 100:.0f}%"
            )  # fmt: skip
            coded = " ".join(f"{c}:{pct:.0%}" for c, pct in progress.get(r.key, {}).items())
            values = (r.key, r.method.short, _cut(r.service, 20), _cut(r.region, 11), r.language.value,
                   format_timestamp(r.duration), status, coded or "—")  # fmt: skip
            if self.filter_text and self.filter_text.lower() not in " ".join(values).lower():
                continue
            rows.append(values)
        rows.sort(key=lambda v: (v[COLUMNS.index(self.sort_by)], v[0]))
        for values in rows:
            table.add_row(*values, key=values[0])
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_refresh(self) -> None:
        self.refresh_table()

    def action_open(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify("no recording selected", severity="warning")
            return
        from qualtool.tui.screens.transcript import TranscriptScreen

        try:
            rec = rec_store.get_recording(self.qapp.ws.db, key)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        t = tr_store.get_transcript(self.qapp.ws.db, rec.id or 0, with_segments=False)
        if t is None:
            self.notify(f"{key} has no transcript yet: press t to transcribe", severity="warning")
            return
        self.app.push_screen(TranscriptScreen(rec.key))

    def reload(self) -> None:
        self.refresh_table()

    def on_screen_resume(self) -> None:
        self.refresh_table()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self.refresh_table()
        self.notify(f"sorted by {self.sort_by}")

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.refresh_table()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_import(self) -> None:
        from qualtool.tui.screens.importer import ImportScreen

        def done(key: str | None) -> None:
            if key:
                self.refresh_table()
                self.notify(f"imported {key}: press t to transcribe it")

        self.app.push_screen(ImportScreen(), done)

    def action_transcribe(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify("no recording selected", severity="warning")
            return
        self.query_one("#status", Static).update(f"transcribing {key}… (Esc cancels)")
        self.query_one(ProgressBar).display = True
        self.transcribe(key)

    def action_cancel(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("visible"):
            box.value = ""
            box.remove_class("visible")
            self.query_one(DataTable).focus()
            return
        if self.workers.cancel_group(self, "transcribe"):
            self.query_one("#status", Static).update("cancelling… what is done is kept")

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def transcribe(self, key: str) -> str:
        from qualtool.transcribe.run import transcribe_recording

        worker = get_current_worker()
        ws = self.qapp.ws.reopen()  # sqlite connections belong to one thread
        try:
            rec = rec_store.get_recording(ws.db, key)
            engine = self.qapp.engine_factory(ws.study)
            transcribe_recording(ws, rec, engine, on_progress=self._progress_from_thread,
                                 should_stop=lambda: worker.is_cancelled)  # fmt: skip
            return key
        finally:
            ws.close()

    def _progress_from_thread(self, p: Progress) -> None:
        self.app.call_from_thread(self._show_progress, p.fraction, p.speed)

    def _show_progress(self, fraction: float, speed: float) -> None:
        self.query_one(ProgressBar).update(progress=fraction)
        self.query_one("#status", Static).update(f"{fraction * 100:.0f}% · {speed:.1f}× real time")
        self.refresh_table()

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        status = self.query_one("#status", Static)
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.query_one(ProgressBar).display = False
        if event.state == WorkerState.SUCCESS:
            status.update(f"{event.worker.result}: transcribed")
            self.notify(f"{event.worker.result} transcribed")
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            status.update("transcription failed")
            self.notify(str(error), severity="error", title="Transcription failed")
        elif event.state == WorkerState.CANCELLED:
            status.update("cancelled: run again to resume where it stopped")
        self.refresh_table()
