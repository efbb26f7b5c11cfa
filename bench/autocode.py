"""Auto-coding quality, learning and speed (issue #16).

Quality: tests/data/autocode_heldout.yml — whole interviews and focus groups written in new
words, with diarisation-style labels, so interviewer detection is part of what is measured.
Its `dev` split may be tuned on (the calibration weights are fitted on it with --fit); the
`test` split is the held-out figure. Per split: recall and precision over all suggestions
(score ≥ the queue floor) and at the default accept threshold, per code and overall, and how
many interviewer turns got a suggestion.
Learning: a coder accepts the correct and rejects the wrong suggestions of the dev recordings;
the next run is measured on the test recordings again.
Speed: the 1M-word bench study (bench/corpus.py), lexical matcher alone vs full auto-coding,
in the same process; the navec model is loaded once (counted).

Usage: python -m bench.autocode [--fit] [--speed] [--transcripts 100] [--words 10000]
Targets: all suggestions recall ≥ 0.85 & precision ≥ 0.60; at the default threshold precision
≥ 0.80 & recall ≥ 0.75; interviewer turns suggested 0; full ≤ 1.5× lexical; lexical < 20 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, build, word_count

from qualtool.autocode import calibrate, semantic
from qualtool.autocode import suggest as autocode
from qualtool.domain import Method
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace, open_workspace

HELDOUT = REPO / "tests" / "data" / "autocode_heldout.yml"


def load_heldout() -> list[dict[str, Any]]:
    return list(YAML(typ="safe").load(HELDOUT.read_text())["recordings"])


def heldout_study(root: Path) -> tuple[Workspace, dict[int, dict[str, Any]]]:
    """The held-out set as a study; returns segment id → {split, codes, interviewer?}."""
    study = init_study(root, name="heldout", year=2025, coder="bench")
    (study.codebooks_dir / "barriers.yml").write_text(
        (REPO / "codebooks" / "barriers.yml").read_text()
    )
    ws = open_workspace(study.root, sync=True)
    truth: dict[int, dict[str, Any]] = {}
    for rec in load_heldout():
        turns = [(t.get("s"), t["t"]) for t in rec["turns"]]
        r = add_text_recording(ws.db, rec["key"], turns, method=Method(rec["method"]),
                               service=rec.get("service"), interviewer=rec.get("interviewer"))  # fmt: skip
        ids = [row[0] for row in ws.db.execute(
            "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE t.recording_id = ? ORDER BY s.idx", [r.id])]  # fmt: skip
        asks = _interviewer_turns(rec)
        for sid, turn, ask in zip(ids, rec["turns"], asks, strict=True):
            truth[sid] = {"split": rec["split"], "codes": set(turn.get("c") or []),
                          "interviewer": ask, "recording": rec["key"]}  # fmt: skip
    return ws, truth


def _interviewer_turns(rec: dict[str, Any]) -> list[bool]:
    """Ground truth: the first turn is the interviewer's; labelled recordings keep that label;
    unlabelled ones alternate except where a turn carries codes or follows a coded turn."""
    turns = rec["turns"]
    first = turns[0].get("s")
    if first:
        return [t.get("s") == first for t in turns]
    return [not t.get("c") and n % 2 == 0 for n, t in enumerate(turns)]


def measure(
    ws: Workspace, truth: dict[int, dict[str, Any]], split: str, threshold: float
) -> dict[str, Any]:
    got: dict[int, set[str]] = defaultdict(set)
    for status in ("pending", "accepted", "rejected"):
        for s in sug_store.queue(ws.db, status, min_score=threshold, limit=1_000_000):
            got[s.segment_id].add(s.code_id)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    asked = 0
    for sid, t in truth.items():
        if t["split"] != split:
            continue
        if t["interviewer"]:
            asked += bool(got.get(sid))
            continue
        for c in got.get(sid, set()) | t["codes"]:
            hit, want = c in got.get(sid, set()), c in t["codes"]
            per[c][0 if hit and want else 1 if hit else 2] += 1
    tp = sum(v[0] for v in per.values())
    fp = sum(v[1] for v in per.values())
    fn = sum(v[2] for v in per.values())
    return {"recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1), "per": per,
            "interviewer_suggested": asked, "tp": tp, "fp": fp, "fn": fn}  # fmt: skip


def report(ws: Workspace, truth: dict[int, dict[str, Any]], split: str, label: str) -> None:
    floor, accept = autocode.DEFAULT_THRESHOLD, autocode.DEFAULT_ACCEPT
    n_resp = sum(1 for t in truth.values() if t["split"] == split and t["codes"])
    n_none = sum(1 for t in truth.values() if t["split"] == split and not t["codes"]
                 and not t["interviewer"])  # fmt: skip
    n_int = sum(1 for t in truth.values() if t["split"] == split and t["interviewer"])
    codes = {c for t in truth.values() if t["split"] == split for c in t["codes"]}
    print(f"\n== {label}: {n_resp} coded respondent turns over {len(codes)} codes, {n_none} "
          f"respondent turns without a barrier, {n_int} interviewer turns")  # fmt: skip
    for name, th in (("all suggestions", floor), ("default threshold", accept)):
        m = measure(ws, truth, split, th)
        print(f"{name:<18} (score ≥ {th:.2f}): recall {m['recall']:.2f}  precision "
              f"{m['precision']:.2f}  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']}); interviewer "
              f"turns suggested: {m['interviewer_suggested']}")  # fmt: skip
    m_all, m_def = measure(ws, truth, split, floor), measure(ws, truth, split, accept)
    print(f"{'code':<22} {'all: R':>7} {'P':>5} {'default: R':>11} {'P':>5}")
    for c in sorted(set(m_all["per"]) | codes):
        a, d = m_all["per"].get(c, [0, 0, 0]), m_def["per"].get(c, [0, 0, 0])
        ra = a[0] / max(a[0] + a[2], 1) if a[0] + a[2] else float("nan")
        pa = a[0] / max(a[0] + a[1], 1) if a[0] + a[1] else float("nan")
        rd = d[0] / max(d[0] + d[2], 1) if d[0] + d[2] else float("nan")
        pd = d[0] / max(d[0] + d[1], 1) if d[0] + d[1] else float("nan")
        print(f"{c:<22} {ra:>7.2f} {pa:>5.2f} {rd:>11.2f} {pd:>5.2f}")


def teach_dev(ws: Workspace, truth: dict[int, dict[str, Any]]) -> tuple[int, int]:
    """A coder goes through the dev recordings' queue: correct ones accepted, others rejected."""
    acc = rej = 0
    for s in sug_store.queue(ws.db, limit=1_000_000):
        t = truth.get(s.segment_id)
        if t is None or t["split"] != "dev":
            continue
        if s.code_id in t["codes"]:
            autocode.accept(ws.db, s.id, "bench")
            acc += 1
        else:
            autocode.reject(ws.db, s.id, "bench")
            rej += 1
    return acc, rej


