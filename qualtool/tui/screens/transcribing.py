"""The transcription queue of the recordings list: transcription runs in a worker over a queue
of recordings, with live progress (audio decoded / duration, speed, time left); Esc cancels at
once and keeps every finished segment; R transcribes a recording again; an anonymised study
refuses it. A base of `DashboardScreen`, which shows the recordings (`selected_key`,
`refresh_table`, `reload`, the `#recordings` table, `#progress` and `#status`)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.timer import Timer
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import _
from qualtool.i18n.numbers import fmt
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.transcribe.run import no_audio, transcribe_recording
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.widgets.confirm import Confirm
from qualtool.workspace.transcripts import refuse_if_anonymised

if TYPE_CHECKING:
    from qualtool.transcribe.run import Progress


def progress_line(key: str, p: Progress, queued: int) -> str:
    """`idi-02: 2:13 / 10:05 · 22% · 1.8× real time · 4:12 left · 2 queued`."""
    parts = [f"{key}: {format_timestamp(p.done)} / {format_timestamp(p.total)}",
             f"{p.fraction * 100:.0f}%"]  # fmt: skip
    if p.speed > 0:
        parts.append(fmt(_("{speed:.1f}× real time"), speed=p.speed))
    if p.eta is not None and p.fraction < 1:
        parts.append(_("{time} left").format(time=format_timestamp(p.eta)))
    if queued:
        parts.append(_("{n} queued").format(n=queued))
    return " · ".join(parts) + _(" (Esc cancels)")


class TranscribingScreen(StudyScreen):
    """The queue and its worker; the screen that shows the recordings implements the three
    methods below (the keys stay in its BINDINGS, where the footer and help read them)."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[tuple[str, bool]] = []  # (recording key, restart)
        self.running: str | None = None
        self.last: Progress | None = None
        self.started = 0.0
        self.ticker: Timer | None = None
        self.stage = ""

    def selected_key(self) -> str | None:
        """The recording under the cursor (None: said to the user)."""
        raise NotImplementedError

    def refresh_table(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

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

    def nothing_to_do(self, key: str, restart: bool = False) -> bool:
        """A recording without audio (its transcript came as text), or for t one already
        transcribed: said, nothing queued. The worker tried to decode `text:<key>` as a file
        («cannot decode audio»), and t on a finished transcript loaded the model and the audio
        to say «transcribed» again."""
        db = self.qapp.ws.db
        try:
            rec = rec_store.get_recording(db, key)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return True
        if rec.text_only:
            self.notify(no_audio(key), severity="warning")
            return True
        state = tr_store.transcript_states(db).get(rec.id or -1) or {}
        if not restart and key != self.running and state.get("status") == "done":
            self.notify(_("{key} already has a transcript (R transcribes it again)").format(
                key=key))  # fmt: skip
            return True
        return False

    def action_transcribe(self) -> None:
        key = self.selected_key()
        if key is None or self.nothing_to_do(key):
            return
        if not self.refused():
            self.enqueue(key)

    def action_transcribe_all(self) -> None:
        states = tr_store.transcript_states(self.qapp.ws.db)
        todo = [r.key for r in rec_store.list_recordings(self.qapp.ws.db) if not r.text_only
                and (states.get(r.id or -1) or {}).get("status") != "done"]  # fmt: skip
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
        if key is None or self.nothing_to_do(key, restart=True):
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

    def cancel_queue(self) -> None:
        """Esc: the queue dropped, the running transcription stopped (what is done is kept)."""
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
        table = self.query_one("#recordings", DataTable)
        if key in table.rows:  # not when the filter hides it
            pct = _("▶ {pct}%").format(pct=f"{p.fraction * 100:.0f}")
            table.update_cell(key, "transcript", pct)

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
