"""The review's decisions at scale: a study with N decisions (default 100,000) in a temporary
folder, and the time to load `privacy/decisions.yml`, list the review (`qualtool anonymise`),
record one decision and apply — for this tree and, in the same run, for a baseline revision
(default e24a064, before the fast reader and matcher), each in its own process on its own copy
of the same study.

The study: recordings of 100 segments drawn from a few hundred distinct sentences with names,
an IIN and phones; a decision on every finding, and what a real file holds besides — 10 % of
the segments edited after the review (a word in front, so their decisions must follow their
words), unmarked study-keyed hashes (rewritten on the first listing), another laptop's
legacy hashes this one cannot read and stale ones whose words are gone (both searched for on
every listing), added spans, and the duplicate lines a union merge leaves.

Detection is not the decisions' cost: it is memoised per distinct text (its time per segment
is printed apart; uncached it is ~3 ms a segment on every listing).

Run: python -m bench.decisions [--decisions N] [--baseline REV | --no-baseline] [--no-apply]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIRST = ["Айгерим", "Ерлан", "Гульнара", "Асель", "Марат", "Дамир", "Алия", "Нурлан", "Сауле",
         "Бахыт", "Жанар", "Руслан", "Ольга", "Сергей", "Тимур", "Мадина"]  # fmt: skip
LAST = ["Нурлановна", "Жумабаев", "Сейткалиев", "Ахметова", "Касымов", "Омарова", "Искаков",
        "Бекова", "Петрова", "Смагулов"]  # fmt: skip
TEMPLATES = [
    "Меня принимала {a} {b}, а потом {c} в Каскелене, телефон +7 701 {p}.",
    "{a} {b} сказала, что {c} перезвонит, но {d} так и не пришёл, и мы ждали в ЦОНе.",
    "Я говорил с {a}, потом с {c} {b}, мой ИИН 8501014001{q}, и никто не помог.",
    "В ЦОНе {a} {b} отправила меня к {c}, а {d} сказал ждать до обеда, очередь большая.",
    "Сначала {a} приняла документы, потом {c} {d} вернул их, и {a} снова приняла их.",
]
EDIT = "Ну, вот. "  # put in front of an edited segment's text: every decision there moves
PER_RECORDING = 100


def _texts(rnd: random.Random, n: int) -> list[str]:
    return [rnd.choice(TEMPLATES).format(
        a=rnd.choice(FIRST), b=rnd.choice(LAST), c=rnd.choice(FIRST), d=rnd.choice(LAST),
        p=f"{rnd.randint(100, 999)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}",
        q=f"{rnd.randint(10, 99)}") for _ in range(n)]  # fmt: skip


def _memo_detector(ws: Any) -> tuple[Any, float]:
    """The study's detector, memoised per text; the time per distinct text it took."""
    from qualtool.privacy import review

    det = review.study_detector(ws)
    plain, cache = det.detect, {}
    det.spent = 0.0  # type: ignore[attr-defined]

    def detect(text: str) -> list[Any]:
        if text not in cache:
            t = time.perf_counter()
            cache[text] = plain(text)
            det.spent += time.perf_counter() - t  # type: ignore[attr-defined]
        return list(cache[text])

    det.detect = detect  # type: ignore[method-assign]
    texts = {s["text"] for s in review.store.segments(ws.db)}
    t = time.perf_counter()
    for text in texts:
        det.detect(text)
    return det, (time.perf_counter() - t) / max(1, len(texts))


def build(root: Path, n: int, seed: int = 1) -> dict[str, Any]:
    """The study with about `n` decisions, written by this tree's code."""
    from qualtool.files import decisions as dfile
    from qualtool.files.study import init_study
    from qualtool.privacy import review
    from qualtool.recordings.corpus import add_text_recording
    from qualtool.workspace.study import open_workspace

    rnd = random.Random(seed)
    study = init_study(root, name="Bench", year=2025, coder="bench")
    ws = open_workspace(study.root, sync=True)
    key = review.review_key(ws)
    texts = _texts(rnd, 400)
    det = review.study_detector(ws)
    found = {t: det.detect(t) for t in texts}
    per = sum(map(len, found.values())) / len(texts)
    segments = int(n / per) + 1
    out: list[dfile.Decision] = []
    rec = 0
    while rec * PER_RECORDING < segments:
        turns = []
        for idx in range(min(PER_RECORDING, segments - rec * PER_RECORDING)):
            text = rnd.choice(texts)
            where = f"rec-{rec:04d}#{idx}"
            for e in found[text]:
                digest, r = review.span_digest(key, e.text), rnd.random()
                if r < 0.02:
                    digest = digest.removeprefix(review.MARK)  # unmarked: rewritten when listed
                elif r < 0.03:
                    digest = f"{rnd.getrandbits(96):024x}"  # another laptop's legacy key
                elif r < 0.04:
                    digest = review.span_digest(key, "Слово")  # stale: its words are gone
                decision = "accept" if rnd.random() < 0.3 else "reject"
                out.append(dfile.Decision(where, e.start, e.end, e.kind.value, digest, decision))
            if rnd.random() < 0.05:
                w = [m.span() for m in re.finditer(r"\w+", text)][-1]  # the last word
                out.append(dfile.Decision(where, *w, "address",
                                          review.span_digest(key, text[w[0]:w[1]]), "add"))  # fmt: skip
            turns.append(("R", EDIT + text if rnd.random() < 0.1 else text))
        add_text_recording(ws.db, f"rec-{rec:04d}", turns)
        rec += 1
    ws.close()
    dfile.save(root, out)
    path = root / dfile.DECISIONS_FILE
    dup = [line for line in path.read_text(encoding="utf-8").splitlines(True)[3:]
           if rnd.random() < 0.01]  # fmt: skip
    with path.open("a", encoding="utf-8") as f:  # what a union merge leaves: unsorted, twice
        f.writelines(dup)
    return {"decisions": len(out) + len(dup), "segments": segments, "recordings": rec,
            "mb": round(path.stat().st_size / 1e6, 1)}  # fmt: skip


