"""Auto-coding quality, learning and speed (issue #16).

Quality: whole interviews and focus groups written in new words, with diarisation-style
labels, so interviewer detection is part of what is measured. Splits (tests/data/README.md):
  train — autocode_train.yml, autocode_train_short.yml (short answers) and the odd recordings
          of autocode_dev2.yml: the calibration is fitted on them (--fit writes
          qualtool/autocode/calibration.json);
  dev   — the dev recordings of autocode_heldout.yml and the even ones of autocode_dev2.yml:
          parameters, the queue floor and the default accept threshold (the lowest score with
          dev precision ≥ 0.80) are chosen on it;
  test  — autocode_heldout.yml's test recordings (first author; seen in earlier sessions);
  test2, test3 — written blind by two other authors who never saw the model; measured once
          after the session-4/5 models were final, then used for tuning in session 6;
  test4 — written blind in session 6 by a fourth author (field-recording voice: fillers,
          short answers, barriers said across sentences); measured once, then tuned on in
          session 7;
  test5 — written blind in session 7 by a fifth author (field voice, other regions and
          people); measured once with the session-7 model, then its misses were read;
  test6 — written blind in session 7 by a sixth author (field voice, other services and
          regions again) while the model was being frozen; never tuned on.
  test7 — written blind in session 11 by a seventh author (field voice; the west, Turkestan
          oblast, Astana's new districts; 6 focus groups) while the session-11 bank was being
          added; measured once with the final model, never tuned on.
  test8 — written blind in session 13 by an eighth author (field voice; Pavlodar, Abai,
          Zhetisu, Ulytau, Kyzylorda, Mangystau and North Kazakhstan; 4 focus groups) while the
          session-13 bank was being added; measured once with the final model, never tuned on.
  test9 — written blind in session 14 by a ninth author (field voice; Atyrau, West Kazakhstan,
          Aktobe, Kostanay, Turkestan, Almaty oblasts and Shymkent; 4 focus groups; barrier
          words said with no barrier); measured once with the unchanged session-13 model.
  test10 — written blind in session 14 by a tenth author (literal transcription; Karaganda,
          East Kazakhstan, Akmola, Zhambyl oblasts, Astana and Almaty; 3 focus groups); measured
          once with the unchanged session-13 model.
  test11 — written blind in session 15 by an eleventh author (Shymkent's careful transcriber;
          the south, the west, Pavlodar and North Kazakhstan; 4 focus groups); measured once.
  test12 — written blind in session 15 by a twelfth author (half-cleaned subtitles, Kazakh
          sentences inside Russian turns; Almaty, Zhetisu, Abai, Ulytau, Kostanay and West
          Kazakhstan oblasts; 4 focus groups); measured once.
In session 15 the respondent turns of test … test9 — read, or measured and then tuned on —
were moved into the training bank (scripts/bank_from_splits.py; the bank's `about` names
them, `in_bank()` reads it): they are still reported, marked as in the bank, and the held-out
figure is test10 + test11 + test12 together. Nobody who wrote a split wrote the rest of the bank or
saw it.
Every figure line names its split. Per split: recall and precision over all suggestions (score
≥ the queue floor) and at the default accept threshold, per code and overall, and how many
interviewer turns got a suggestion. The first run knows only the codebook (cold start).
Learning: (1) a coder accepts the correct and rejects the wrong suggestions of the train and
dev recordings, and the next run is measured on the test splits again; (2) within each blind
split, half of its recordings are decided and the other half measured, both ways round.
Speed: the 1M-word bench study (bench/corpus.py), lexical matcher alone vs full auto-coding,
in the same process; the navec model is loaded once (counted).

Usage: python -m bench.autocode [--fit] [--speed] [--splits test2,test3] [--cold] [--baseline CHECKOUT]
       [--transcripts 100]
Baseline: a checkout of the code before #16 (e.g. `git archive 93da00e | tar -x -C /tmp/pre16`)
is run on the same held-out test split and the same 1M-word corpus for comparison.
Targets: all suggestions recall ≥ 0.85 & precision ≥ 0.60; at the default threshold precision
≥ 0.80 & recall ≥ 0.75; interviewer turns suggested 0; full ≤ 1.5× lexical; lexical < 20 s.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, build, word_count

from qualtool.autocode import calibrate, semantic
from qualtool.autocode import suggest as autocode
from qualtool.autocode.scoring import DECIDED_WEIGHT, Scorer
from qualtool.domain import Method
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.search.query import refresh_index
from qualtool.store import search_index
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace, open_workspace

HELDOUT = REPO / "tests" / "data" / "autocode_heldout.yml"
TRAIN = REPO / "tests" / "data" / "autocode_train.yml"
TRAIN_SHORT = REPO / "tests" / "data" / "autocode_train_short.yml"  # short answers, train only
TEST2 = REPO / "tests" / "data" / "autocode_test2.yml"
TEST3 = REPO / "tests" / "data" / "autocode_test3.yml"
TEST4 = REPO / "tests" / "data" / "autocode_test4.yml"
TEST5 = REPO / "tests" / "data" / "autocode_test5.yml"
TEST6 = REPO / "tests" / "data" / "autocode_test6.yml"
TEST7 = REPO / "tests" / "data" / "autocode_test7.yml"
TEST8 = REPO / "tests" / "data" / "autocode_test8.yml"
TEST9 = REPO / "tests" / "data" / "autocode_test9.yml"
TEST10 = REPO / "tests" / "data" / "autocode_test10.yml"
TEST11 = REPO / "tests" / "data" / "autocode_test11.yml"
TEST12 = REPO / "tests" / "data" / "autocode_test12.yml"
TEST13 = REPO / "tests" / "data" / "autocode_test13.yml"
TEST14 = REPO / "tests" / "data" / "autocode_test14.yml"
TEST15 = REPO / "tests" / "data" / "autocode_test15.yml"
TEST16 = REPO / "tests" / "data" / "autocode_test16.yml"
TEST17 = REPO / "tests" / "data" / "autocode_test17.yml"
TEST18 = REPO / "tests" / "data" / "autocode_test18.yml"
DEV2 = REPO / "tests" / "data" / "autocode_dev2.yml"  # a second author's train and dev halves
BANK = REPO / "qualtool" / "autocode" / "data" / "barriers.bank.json"


SWEEP_FLOOR = 0.05  # runs store suggestions from here so the dev sweep can look below the floor

BLIND = (
    ("test", "TEST split (held out; first author, its figures were seen in earlier sessions)"),
    ("test2", "TEST2 split (second author, written blind in session 4; tuned on since session 6)"),
    ("test3", "TEST3 split (third author, written blind in session 5; tuned on since session 6)"),
    ("test4", "TEST4 split (fourth author, written blind in session 6; tuned on since session 7)"),
    ("test5", "TEST5 split (fifth author, written blind in session 7; measured once, then read)"),
    ("test6", "TEST6 split (sixth author, written blind in session 7, never tuned on)"),
    ("test7", "TEST7 split (seventh author, written blind in session 11, never tuned on)"),
    ("test8", "TEST8 split (eighth author, written blind in session 13, never tuned on)"),
    ("test9", "TEST9 split (ninth author, written blind in session 14, never tuned on)"),
    ("test10", "TEST10 split (tenth author, written blind in session 14, never tuned on)"),
    ("test11", "TEST11 split (eleventh author, written blind in session 15, never tuned on)"),
    ("test12", "TEST12 split (twelfth author, written blind in session 15, never tuned on)"),
    ("test13", "TEST13 split (thirteenth author, written blind in session 16, never tuned on)"),
    ("test14", "TEST14 split (fourteenth author, written blind in session 16, never tuned on)"),
    ("test15", "TEST15 split (fifteenth author, written blind in session 17, never tuned on)"),
    ("test16", "TEST16 split (sixteenth author, written blind in session 18, never tuned on)"),
    ("test17", "TEST17 split (seventeenth author, written blind in session 18, never tuned on)"),
    ("test18", "TEST18 split (eighteenth author, written blind in session 18, never tuned on)"),
)


def load_heldout() -> list[dict[str, Any]]:
    """train (fitted on) + dev (parameters chosen on) + test (never tuned on) recordings, and
    test2: written blind after the model was final (nobody ran it on these turns first)."""
    out: list[dict[str, Any]] = []
    for path in (TRAIN, TRAIN_SHORT, HELDOUT, DEV2):
        if path.exists():
            out += YAML(typ="safe").load(path.read_text())["recordings"]
    for path, split in (
        (TEST2, "test2"),
        (TEST3, "test3"),
        (TEST4, "test4"),
        (TEST5, "test5"),
        (TEST6, "test6"),
        (TEST7, "test7"),
        (TEST8, "test8"),
        (TEST9, "test9"),
        (TEST10, "test10"),
        (TEST11, "test11"),
        (TEST12, "test12"),
        (TEST13, "test13"),
        (TEST14, "test14"),
        (TEST15, "test15"),
        (TEST16, "test16"),
        (TEST17, "test17"),
        (TEST18, "test18"),
    ):
        if path.exists():
            out += [
                {**r, "split": split} for r in YAML(typ="safe").load(path.read_text())["recordings"]
            ]
    return out


def in_bank() -> set[str]:
    """The test splits whose respondent turns scripts/bank_from_splits.py moved into the
    training bank (its `about` names them): measured on them, the model has seen them."""
    about = json.loads(BANK.read_text(encoding="utf-8")).get("about") or []
    named = [x.split(":", 1)[1] for x in about if x.startswith("read test splits")]
    return {s.strip() for x in named for s in x.split(",") if s.strip()}


def _in(t: dict[str, Any], split: str) -> bool:
    """`split` names one split or several joined by «+» («test+test2»)."""
    return bool(t["split"] in split.split("+"))


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
        asks = interviewer_turns(rec)
        for sid, turn, ask in zip(ids, rec["turns"], asks, strict=True):
            truth[sid] = {"split": rec["split"], "codes": set(turn.get("c") or []),
                          "interviewer": ask, "recording": rec["key"]}  # fmt: skip
    return ws, truth


def interviewer_turns(rec: dict[str, Any]) -> list[bool]:
    """Ground truth: the interviewer is the recording's `interviewer:` when turns carry it, else the
    speaker who never carries a code and speaks most (asks most, on a tie) — not simply whoever
    speaks first: in some recordings the respondent opens. Unlabelled turns alternate, except
    where a turn carries codes."""
    turns = rec["turns"]
    if not turns[0].get("s"):
        return [not t.get("c") and n % 2 == 0 for n, t in enumerate(turns)]
    label = rec.get("interviewer")
    if label not in {t.get("s") for t in turns}:  # a name in the metadata, labels in the turns
        coded = {t["s"] for t in turns if t.get("c")}
        talk = Counter(t["s"] for t in turns if t["s"] not in coded)
        asks = Counter(t["s"] for t in turns if t["s"] not in coded and "?" in t["t"])
        label = max(talk, key=lambda who: (talk[who], asks[who]), default=None)
    return [t.get("s") == label for t in turns]


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
        if not _in(t, split):
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
    n_resp = sum(1 for t in truth.values() if _in(t, split) and t["codes"])
    n_none = sum(1 for t in truth.values() if _in(t, split) and not t["codes"]
                 and not t["interviewer"])  # fmt: skip
    n_int = sum(1 for t in truth.values() if _in(t, split) and t["interviewer"])
    codes = {c for t in truth.values() if _in(t, split) for c in t["codes"]}
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
    missed = sorted(c for c in codes if m_all["per"].get(c, [0, 0, 1])[0] == 0)
    noisy = sorted(c for c, (tp, fp, _) in m_all["per"].items() if fp and fp >= tp)
    late = sorted(c for c in codes if c not in missed and m_def["per"].get(c, [0, 0, 1])[0] == 0)
    print(f"weakest on this split — never suggested: {', '.join(missed) or '–'}; as many wrong "
          f"as right: {', '.join(noisy) or '–'}; only below the default threshold: "
          f"{', '.join(late) or '–'}")  # fmt: skip


def teach(
    ws: Workspace, truth: dict[int, dict[str, Any]], splits: tuple[str, ...]
) -> tuple[int, int]:
    """A coder goes through the queue of these splits' recordings: correct suggestions
    accepted, the others rejected."""
    acc = rej = 0
    for s in sug_store.queue(ws.db, min_score=autocode.DEFAULT_THRESHOLD, limit=1_000_000):
        t = truth.get(s.segment_id)
        if t is None or t["split"] not in splits:
            continue
        if s.code_id in t["codes"]:
            autocode.accept(ws.db, s.id, "bench")
            acc += 1
        else:
            autocode.reject(ws.db, s.id, "bench")
            rej += 1
    return acc, rej


Text = tuple[str, set[str], str | None]  # (respondent turn, its codes, the question before it)


def _candidate_rows(
    scorer: Scorer, texts: list[Text], turns: list[int] | None = None
) -> tuple[list[dict[str, float]], list[bool]]:
    """Features of each code's best sentence per text (as a run would store it), labelled;
    `turns` gets each row's text number (counting on from its length)."""
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    first = len(set(turns)) if turns else 0
    for k, (text, codes, question) in enumerate(texts):
        best: dict[str, tuple[float, dict[str, float]]] = {}
        for cand in scorer.candidates(text, context=question):
            if cand.code_id not in best or cand.probability > best[cand.code_id][0]:
                best[cand.code_id] = (cand.probability, cand.features)
        for code_id, (_, feats) in best.items():
            rows.append(feats)
            labels.append(code_id in codes)
            if turns is not None:
                turns.append(first + k)
    return rows, labels


