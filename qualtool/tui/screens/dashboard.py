"""Recordings with their metadata and transcription state. Transcription runs in a worker
over a queue of recordings: live progress (audio decoded / duration, speed, time left), Esc
cancels at once and keeps every finished segment, R transcribes a recording again."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.reporting import coding_progress
from qualtool.transcribe.run import transcribe_recording
from qualtool.tui import first_steps
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.importer import ImportScreen
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.confirm import Confirm
from qualtool.tui.widgets.fit import clip
from qualtool.workspace.transcripts import refuse_if_anonymised

if TYPE_CHECKING:
    from qualtool.transcribe.run import Progress

COLUMNS = (N_("key"), N_("method"), N_("service"), N_("region"), N_("lang"), N_("length"),
           N_("transcript"), N_("coded"))  # fmt: skip
# each header fits its column in English and Russian; "coded" takes what is left of the table
WIDTHS = (7, 6, 11, 6, 4, 8, 12)  # «done · 12 seg»; at 80 columns «coded» keeps 6 or more
PADDING = 2  # a DataTable cell's padding, left and right
SCROLLBAR = 2  # the table's vertical scrollbar, once the rows overflow
STATES = (N_("pending"), N_("running"), N_("failed"), N_("done"))  # transcript statuses shown
SORTS = ("key", "method", "service", "region", "transcript", "coded")


def progress_line(key: str, p: Progress, queued: int) -> str:
    """`idi-02: 2:13 / 10:05 · 22% · 1.8× real time · 4:12 left · 2 queued`."""
    parts = [f"{key}: {format_timestamp(p.done)} / {format_timestamp(p.total)}",
             f"{p.fraction * 100:.0f}%"]  # fmt: skip
    if p.speed > 0:
        parts.append(_("{speed:.1f}× real time").format(speed=p.speed))
    if p.eta is not None and p.fraction < 1:
        parts.append(_("{time} left").format(time=format_timestamp(p.eta)))
    if queued:
        parts.append(_("{n} queued").format(n=queued))
    return " · ".join(parts) + _(" (Esc cancels)")


class DashboardScreen(StudyScreen):
    HELP_TITLE = N_("Recordings")
    AUTO_FOCUS = "#recordings"
    BINDINGS = [
        Binding("enter", "open", "Review", id="open", priority=True),
        Binding("t", "transcribe", "Transcribe", id="transcribe"),
        Binding("a", "transcribe_all", "Transcribe all", id="transcribe_all"),
        Binding("R", "restart", "Again", id="restart"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("i", "import", "Import", id="import"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("o", "sort", "Sort", id="sort"),
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
    ]
    sort_by = "key"
    filter_text = ""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[tuple[str, bool]] = []  # (recording key, restart)
        self.running: str | None = None
        self.last: Progress | None = None
        self.started = 0.0
        self.ticker: Timer | None = None
        self.stage = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("filter: key, service, region, method… (Enter keeps, Esc clears)"),
                    id="filter")  # fmt: skip
        yield DataTable(id="recordings", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="progress", total=1.0, show_eta=False)
        yield Static("", id="status")
        yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name, width in zip(COLUMNS, (*WIDTHS, self.coded_width()), strict=True):
            table.add_column(clip(_(name), width), width=width, key=name)
        self.query_one(ProgressBar).display = False
        self.refresh_table()
        self.show_hint()

    def show_hint(self) -> None:
        """A newcomer's first minute: which keys lead to a first coded quote."""
        hint = self.query_one("#hint", Static)
        db = self.qapp.ws.db
        has_text = any(st["status"] == "done" for st in tr_store.transcript_states(db).values())
        hint.display = not first_steps.done(self.qapp.ws.study.root)
        if has_text:
            hint.update(_("First coding: Enter opens a transcript · c selects words · "
                          "shift+arrows widen · Enter picks a code · F1 help"))  # fmt: skip
        else:
            hint.update(_("First step: t transcribes the selected recording, i imports one · "
                          "F1 help"))  # fmt: skip

    def coded_width(self, rows: int = 0) -> int:
        """What the fixed columns leave to «coded» at this terminal width, so that its header
        and cells end inside the table (at 80 columns «кодир.» used to be cut off); the
        scrollbar is left room for when the rows overflow."""
        table = self.query_one(DataTable)
        inner = table.size.width or self.app.size.width - 2
        scroll = SCROLLBAR if rows > max(table.size.height - 1, 0) else 0
        return max(inner - sum(WIDTHS) - PADDING * len(COLUMNS) - scroll, 1)

    def on_resize(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        db = self.qapp.ws.db
        states = tr_store.transcript_states(db)
        progress = coding_progress(db)
        queued = {k for k, _r in self.queue}
        rows = []
        for r in rec_store.list_recordings(db):
            st = states.get(r.id or -1)
            if r.key == self.running:
                pct = (self.last.fraction if self.last else (st or {}).get("progress", 0)) or 0
                status = _("▶ {pct}%").format(pct=f"{pct * 100:.0f}")
            elif r.key in queued:
                status = _("queued")
            elif st is None:
                status = "—"
            elif st["status"] == "done":
                status = _("done · {n} seg").format(n=st["segments"])
            else:
                status = f"{_(st['status'])} {st['progress'] * 100:.0f}%"
            shares = progress.get(r.key, {})
            mine = [f"{shares[self.qapp.coder]:.0%}"] if self.qapp.coder in shares else []
            coded = " ".join(mine + [f"{c}:{pct:.0%}" for c, pct in shares.items()
                                     if c != self.qapp.coder])  # fmt: skip
            values = (r.key, r.method.short, r.service or "", r.region or "", r.language.label,
                      format_timestamp(r.duration), status, coded or "—")  # fmt: skip
            if self.filter_text and self.filter_text.lower() not in " ".join(values).lower():
                continue
            rows.append(values)
        rows.sort(key=lambda v: (v[COLUMNS.index(self.sort_by)], v[0]))
        width = self.coded_width(len(rows))
        column = table.columns.get("coded")  # type: ignore[call-overload]
        if column is not None:
            column.width = width
            column.label = Text(clip(_("coded"), width))
        for values in rows:
            cells = [clip(v, w) for v, w in zip(values, (*WIDTHS, width), strict=True)]
            table.add_row(*cells, key=values[0])
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
        if self.query_one("#filter", Input).has_focus:
            # Enter in the filter keeps it (the hint says so); this binding has priority, so it
            # sees the key before the box does and used to open the row under the cursor
            self.filter_done()
            return
        key = self.selected_key()
        if key is None:
            self.notify(_("no recording selected"), severity="warning")
            return

        try:
            rec = rec_store.get_recording(self.qapp.ws.db, key)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        t = tr_store.get_transcript(self.qapp.ws.db, rec.id or 0, with_segments=False)
        if t is None:
            self.notify(_("{key} has no transcript yet: press t to transcribe").format(key=key),
                        severity="warning")  # fmt: skip
            return
        self.app.push_screen(TranscriptScreen(rec.key))

    def reload(self) -> None:
        self.refresh_table()
        self.show_hint()

    def on_screen_resume(self) -> None:
        self.reload()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self.refresh_table()
        self.notify(_("sorted by {column}").format(column=_(self.sort_by)))

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

        def done(key: str | None) -> None:
            if key:
                self.refresh_table()
                self.notify(_("imported {key}: press t to transcribe it").format(key=key))

        self.app.push_screen(ImportScreen(), done)

    # ---- transcription queue ------------------------------------------------------------------

    def enqueue(self, key: str, restart: bool = False) -> None:
        if key == self.running or any(k == key for k, _r in self.queue):
            self.notify(_("{key} is already queued").format(key=key), severity="information")
            return
        self.queue.append((key, restart))
        if self.running is None:
            self.start_next()
        else:
            self.notify(_("{key} queued ({n} waiting)").format(key=key, n=len(self.queue)))
            self.refresh_table()

    def refused(self) -> bool:
        """An anonymised study: the CLI's message as a notification, nothing queued."""
        try:
            refuse_if_anonymised(self.qapp.ws, "transcribe")
        except QualtoolError as exc:
            self.notify(str(exc), severity="error", title=_("Transcription refused"))
            return True
        return False

    def start_next(self) -> None:
        if not self.queue:
            return
        key, restart = self.queue.pop(0)
        self.running, self.last = key, None
        self.started = time.monotonic()
        if self.ticker is None:  # between segments (a 30 s window decodes at once) time still moves
            self.ticker = self.set_interval(1.0, self._tick)
        self._stage(_("{key}: loading the model…").format(key=key))
        bar = self.query_one(ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self.refresh_table()
        self.transcribe(key, restart)

    def action_transcribe(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify(_("no recording selected"), severity="warning")
            return
        if not self.refused():
            self.enqueue(key)

    def action_transcribe_all(self) -> None:
        states = tr_store.transcript_states(self.qapp.ws.db)
        todo = [r.key for r in rec_store.list_recordings(self.qapp.ws.db)
                if (states.get(r.id or -1) or {}).get("status") != "done"]  # fmt: skip
        if not todo:
            self.notify(_("every recording has a transcript (R transcribes one again)"))
            return
        if self.refused():
            return
        for key in todo:
            if key != self.running and all(k != key for k, _r in self.queue):
                self.queue.append((key, False))
        if self.running is None:
            self.start_next()
        self.refresh_table()

    def action_restart(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify(_("no recording selected"), severity="warning")
            return
        if self.refused():
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.enqueue(key, restart=True)

        self.app.push_screen(Confirm(_(
            "Transcribe {key} again from the start? Edits of its text are replaced; codings are "
            "moved onto the new text (nothing changes if one cannot be placed)."
        ).format(key=key)), answered)  # fmt: skip

    def action_cancel(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("visible"):
            box.value = ""
            box.remove_class("visible")
            self.query_one(DataTable).focus()
            return
        dropped = len(self.queue)
        self.queue.clear()
        if self.workers.cancel_group(self, "transcribe"):
            self.query_one("#status", Static).update(
                _("cancelled: what is done is kept; t resumes where it stopped")
                + (" · " + _("{n} queued dropped").format(n=dropped) if dropped else "")
            )

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def transcribe(self, key: str, restart: bool = False) -> str:

        worker = get_current_worker()
        ws = self.qapp.ws.reopen()  # sqlite connections belong to one thread
        try:
            rec = rec_store.get_recording(ws.db, key)
            engine = self.qapp.engine_factory(ws.study)
            if worker.is_cancelled:
                return key
            self.app.call_from_thread(self._stage, _("{key}: decoding…").format(key=key))
            transcribe_recording(
                ws, rec, engine, restart=restart, should_stop=lambda: worker.is_cancelled,
                on_progress=lambda p: None if worker.is_cancelled else
                self.app.call_from_thread(self._show_progress, key, p),
            )  # fmt: skip
            return key
        finally:
            ws.close()

    def _stage(self, text: str) -> None:
        self.stage = text
        self.query_one("#status", Static).update(text + _(" (Esc cancels)"))

    def _tick(self) -> None:
        if self.running is None:
            return
        elapsed = _("{time} elapsed").format(time=format_timestamp(time.monotonic() - self.started))
        if self.last is not None:
            line = progress_line(self.running, self.last, len(self.queue))
        else:
            line = (self.stage or self.running) + _(" (Esc cancels)")
        self.query_one("#status", Static).update(f"{line} · {elapsed}")

    def _show_progress(self, key: str, p: Progress) -> None:
        if key != self.running:
            return  # a late report of a cancelled run
        self.last = p
        self.query_one(ProgressBar).update(progress=p.fraction)
        self.query_one("#status", Static).update(progress_line(key, p, len(self.queue)))
        table = self.query_one(DataTable)
        if key in table.rows:  # not when the filter hides it
            pct = _("▶ {pct}%").format(pct=f"{p.fraction * 100:.0f}")
            table.update_cell(key, table.ordered_columns[6].key, pct)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "transcribe":
            return
        status = self.query_one("#status", Static)
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        key, self.running = self.running, None
        self.query_one(ProgressBar).display = False
        if event.state == WorkerState.SUCCESS:
            status.update(_("{key}: transcribed").format(key=key))
            self.notify(_("{key} transcribed").format(key=key))
        elif event.state == WorkerState.ERROR:
            status.update(_("transcription failed"))
            self.notify(str(event.worker.error), severity="error",
                        title=_("Transcription failed"))  # fmt: skip
        self.reload()
        if event.state != WorkerState.CANCELLED:
            self.start_next()
