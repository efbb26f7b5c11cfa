"""Cost of one coding action as the coder feels it: a journaled service writing the database,
the journal and the study's files (codings/<coder>.json, transcripts/) in one step, against
the raw store insert it wraps (no journal, no files) on the same study.

Usage: python bench/coding.py [TRANSCRIPTS] [WORDS] [CODINGS]   (default 30 × 3,000 words,
3,000 codings by two coders). Prints median milliseconds per action.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build

from qualtool.coding import actions, editing, history
from qualtool.coding import codebook as cb_service
from qualtool.domain import Coding
from qualtool.store.codings import add_coding, delete_coding

CODES = ["BUR.EXTRA_DOCS", "BUR.REPEAT_VISIT", "TECH.OUTAGE", "ACC.QUEUE", "BUR.DELAY"]


def median_ms(fn: Callable[[int], object], runs: int) -> float:
    times = []
    for n in range(runs):
        t = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    transcripts, words, codings = (int(x) for x in [*sys.argv[1:], "30", "3000", "3000"][:3])
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        ws = build(Path(tmp) / "bench", transcripts, words)
        segs = [(r[0], len(r[1])) for r in ws.db.execute("SELECT id, text FROM segments")]
        with ws.db.atomic():
            for n in range(codings):
                sid, length = rng.choice(segs)
                add_coding(ws.db, Coding(sid, rng.choice(CODES), ("anna", "boris")[n % 2], 0,
                                         min(length, 30), ""))  # fmt: skip
        print(f"study: {transcripts} transcripts × {words} words, {codings} codings")
        picks = [rng.choice(segs) for _ in range(40)]
        raw_ids: list[int] = []
        raw = median_ms(lambda n: raw_ids.append(add_coding(ws.db, Coding(
            picks[n][0], "TECH.AUTH", "anna", 0, min(picks[n][1], 12), "")).id or 0), 20)  # fmt: skip
        for cid in set(raw_ids):
            delete_coding(ws.db, cid)
        code = median_ms(lambda n: actions.apply_codes(
            ws, picks[n][0], (0, min(picks[n][1], 12)), ["TECH.AUTH"], "anna"), 20)  # fmt: skip
        undo = median_ms(lambda n: history.undo(ws), 10)
        redo = median_ms(lambda n: history.redo(ws), 10)
        edit = median_ms(lambda n: editing.set_speaker(ws, picks[20 + n][0], "R"), 10)
        merge = median_ms(lambda n: cb_service.rename_code(ws, "TECH.AUTH", f"Вход {n}"), 5)
        print(f"raw store insert (baseline, no journal/files): {raw:7.1f} ms")
        print(f"code (journal + coder file):                   {code:7.1f} ms")
        print(f"undo / redo:                                    {undo:7.1f} / {redo:.1f} ms")
        print(f"set speaker (journal + transcript files):       {edit:7.1f} ms")
        print(f"codebook rename (YAML + sync + every layer):    {merge:7.1f} ms")
        ws.close()


if __name__ == "__main__":
    main()