def _turn_gap(rows: list[dict[str, float]], labels: list[bool], turns: list[int]) -> float:
    """calibrate.TURN_GAP from the fitted models: each row's log-odds as a run computes them
    (the full model where the row has its features, plus the team's vote), how far it trails
    its turn's best, and the β that makes trailing codes' scores honest."""
    odds = []
    for r in rows:
        full = "grams" in r or "definition" in r
        model = calibrate.FULL if full else calibrate.LEXICAL
        odds.append(model.raw(r) + (DECIDED_WEIGHT * r.get("decided", 0.0) if full else 0.0))
    top: dict[int, float] = {}
    for t, x in zip(turns, odds, strict=True):
        top[t] = max(top.get(t, x), x)
    gaps = [top[t] - x for t, x in zip(turns, odds, strict=True)]
    return calibrate.fit_turn_gap(odds, gaps, labels)


def _decide(
    scorer: Scorer, texts: list[Text]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, float, bool]]]:
    """A coder going through these texts' queue: (accepted, rejected, decisions)."""
    acc: list[tuple[str, str]] = []
    rej: list[tuple[str, str]] = []
    dec: list[tuple[str, float, bool]] = []
    found = scorer.best_many([(t, None, q) for t, _, q in texts], autocode.DEFAULT_THRESHOLD)
    for (text, codes, _), cands in zip(texts, found, strict=True):
        for c in cands:
            ok = c.code_id in codes
            (acc if ok else rej).append((c.code_id, text[c.start : c.end]))
            dec.append((c.code_id, c.probability, ok))
    return acc, rej, dec


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w{3,}", text.lower()))


