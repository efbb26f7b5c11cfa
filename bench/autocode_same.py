"""Do two checkouts' auto-coding runs give the very same suggestions? A speed change must not
move a single score: this builds one bench study, runs `suggest` on a copy of it with each
checkout's code (its own process, PYTHONPATH=that checkout), teaches both the same decisions
(every 5th suggestion accepted, every 7th rejected) and runs again, and compares every
suggestion row — id, segment, code, span, quote, score and base score to the last bit, reason —
and every feature value of every candidate built, not only the stored ones.

Usage: python bench/autocode_same.py OTHER_CHECKOUT [--transcripts 10] [--words 10000]
[--seeds DIR] (the speed bench's study is made of the seed reports in ../shared/seeds beside
the checkout; without them, of the codebook's own quotes)
(the checkout this file is in is the other side; both run with this interpreter).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ACCEPT_EVERY, REJECT_EVERY = 5, 7


def _rows(db: Any) -> list[list[Any]]:
    """Every suggestion row, floats as their exact hex (a repr could hide nothing, but hex
    says so at a glance)."""
    out = []
    for r in db.execute(
        'SELECT id, segment_id, code_id, start, "end", quote, score, base_score, reason, status '
        "FROM suggestions ORDER BY id"
    ):
        out.append([x.hex() if isinstance(x, float) else x for x in r])
    return out


def run_one(study: Path, out: Path) -> None:
    """In this process's checkout: suggest, decide, suggest again; write what it saw."""
    import numpy as np

    from qualtool.autocode import review, scoring
    from qualtool.autocode import suggest as autocode
    from qualtool.store.codebook import load_codebook
    from qualtool.workspace.study import open_workspace

    built: list[list[Any]] = []
    original = scoring.Scorer._candidates

    def recording(self: Any, scored: Any, pairs: Any) -> Any:
        cands = original(self, scored, pairs)
        for c in cands:
            feats = {k: float(np.float64(v)).hex() for k, v in sorted(c.features.items())}
            built.append([c.code_id, c.start, c.end, float(c.probability).hex(),
                          float(c.base).hex(), feats, c.semantic, c.example and
                          [c.example[0], c.example[1], float(c.example[2]).hex()]])  # fmt: skip
        return cands

    scoring.Scorer._candidates = recording  # type: ignore[method-assign]
    print("code:", Path(scoring.__file__).parent.parent.parent, file=sys.stderr)
    ws = open_workspace(study, sync=True)
    cb = load_codebook(ws.db)
    result: dict[str, Any] = {}
    autocode.suggest(ws.db, cb)
    result["first"], result["first_built"] = _rows(ws.db), built[:]
    built.clear()
    ids = [r[0] for r in ws.db.execute("SELECT id FROM suggestions ORDER BY id")]
    review.accept_many(ws, ids[::ACCEPT_EVERY], "bench")
    rejected = [i for i in ids[::REJECT_EVERY] if i not in set(ids[::ACCEPT_EVERY])]
    review.reject_many(ws, rejected, "bench")
    autocode.suggest(ws.db, cb)
    result["taught"], result["taught_built"] = _rows(ws.db), built[:]
    autocode.suggest(ws.db, cb, semantic=False)
    result["lexical"] = _rows(ws.db)
    ws.close()
    out.write_text(json.dumps(result, ensure_ascii=False))


def compare(other: Path, transcripts: int, words: int, seeds: Path | None) -> int:
    sys.path.insert(0, str(HERE))
    import corpus  # type: ignore[import-not-found]
    from corpus import build

    if seeds is not None:  # the seed reports a checkout's ../shared/seeds would hold
        corpus.SEEDS = seeds

    from qualtool.search.query import refresh_index

    mine = HERE.parent
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "study"
        ws = build(base, transcripts, words)
        refresh_index(ws.db)
        ws.close()
        found = {}
        for name, checkout in (("this", mine), ("other", other)):
            study = Path(tmp) / name
            shutil.copytree(base, study)
            out = Path(tmp) / f"{name}.json"
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            subprocess.run([sys.executable, __file__, "--run", str(study), str(out)], env=env,
                           check=True, cwd=checkout)  # fmt: skip
            found[name] = json.loads(out.read_text())
    bad = 0
    for part in found["this"]:
        a, b = found["this"][part], found["other"][part]
        same = sum(x == y for x, y in zip(a, b, strict=False))
        print(f"{part:<12} {len(a):>7} rows here, {len(b):>7} there, {same:>7} identical")
        if a != b:
            bad += 1
            diff = next((x, y) for x, y in zip(a, b, strict=False) if x != y) if same < min(
                len(a), len(b)) else ("lengths", (len(a), len(b)))  # fmt: skip
            print("  first difference:", json.dumps(diff, ensure_ascii=False)[:600])
    print("SAME" if not bad else "DIFFERENT")
    return 1 if bad else 0


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--run":
        run_one(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("other", type=Path)
    ap.add_argument("--transcripts", type=int, default=10)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--seeds", type=Path, help="seed reports folder (default: ../shared/seeds)")
    args = ap.parse_args()
    sys.exit(compare(args.other.resolve(), args.transcripts, args.words, args.seeds))


if __name__ == "__main__":
    main()
