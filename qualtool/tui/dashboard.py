"""Recordings with their metadata and transcription state; transcription runs in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualtool.domain.transcript import format_timestamp
from qualtool.errors import QualtoolError
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store

if TYPE_CHECKING:
    from qualtool.transcribe.run import Progress
    from qualtool.tui.app import QualtoolApp

COLUMNS = ("key", "method", "service", "region", "lang", "length", "transcript")


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("t", "transcribe", "Transcribe", id="transcribe"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "open", "Review", id="open", priority=True),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    @property
    def qapp(self) -> QualtoolApp:
        return cast("QualtoolApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="recordings", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="progress", total=1.0, show_eta=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        db = self.qapp.ws.db
        states = tr_store.transcript_states(db)
        for r in rec_store.list_recordings(db):
            st = states.get(r.id or -1)
            status = "—" if st is None else (
                f"done · {st['segments']} seg" if st["status"] == "done"
                else f"{st['status']} {st['progress'] * 100:.0f}%"
            )  # fmt: skip
            table.add_row(r.key, r.method.short, r.service or "", r.region or "",
                          r.language.value, format_timestamp(r.duration), status, key=r.key)  # fmt: skip
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
        from qualtool.tui.review import ReviewScreen

        try:
            rec = rec_store.get_recording(self.qapp.ws.db, key)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        t = tr_store.get_transcript(self.qapp.ws.db, rec.id or 0, with_segments=False)
        if t is None:
            self.notify(f"{key} has no transcript yet: press t to transcribe", severity="warning")
            return
        self.app.push_screen(ReviewScreen(rec.key))

    def action_transcribe(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify("no recording selected", severity="warning")
            return
        self.query_one("#status", Static).update(f"transcribing {key}… (Esc cancels)")
        self.transcribe(key)

    def action_cancel(self) -> None:
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