def _near_any(words: set[str], others: list[set[str]]) -> bool:
    """Shares at least 60 % of the smaller text's words with one of `others`."""
    return any(len(words & o) >= 0.6 * max(min(len(words), len(o)), 1) for o in others)


def fit(ws: Workspace, truth: dict[int, dict[str, Any]]) -> None:
    """Fit the calibration on the train split only (dev chooses parameters, test is never
    used): its respondent turns and the gold seed quotes scored from the codebook alone, plus
    its recordings in two folds, each scored with the other fold coded by the team (by hand,
    and by accepting and rejecting its suggestions), so the model also knows how much a
    resemblance to the team's codings and rejections is worth."""
    refresh_index(ws.db)
    # word spread and IDF from the train and dev texts only: adding a test split must not
    # move the fitted weights
    docs = [r["lemmas"].split() for r in search_index.indexed_segments(ws.db, None)
            if truth.get(r["segment_id"], {}).get("split") in ("train", "dev")]  # fmt: skip
    codebook = load_codebook(ws.db)
    by_rec: dict[str, list[Text]] = defaultdict(list)
    question = None
    for sid, t in sorted(truth.items()):
        text = ws.db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
        if t["interviewer"]:
            question = text
        elif t["split"] == "train":
            by_rec[t["recording"]].append((text, t["codes"], question))
    gold = YAML(typ="safe").load((REPO / "tests" / "data" / "gold_quotes.yml").read_text())
    examples = [_words(ex.text) for _, c in codebook.walk() for ex in c.examples]
    # a seed quote that is (nearly) one of the codebook's examples would teach the calibration
    # that a perfect example match is common: it is left out of the fit
    seeds: list[Text] = [(q["text"], {q["code"]}, None) for p in ("quotes", "heldout")
                         for q in gold[p] if not _near_any(_words(q["text"]), examples)]  # fmt: skip
    recs = sorted(by_rec)
    folds = [recs[0::2], recs[1::2]]

    def texts(keys: list[str]) -> list[Text]:
        return [x for k in keys for x in by_rec[k]]

    def coded(keys: list[str]) -> list[tuple[str, str]]:
        return [(code, text) for text, codes, _ in texts(keys) for code in codes]

    # from the same start every time (reproducible): the lexical-only weights, then twice more
    # with the fitted model choosing each code's best sentence
    start = dict(zip(calibrate.LEXICAL.names, calibrate.LEXICAL.weights, strict=True))
    calibrate.FULL = calibrate.Model(
        calibrate.FEATURES, tuple(start.get(n, 0.0) for n in calibrate.FEATURES),
        calibrate.LEXICAL.bias,
    )  # fmt: skip
    for _ in range(3):
        cold = Scorer(codebook, idf_documents=docs)
        turns: list[int] = []
        rows, labels = _candidate_rows(cold, texts(recs) + seeds, turns)
        lexical = calibrate.fit(rows, labels, calibrate.LEXICAL_FEATURES)
        for k in (0, 1):
            acc, rej, dec = _decide(cold, texts(folds[k]))
            for taught in (
                Scorer(codebook, accepted=coded(folds[k]), idf_documents=docs),  # coded by hand
                Scorer(codebook, accepted=acc, rejected=rej, decisions=dec, idf_documents=docs),
            ):
                more, more_labels = _candidate_rows(taught, texts(folds[1 - k]), turns)
                rows += more
                labels += more_labels
        calibrate.FULL = calibrate.fit(rows, labels, calibrate.FEATURES)
        calibrate.LEXICAL = lexical
    turn_gap = _turn_gap(rows, labels, turns)
    print(f"fit on {len(texts(recs)) + len(seeds)} texts, {len(rows)} candidates, "
          f"{sum(labels)} positive")  # fmt: skip
    print("FULL =", calibrate.FULL)
    print("LEXICAL =", calibrate.LEXICAL)
    print("TURN_GAP =", turn_gap)
    calibrate.write_fitted(calibrate.FULL, calibrate.LEXICAL,
                           f"fitted by bench/autocode.py --fit on the train split and "
                           f"{len(seeds)} seed quotes; {len(rows)} candidates", turn_gap)  # fmt: skip
    print(f"written to {calibrate.FITTED}")