def _timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    got = fn()
    return time.perf_counter() - t, got


def worker(root: Path, do_apply: bool) -> dict[str, Any]:
    """Every figure for the qualtool on sys.path (this tree or the baseline's)."""
    from qualtool.privacy import apply, decisions, review
    from qualtool.store import journal
    from qualtool.workspace.study import open_workspace

    ws = open_workspace(root, sync=False)
    det, per_text = _memo_detector(ws)
    review.study_detector = apply.study_detector = lambda _ws: det  # type: ignore[assignment]
    vault = apply.study_vault(ws)
    pseud = apply.Pseudonymiser(vault.secret, vault.numbers)
    path = root / decisions.DECISIONS_FILE
    as_built = path.read_bytes()
    out: dict[str, Any] = {"detect ms/text (memoised below)": round(per_text * 1000, 2)}
    out["load"], loaded = _timed(lambda: decisions.load(root))
    out["list, first (moved ones written back)"], _first = _timed(
        lambda: review.segment_findings(ws, pseud, None, det)
    )
    out["list, again"], again = _timed(lambda: review.segment_findings(ws, pseud, None, det))
    out["findings"], out["decided"] = len(again), sum(f.status != "pending" for f in again)
    out["decisions read"] = len(loaded)
    pending = next(f for f in again if f.status == "pending")
    out["add one decision"], _ = _timed(lambda: review.decide(ws, pending, "reject"))
    entry = journal.next_undo(ws.db)
    out["journal entry MB"] = round(len(json.dumps(entry.items if entry else [])) / 1e6, 2)
    out["list after it"], _ = _timed(lambda: review.segment_findings(ws, pseud, None, det))
    listed = [(f.where, f.entity.start, f.entity.end, f.entity.kind.value, f.status, f.digest,
               f.context) for f in again]  # fmt: skip
    out["listing"] = listed
    if do_apply:
        path.write_bytes(as_built)  # the study as built (the moves are found again)
        parts = {"segment_findings": 0.0, "forget_replaced": 0.0}

        def timer(name: str, fn: Any) -> Any:
            def run(*a: Any, **k: Any) -> Any:
                t, spent = time.perf_counter(), det.spent
                try:
                    return fn(*a, **k)
                finally:  # without detecting the texts apply wrote
                    parts[name] += time.perf_counter() - t - (det.spent - spent)

            return run

        apply.segment_findings = timer("segment_findings", apply.segment_findings)
        apply.forget_replaced = timer("forget_replaced", apply.forget_replaced)
        det.spent = 0.0
        out["apply (all of it)"], _ = _timed(lambda: apply.anonymise(ws, vault))
        out["apply: detecting its new texts"] = det.spent
        out["apply: its review listing (no detection)"] = parts["segment_findings"]
        out["apply: forget_replaced (no detection)"] = parts["forget_replaced"]
        out["decisions left after apply"] = len(decisions.load(root))
        out["file after apply"] = path.read_text(encoding="utf-8")
    ws.close()
    return out


def _run(tree: Path, study: Path, vault: Path, do_apply: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "QUALTOOL_VAULT": str(vault)}
    args = [sys.executable, str(Path(__file__).resolve()), "--worker", str(study)]
    done = subprocess.run([*args, *([] if do_apply else ["--no-apply"])], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        sys.exit(f"worker failed ({tree}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=100_000)
    ap.add_argument("--baseline", default="e24a064", help="git revision to compare with")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-apply", action="store_true")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(worker(a.worker, not a.no_apply), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="bench-decisions-") as tmp_:
        tmp = Path(tmp_)
        os.environ["QUALTOOL_VAULT"] = str(tmp / "vault-build")
        sys.path.insert(0, str(REPO))
        t, size = _timed(lambda: build(tmp / "study", a.decisions))
        print(f"study: {size} (built in {t:.1f} s)")
        runs = {"new": REPO}
        if not a.no_baseline:
            base = tmp / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "archive", a.baseline, "qualtool"], cwd=REPO,
                                     capture_output=True, check=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            runs = {f"baseline {a.baseline}": base, **runs}
        results = {}
        for name, tree in runs.items():
            study = tmp / f"study-{len(results)}"
            shutil.copytree(tmp / "study", study)
            results[name] = _run(tree, study, tmp / f"vault-{len(results)}", not a.no_apply)
        rows = [k for k in results["new"] if k not in ("listing", "file after apply")]
        print(f"\n{'':<40}" + "".join(f"{n:>22}" for n in results))
        for k in rows:
            cells = [r.get(k, "") for r in results.values()]
            print(f"{k:<40}" + "".join(f"{c:>22.3f}" if isinstance(c, float) else f"{c!s:>22}"
                                       for c in cells))  # fmt: skip
        if len(results) == 2:
            old, new = results.values()
            for k in ("listing", "file after apply"):
                if k in new:
                    print(f"{k}: {'the same' if old[k] == new[k] else 'DIFFERENT'} in both")


if __name__ == "__main__":
    main()