def fit(ws: Workspace, truth: dict[int, dict[str, Any]]) -> None:
    """Fit the calibration on dev respondent turns and the gold seed quotes (never test)."""
    scorer = autocode.build_scorer(ws.db, load_codebook(ws.db), [])
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    texts: list[tuple[str, set[str], str | None]] = []
    question = None
    for sid, t in sorted(truth.items()):
        text = ws.db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
        if t["interviewer"]:
            question = text
        elif t["split"] == "dev":
            texts.append((text, t["codes"], question))
    gold = YAML(typ="safe").load((REPO / "tests" / "data" / "gold_quotes.yml").read_text())
    for part in ("quotes", "heldout"):
        texts += [(q["text"], {q["code"]}, None) for q in gold[part]]
    for text, codes, question in texts:
        best: dict[str, tuple[float, dict[str, float]]] = {}
        for cand in scorer.candidates(text, context=question):
            if cand.code_id not in best or cand.probability > best[cand.code_id][0]:
                best[cand.code_id] = (cand.probability, cand.features)
        for code_id, (_, feats) in best.items():
            rows.append(feats)
            labels.append(code_id in codes)
    print(f"fit on {len(texts)} texts, {len(rows)} candidates, {sum(labels)} positive")
    print("FULL =", calibrate.fit(rows, labels, calibrate.FEATURES))
    print("LEXICAL =", calibrate.fit(rows, labels, calibrate.LEXICAL_FEATURES))


def speed(transcripts: int, words: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = build(Path(tmp) / "bench", transcripts, words)
        from qualtool.search.query import refresh_index

        refresh_index(ws.db)
        nwords = word_count(ws)
        cb = load_codebook(ws.db)
        s = time.perf_counter()
        n_lex = autocode.suggest(ws.db, cb, semantic=False)
        t_lex = time.perf_counter() - s
        ws.db.execute("DELETE FROM suggestions")
        ws.db.conn.commit()
        s = time.perf_counter()
        n_full = autocode.suggest(ws.db, cb)
        t_full = time.perf_counter() - s
        s = time.perf_counter()
        autocode.suggest(ws.db, cb)
        t_again = time.perf_counter() - s
        loads = semantic.navec_model.cache_info()
        print(f"\n== speed on {nwords:,} words")
        print(f"lexical matcher alone: {t_lex:.1f} s ({n_lex:,} suggestions; target < 20 s, "
              f"35 s before #16)")  # fmt: skip
        print(f"full auto-coding (lexical + semantic + speakers): {t_full:.1f} s "
              f"({n_full:,} suggestions) = {t_full / t_lex:.2f}× lexical (target ≤ 1.5×); "
              f"second run {t_again:.1f} s")  # fmt: skip
        print(f"navec loads in this process: {loads.misses} (cache hits {loads.hits})")
        ws.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--words", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws, truth = heldout_study(Path(tmp) / "heldout")
        if args.fit:
            fit(ws, truth)
            return
        autocode.suggest(ws.db, load_codebook(ws.db))
        report(ws, truth, "dev", "dev split (tuned on)")
        sweep = [
            (th, measure(ws, truth, "dev", th)) for th in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
        ]
        print("dev sweep: " + ", ".join(f"≥{th:.2f} R {m['recall']:.2f} P {m['precision']:.2f}"
                                       for th, m in sweep))  # fmt: skip
        report(ws, truth, "test", "test split (held out)")
        before = measure(ws, truth, "test", autocode.DEFAULT_THRESHOLD)
        before_def = measure(ws, truth, "test", autocode.DEFAULT_ACCEPT)
        acc, rej = teach_dev(ws, truth)
        autocode.suggest(ws.db, load_codebook(ws.db))
        after = measure(ws, truth, "test", autocode.DEFAULT_THRESHOLD)
        after_def = measure(ws, truth, "test", autocode.DEFAULT_ACCEPT)
        print(f"\n== learning: coder accepted {acc} and rejected {rej} suggestions on the dev "
              f"recordings; test split:")  # fmt: skip
        for name, b, a in (("all", before, after), ("default", before_def, after_def)):
            print(f"{name:<8} precision {b['precision']:.2f} → {a['precision']:.2f}, recall "
                  f"{b['recall']:.2f} → {a['recall']:.2f}")  # fmt: skip
        ws.close()
    if args.speed:
        speed(args.transcripts, args.words)


if __name__ == "__main__":
    main()