def _timed(fn: Any) -> tuple[Any, float, float]:
    """(result, wall s, CPU s of this process): the machine is shared, so CPU time is the
    fair figure; wall time is printed too."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


BASELINE = """
import sys, time
sys.path.insert(0, {bench!r})
from pathlib import Path
from corpus import build
from qualtool.autocode import suggest as autocode
from qualtool.search.query import refresh_index
from qualtool.store.codebook import load_codebook
ws = build(Path({root!r}), {n}, {w})
refresh_index(ws.db)
c, t = time.process_time(), time.perf_counter()
autocode.suggest(ws.db, load_codebook(ws.db))
print(time.process_time() - c, time.perf_counter() - t)
"""


BASELINE_QUALITY = """
import shutil, sys, tempfile
from collections import Counter, defaultdict
from pathlib import Path
from ruamel.yaml import YAML
from qualtool.autocode import suggest as autocode
from qualtool.domain import Method
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.search.query import refresh_index
from qualtool.store import search_index
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import open_workspace
recs = YAML(typ="safe").load(Path({heldout!r}).read_text())["recordings"]
st = init_study(Path(tempfile.mkdtemp()) / "s", name="b", year=2025, coder="b")
shutil.copy({codebook!r}, st.codebooks_dir / "barriers.yml")
ws = open_workspace(st.root, sync=True)
truth = {{}}
for rec in recs:
    r = add_text_recording(ws.db, rec["key"], [(t.get("s"), t["t"]) for t in rec["turns"]],
                           method=Method(rec["method"]))
    ids = [x[0] for x in ws.db.execute("SELECT s.id FROM segments s JOIN transcripts t ON "
           "t.id = s.transcript_id WHERE t.recording_id = ? ORDER BY s.idx", [r.id])]
    first = rec["turns"][0].get("s")
    for n, (sid, t) in enumerate(zip(ids, rec["turns"])):
        ask = (t.get("s") == first) if first else (not t.get("c") and n % 2 == 0)
        truth[sid] = (rec["split"], set(t.get("c") or []), ask)
