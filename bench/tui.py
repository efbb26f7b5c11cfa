"""TUI responsiveness: time to the first screen on the sample study, and to open a 2-hour
transcript (1,500 segments, ~20k words, generated) with codings — headless, same process.
Baseline: the same DataTable filled with the same rows as plain strings (no colours, no side
panel), so the ratio shows what qualtool's rendering costs on top of Textual itself.

Usage: python bench/tui.py        Targets: first screen < 1 s; open transcript < 300 ms.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

sys.path.insert(0, str(Path(__file__).resolve().parent))
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


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = sample_copy(Path(tmp))
        cold = await first_screen(root)  # builds the database from the study's files
        warm = min([await first_screen(root) for _ in range(3)])
        print(f"first screen, sample study: {cold * 1000:.0f} ms fresh clone (database "
              f"rebuilt), {warm * 1000:.0f} ms warm (target < 1000 ms)")  # fmt: skip
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
