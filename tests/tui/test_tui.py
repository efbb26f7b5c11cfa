"""The TUI driven headless with Pilot against a real temporary study and a fake engine."""

from __future__ import annotations

import asyncio
import threading

from conftest import AUDIO, SCRIPT, FakeEngine
from textual.widgets import DataTable
from textual.worker import WorkerState

from qualtool.domain import Coding, Language, Recording
from qualtool.recordings.importing import import_file
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import add_coding, codings_for_transcript
from qualtool.tui.app import QualtoolApp


def _app(ws, engine):  # type: ignore[no-untyped-def]
    import_file(ws.study, ws.db, AUDIO / "idi-02.flac", Recording(language=Language.RU))
    return QualtoolApp(ws, coder="anna", engine_factory=lambda study: engine)


class GatedEngine(FakeEngine):
    """Decodes the first segment, then waits for the test to open the gate: the worker is
    provably busy while the test drives the UI (no clock involved)."""

    def __init__(self) -> None:
        super().__init__(SCRIPT)
        self.busy = threading.Event()
        self.gate = threading.Event()
        self.finished = threading.Event()

    def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
        try:
            for n, raw in enumerate(super().segments(audio, language, options)):
                if n == 1:
                    self.busy.set()
                    self.gate.wait(10)
                yield raw
        finally:
            self.finished.set()


async def test_transcribe_from_dashboard_keeps_ui_responsive(empty_study) -> None:  # type: ignore[no-untyped-def]
    engine = GatedEngine()
    app = _app(empty_study, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await asyncio.get_running_loop().run_in_executor(None, engine.busy.wait, 10)
        (worker,) = app.workers
        await pilot.press("o")  # the UI handles a key while the worker decodes
        await pilot.pause()
        assert worker.state == WorkerState.RUNNING and app.screen.sort_by == "method"
        assert "%" in str(app.screen.query_one("#status").render())  # live progress shown
        engine.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "done · 5 seg" in str(table.get_row_at(0)[6])
    t = tr_store.get_transcript(empty_study.db, 1)
    assert len(t.segments) == 5


async def test_cancel_keeps_what_is_done(empty_study) -> None:  # type: ignore[no-untyped-def]
    engine = GatedEngine()
    app = _app(empty_study, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await asyncio.get_running_loop().run_in_executor(None, engine.busy.wait, 10)
        (worker,) = app.workers
        await pilot.press("escape")
        await pilot.pause()
        # cancelled at once, while the engine is still inside its decode
        assert worker.state == WorkerState.CANCELLED and not engine.finished.is_set()
        assert "cancelled" in str(app.screen.query_one("#status").render())
        engine.gate.set()
        await asyncio.get_running_loop().run_in_executor(None, engine.finished.wait, 10)
        await pilot.pause()
    t = tr_store.get_transcript(empty_study.db, 1)
    # what was decoded is kept, including the segment in progress when Esc came; no more
    assert len(t.segments) == 2 and t.status.value == "pending"


async def test_review_edit_text_and_speaker(empty_study) -> None:  # type: ignore[no-untyped-def]
    engine = FakeEngine(SCRIPT)
    app = _app(empty_study, engine)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seg = tr_store.get_transcript(empty_study.db, 1).segments[1]
        q = "требовали дополнительные справки"
        add_coding(
            empty_study.db,
            Coding(
                seg.id, "BUR.EXTRA_DOCS", "anna", seg.text.index(q), seg.text.index(q) + len(q), ""
            ),
        )
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TranscriptScreen"
        await pilot.press("down", "e")
        editor = app.screen.query_one("#editor")
        editor.value = (
            "Ну, мне пришлось три раза ходить в ЦОН, потому что требовали дополнительные справки."
        )
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        app.screen.query_one("#editor").value = "R02"
        await pilot.press("enter")
        await pilot.pause()
    t = tr_store.get_transcript(empty_study.db, 1)
    assert t.segments[1].text.startswith("Ну, мне пришлось три раза ходить")
    assert t.segments[1].speaker == "R02"
    (c,) = codings_for_transcript(empty_study.db, t.id)
    assert t.segments[1].text[c.start : c.end] == "требовали дополнительные справки"


async def test_open_without_transcript_notifies(empty_study) -> None:  # type: ignore[no-untyped-def]
    app = _app(empty_study, FakeEngine(SCRIPT))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DashboardScreen"
        assert any("no transcript yet" in n.message for n in app._notifications)


async def test_broken_model_and_deleted_recording_notify(empty_study) -> None:  # type: ignore[no-untyped-def]
    from qualtool.domain.errors import ModelUnavailable
    from qualtool.store import recordings as rec_store

    def broken(study):  # type: ignore[no-untyped-def]
        raise ModelUnavailable(
            "model 'offline' is not installed: run qualtool model install-offline"
        )

    import_file(empty_study.study, empty_study.db, AUDIO / "idi-02.flac",
                Recording(language=Language.RU))  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", engine_factory=broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("install-offline" in n.message for n in app._notifications)
        assert app.screen.__class__.__name__ == "DashboardScreen"
        # the recording disappears behind the UI's back (another process removed it)
        rec_store.delete_recording(
            empty_study.db, rec_store.get_recording(empty_study.db, "idi-02")
        )
        await pilot.press("enter")
        await pilot.pause()
        assert any("no recording" in n.message for n in app._notifications)