autocode.suggest(ws.db, load_codebook(ws.db))
for th in ({floor}, {bulk}):
    got = defaultdict(set)
    for s in sug_store.queue(ws.db, min_score=th, limit=10**6):
        got[s.segment_id].add(s.code_id)
    tp = fp = fn = asked = 0
    for sid, (sp, codes, ask) in truth.items():
        if sp != "test":
            continue
        if ask:
            asked += bool(got[sid])
            continue
        tp += len(got[sid] & codes); fp += len(got[sid] - codes); fn += len(codes - got[sid])
    print(f"before #16, test split, score >= {{th}}: recall {{tp / (tp + fn):.2f}} precision "
          f"{{tp / max(tp + fp, 1):.2f}} (tp {{tp}}, fp {{fp}}, fn {{fn}}); interviewer turns "
          f"suggested: {{asked}}")
"""


def quality_baseline(baseline: str) -> None:
    """The code before #16 (its default 0.9 and the 1.5 a coder would bulk-accept at) on the
    same held-out test split, in a subprocess with that checkout first on the path."""
    import subprocess

    code = BASELINE_QUALITY.format(heldout=str(HELDOUT), codebook=str(REPO / "codebooks" /
                                   "barriers.yml"), floor=0.9, bulk=1.5)  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=baseline, env={"PYTHONPATH": baseline, "PATH": "/usr/bin:/bin"})  # fmt: skip
    print("\n" + (out.stdout.strip() or f"baseline failed: {out.stderr.strip()[-200:]}"))


def speed(transcripts: int, words: int, baseline: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = build(Path(tmp) / "bench", transcripts, words)
        refresh_index(ws.db)
        nwords = word_count(ws)
        cb = load_codebook(ws.db)
        n_lex, w_lex, c_lex = _timed(lambda: autocode.suggest(ws.db, cb, semantic=False))
        ws.db.execute("DELETE FROM suggestions")
        ws.db.conn.commit()
        n_full, w_full, c_full = _timed(lambda: autocode.suggest(ws.db, cb))
        _, w_again, c_again = _timed(lambda: autocode.suggest(ws.db, cb))
        loads = semantic.navec_model.cache_info()
        print(f"\n== speed on {nwords:,} words (CPU s of this process; wall s in brackets)")
        print(f"lexical matcher alone: {c_lex:.1f} s [{w_lex:.1f}] ({n_lex:,} suggestions; "
              f"target < 20 s)")  # fmt: skip
        print(f"full auto-coding (lexical + semantic + speakers + question context): {c_full:.1f} "
              f"s [{w_full:.1f}] ({n_full:,} suggestions) = {c_full / c_lex:.2f}× lexical "
              f"(target ≤ 1.5×); second run {c_again:.1f} s [{w_again:.1f}]")  # fmt: skip
        print(f"navec loads in this process: {loads.misses} (cache hits {loads.hits})")
        ws.close()
        if baseline:
            import subprocess

            code = BASELINE.format(bench=str(Path(baseline) / "bench"), root=str(Path(tmp) / "old"),
                                   n=transcripts, w=words)  # fmt: skip
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 cwd=baseline, env={"PYTHONPATH": baseline, "PATH": "/usr/bin:/bin"})  # fmt: skip
            if out.returncode == 0:
                cpu, wall = (float(x) for x in out.stdout.split()[-2:])
                print(f"before #16 ({baseline}, its lexical suggest): {cpu:.1f} s [{wall:.1f}]")
            else:
                print(f"baseline run failed: {out.stderr.strip().splitlines()[-1:]}")


def _learning(
    before: dict[str, Any], after: dict[str, Any], before_def: dict[str, Any],
    after_def: dict[str, Any],
) -> None:  # fmt: skip
    for name, b, a in (("all", before, after), ("default", before_def, after_def)):
        print(f"{name:<8} precision {b['precision']:.2f} → {a['precision']:.2f}, recall "
              f"{b['recall']:.2f} → {a['recall']:.2f}; interviewer turns suggested "
              f"{a['interviewer_suggested']}")  # fmt: skip


def halves_learning(split: str, label: str) -> None:
    """The issue's learning figure: a coder decides the suggestions of half of a held-out
    split's recordings (every other one), the next run is measured on the other half; both
    ways round, counts summed, so every recording is measured once before and once after."""
    sums = {name: [0, 0, 0, 0, 0, 0] for name in ("all", "default")}  # tp fp fn before, after
    decided = [0, 0]
    for taught, measured in (("a", "b"), ("b", "a")):
        with tempfile.TemporaryDirectory() as tmp:
            ws, truth = heldout_study(Path(tmp) / "heldout")
            keys = sorted({t["recording"] for t in truth.values() if t["split"] == split})
            half = {k: "ab"[n % 2] for n, k in enumerate(keys)}
            for t in truth.values():
                if t["split"] == split:
                    t["split"] = f"{split}.{half[t['recording']]}"
            target = f"{split}.{measured}"
            autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
            before = [measure(ws, truth, target, th) for th in
                      (autocode.DEFAULT_THRESHOLD, autocode.DEFAULT_ACCEPT)]  # fmt: skip
            acc, rej = teach(ws, truth, (f"{split}.{taught}",))
            decided[0] += acc
            decided[1] += rej
            autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
            after = [measure(ws, truth, target, th) for th in
                     (autocode.DEFAULT_THRESHOLD, autocode.DEFAULT_ACCEPT)]  # fmt: skip
            for name, b, a in zip(("all", "default"), before, after, strict=True):
                for k, m in enumerate((b, a)):
                    for j, key in enumerate(("tp", "fp", "fn")):
                        sums[name][3 * k + j] += m[key]
            ws.close()
    print(f"\n== learning, {label}: half of its recordings decided (the coder accepted "
          f"{decided[0]} and rejected {decided[1]} suggestions, both halves in turn), the "
          "other half measured")  # fmt: skip
    for name, (tp0, fp0, fn0, tp1, fp1, fn1) in sums.items():
        print(f"{name:<8} precision {tp0 / max(tp0 + fp0, 1):.2f} → {tp1 / max(tp1 + fp1, 1):.2f}, "
              f"recall {tp0 / max(tp0 + fn0, 1):.2f} → {tp1 / max(tp1 + fn1, 1):.2f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--splits", help="held-out splits to report, joined by «,» (default: all); "
                    "leave a blind split out while tuning")  # fmt: skip
    ap.add_argument("--cold", action="store_true", help="cold-start figures only (no learning)")
    ap.add_argument(
        "--baseline", help="a checkout of the code before #16, timed on the same corpus"
    )
    args = ap.parse_args()
    banked = in_bank()  # read once: the bank file is 4 MB
    with tempfile.TemporaryDirectory() as tmp:
        ws, truth = heldout_study(Path(tmp) / "heldout")
        if args.fit:
            fit(ws, truth)
            return
        autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
        print("Calibration fitted on the train split; parameters and the default accept "
              f"threshold ({autocode.DEFAULT_ACCEPT:.2f}) chosen on the dev split; the test "
              "split was never tuned on. Cold start: the codebook alone.")  # fmt: skip
        report(ws, truth, "dev", "DEV split (tuned on), cold start")
        sweep = [(th, measure(ws, truth, "dev", th))
                 for th in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)]  # fmt: skip
        print("DEV sweep: " + ", ".join(f"≥{th:.2f} R {m['recall']:.2f} P {m['precision']:.3f}"
                                       for th, m in sweep))  # fmt: skip
        wanted = set(args.splits.split(",")) if args.splits else {sp for sp, _ in BLIND}
        present = [(sp, label + (", IN THE TRAINING BANK: not held out"
                                 if sp in banked else "")) for sp, label in BLIND
                   if sp in wanted and any(t["split"] == sp for t in truth.values())]  # fmt: skip
        held_out = list(present)
        for group, name in (([sp for sp, _ in present if sp not in banked],
                             "ALL HELD-OUT TEST SPLITS together (never in the bank)"),
                            ([sp for sp, _ in present if sp in banked],
                             "the test splits IN THE TRAINING BANK together (not held out)")):  # fmt: skip
            if len(group) > 1:
                held_out.append(("+".join(group), name))
        for split, label in held_out:
            report(ws, truth, split, f"{label}, cold start")
        if args.cold:
            return
        before = {sp: (measure(ws, truth, sp, autocode.DEFAULT_THRESHOLD),
                       measure(ws, truth, sp, autocode.DEFAULT_ACCEPT)) for sp, _ in held_out}  # fmt: skip
        acc, rej = teach(ws, truth, ("train", "dev"))
        autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
        for split, label in held_out:
            after = measure(ws, truth, split, autocode.DEFAULT_THRESHOLD)
            after_def = measure(ws, truth, split, autocode.DEFAULT_ACCEPT)
            print(f"\n== learning, {label}: the coder accepted {acc} and rejected {rej} "
                  "suggestions on the train and dev recordings")  # fmt: skip
            _learning(before[split][0], after, before[split][1], after_def)
            report(ws, truth, split, f"{label}, after learning")
        ws.close()
    with tempfile.TemporaryDirectory() as tmp:
        ws, truth = heldout_study(Path(tmp) / "heldout")
        autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
        before = measure(ws, truth, "dev", autocode.DEFAULT_THRESHOLD)
        before_def = measure(ws, truth, "dev", autocode.DEFAULT_ACCEPT)
        acc, rej = teach(ws, truth, ("train",))
        autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
        after = measure(ws, truth, "dev", autocode.DEFAULT_THRESHOLD)
        after_def = measure(ws, truth, "dev", autocode.DEFAULT_ACCEPT)
        print(f"\n== learning, DEV split (tuned on): the coder accepted {acc} and rejected {rej} "
              "suggestions on the train recordings")  # fmt: skip
        _learning(before, after, before_def, after_def)
        ws.close()
    for split, label in BLIND[1:]:
        if (
            split in wanted
            and split not in banked
            and split in {t["split"] for t in load_heldout()}
        ):
            halves_learning(split, label)
    if args.baseline:
        quality_baseline(args.baseline)
    if args.speed:
        speed(args.transcripts, args.words, args.baseline)


if __name__ == "__main__":
    main()
