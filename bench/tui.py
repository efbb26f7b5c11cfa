"""TUI responsiveness: time to the first screen on the sample study, and to open a 2-hour
transcript (1,500 segments, ~20k words, generated) with codings — headless, same process.
Baseline: the same DataTable filled with the same rows as plain strings (no colours, no side
panel), so the ratio shows what qualtool's rendering costs on top of Textual itself.

Also: search as you type on the sample study (each keystroke's query and table refresh, after
the debounce; target < 50 ms; baseline: the raw search() call for the same prefix), and the UI's
largest frame gap while a transcription worker decodes (a fake engine: the figure that used to be
a timed test assertion; target < 200 ms).

Usage: python bench/tui.py        Targets: first screen < 1 s; open transcript < 300 ms.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's qualtool
sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from corpus import REPO, seed_sentences

from qualtool.domain import Coding
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import open_workspace


def sample_copy(tmp: Path) -> Path:
    root = tmp / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    return root


async def first_screen(root: Path) -> float:
    t0 = time.perf_counter()
    ws = open_workspace(root)
    app = QualtoolApp(ws, coder="aigerim")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        took = time.perf_counter() - t0
        assert app.screen.__class__.__name__ == "DashboardScreen"
    ws.close()
    return took


def long_transcript(root: Path) -> list[tuple[str | None, str]]:
    rng = random.Random(3)
    sents = seed_sentences()
    turns: list[tuple[str | None, str]] = []
    words = 0
    while len(turns) < 1500:
        text = " ".join(rng.choice(sents) for _ in range(rng.randint(1, 2)))
        text = " ".join(text.split()[:14])  # ~20k words in 1,500 turns
        turns.append(("I" if len(turns) % 5 == 0 else "R01", text))
        words += len(text.split())
    ws = open_workspace(root)
    add_text_recording(ws.db, "long-2h", turns, seconds_per_turn=4.8)
    ids = [r[0] for r in ws.db.execute("SELECT s.id FROM segments s JOIN transcripts t ON "
                                       "t.id = s.transcript_id JOIN recordings r ON r.id = "
                                       "t.recording_id WHERE r.key = 'long-2h'")]  # fmt: skip
    for sid in ids[::7]:
        add_coding(ws.db, Coding(sid, "BUR.EXTRA_DOCS", "aigerim", 0, 10, ""))
    ws.close()
    print(f"2-hour transcript: {len(turns):,} segments, {words:,} words, {len(ids[::7])} codings")
    return turns


async def open_transcript(root: Path) -> tuple[float, float]:
    from qualtool.tui.screens.transcript import TranscriptScreen

    ws = open_workspace(root)
    app = QualtoolApp(ws, coder="aigerim")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        await app.push_screen(TranscriptScreen("long-2h"))  # returns once mounted
        shown = time.perf_counter() - t0  # first rows in the table, keys answered
        screen = app.screen
        while screen.filled < len(screen.segments):  # type: ignore[attr-defined]
            await pilot.pause(0.01)
        full = time.perf_counter() - t0
        assert app.screen.query_one("#segments", DataTable).row_count == 1500
    ws.close()
    return shown, full


class Plain(App[None]):
    def __init__(self, rows: list[tuple[str | None, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()


async def baseline(rows: list[tuple[str | None, str]]) -> float:
    app = Plain(rows)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        t0 = time.perf_counter()
        table.add_columns("time", "who", "text")
        for n, (who, text) in enumerate(rows):
            table.add_row(str(n), who or "", text)
        await pilot.pause()
        return time.perf_counter() - t0


class SlowEngine:
    """Segments at a steady pace without model weights (what a real decode looks like to the
    UI: a thread that commits a segment now and then)."""

    name = "bench"

    def load_audio(self, path: str):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.zeros(16_000 * 60, dtype=np.float32)

    def detect_language(self, audio, candidates):  # type: ignore[no-untyped-def]
        return candidates[0], 1.0

    def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
        from qualtool.domain import Word
        from qualtool.transcribe.engine import RawSegment

        for n in range(12):
            time.sleep(0.15)
            text = f" Сегмент номер {n}, мне пришлось ждать в очереди два часа."
            words = tuple(Word(n * 4 + i * 0.4, n * 4 + i * 0.4 + 0.3, " " + w, 0.9)
                          for i, w in enumerate(text.split()))  # fmt: skip
            yield RawSegment(n * 4.0, n * 4.0 + 3.5, text, words, -0.2, 0.01, 1.3)


async def transcribe_lag(root: Path) -> tuple[float, int]:
    """Largest gap between 20 ms UI ticks while a recording transcribes in the worker."""
    import itertools

    from qualtool.domain import Language, Recording
    from qualtool.recordings.importing import import_file

    ws = open_workspace(root)
    wav = root.parent / "bench-01.wav"
    with wave.open(str(wav), "wb") as w:  # 2 s of silence: the fake engine ignores the audio
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(b"\0\0" * 32_000)
    import_file(ws.study, ws.db, wav, Recording(language=Language.RU))
    app = QualtoolApp(ws, coder="aigerim", engine_factory=lambda study: SlowEngine())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=0)  # bench-01 sorts first
        ticks: list[float] = []
        app.set_interval(0.02, lambda: ticks.append(time.perf_counter()))
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
    ws.close()
    lags = [b - a for a, b in itertools.pairwise(ticks)]
    return max(lags), len(ticks)


async def search_keystrokes(root: Path) -> tuple[list[float], list[float]]:
    """Per keystroke of «справки в цон»: the screen's query + table rows, and raw search()."""
    from qualtool.search.query import Mode, search
    from qualtool.tui.screens.search import SearchScreen

    ws = open_workspace(root)
    app = QualtoolApp(ws, coder="aigerim")
    ui, raw = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await app.workers.wait_for_complete()  # the morphology loads while the coder reads
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        query = "справки в цон"
        for n in range(1, len(query) + 1):
            t0 = time.perf_counter()
            screen.run_query(query[:n])  # the query and the rows put into the table
            ui.append(time.perf_counter() - t0)
            await pilot.pause()  # the frame (not timed: Pilot's own round trip is ~25 ms)
            t0 = time.perf_counter()
            with contextlib.suppress(Exception):
                search(ws.db, query[:n], Mode.LEMMA, limit=200)
            raw.append(time.perf_counter() - t0)
    ws.close()
    return ui, raw


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = sample_copy(Path(tmp))
        cold = await first_screen(root)  # builds the database from the study's files
        warm = min([await first_screen(root) for _ in range(3)])
        print(f"first screen, sample study: {cold * 1000:.0f} ms fresh clone (database "
              f"rebuilt), {warm * 1000:.0f} ms warm (target < 1000 ms)")  # fmt: skip
        ui, raw = await search_keystrokes(root)
        print(f"search as you type (sample study, 13 keystrokes): median {sorted(ui)[6] * 1000:.1f}"
              f" ms, max {max(ui) * 1000:.1f} ms a keystroke (target < 50 ms); baseline raw "
              f"search() median {sorted(raw)[6] * 1000:.1f} ms")  # fmt: skip
        lag, n = await transcribe_lag(root)
        print(f"UI while transcribing (fake engine, 12 segments): largest frame gap "
              f"{lag * 1000:.0f} ms over {n} ticks of 20 ms (target < 200 ms)")  # fmt: skip
        rows = long_transcript(root)
        base = min([await baseline(rows) for _ in range(3)])
        runs = [await open_transcript(root) for _ in range(3)]
        shown, full = min(r[0] for r in runs), min(r[1] for r in runs)
        print(
            f"open 2-hour transcript: {shown * 1000:.0f} ms to the first screen of segments "
            f"(target < 300 ms); all 1,500 rows loaded in the background by {full * 1000:.0f} ms"
        )
        print(
            f"baseline: plain DataTable with the same 1,500 rows {base * 1000:.0f} ms; "
            f"ratio first screen / baseline {shown / base:.2f}, full / baseline {full / base:.2f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
