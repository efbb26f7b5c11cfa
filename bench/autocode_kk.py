"""Auto-coding of Kazakh turns: the codebook's Kazakh keywords (`keywords_kk`) against the
Russian keywords alone (the baseline, `keywords_kk` removed from the codebook), in one run.

Data: tests/data/autocode_kk.yml (Kazakh interviews and focus groups, some Russian words mixed
in, turns without a barrier and Kazakh interviewer questions; see tests/data/README.md). Each
variant gets its own study built the way bench/autocode.py builds the held-out one, and is
measured with its `measure`: recall and precision over all suggestions (score ≥ the queue
floor) and at the default accept threshold, per code and overall, and how many interviewer
turns got a suggestion (the target is none).

Usage: python bench/autocode_kk.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from autocode import SWEEP_FLOOR, interviewer_turns, measure
from corpus import REPO

from qualtool.autocode import suggest as autocode
from qualtool.domain import Method
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace, open_workspace

KAZAKH = REPO / "tests" / "data" / "autocode_kk.yml"
CODEBOOK = REPO / "codebooks" / "barriers.yml"
SPLIT = "kk"
_KK_LINE = re.compile(r"^\s*keywords_kk:.*\n", re.MULTILINE)


def kk_study(root: Path, codebook_text: str) -> tuple[Workspace, dict[int, dict[str, Any]]]:
    """The Kazakh recordings as a study with this codebook; segment id → truth, as
    bench/autocode.py's `heldout_study` gives it."""
    study = init_study(root, name="kazakh", year=2025, coder="bench")
    (study.codebooks_dir / "barriers.yml").write_text(codebook_text, encoding="utf-8")
    ws = open_workspace(study.root, sync=True)
    truth: dict[int, dict[str, Any]] = {}
    for rec in YAML(typ="safe").load(KAZAKH.read_text(encoding="utf-8"))["recordings"]:
        turns = [(t.get("s"), t["t"]) for t in rec["turns"]]
        r = add_text_recording(ws.db, rec["key"], turns, method=Method(rec["method"]),
                               service=rec.get("service"))  # fmt: skip
        ids = [row[0] for row in ws.db.execute(
            "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE t.recording_id = ? ORDER BY s.idx", [r.id])]  # fmt: skip
        for sid, turn, ask in zip(ids, rec["turns"], interviewer_turns(rec), strict=True):
            truth[sid] = {"split": rec["split"], "codes": set(turn.get("c") or []),
                          "interviewer": ask, "recording": rec["key"]}  # fmt: skip
    return ws, truth


def run(root: Path, codebook_text: str) -> dict[str, dict[str, Any]]:
    """Suggestions for the Kazakh study, measured at the queue floor and the accept threshold."""
    ws, truth = kk_study(root, codebook_text)
    autocode.suggest(ws.db, load_codebook(ws.db), threshold=SWEEP_FLOOR)
    return {
        "all": measure(ws, truth, SPLIT, autocode.DEFAULT_THRESHOLD),
        "default": measure(ws, truth, SPLIT, autocode.DEFAULT_ACCEPT),
    }


def _rp(per: list[int]) -> str:
    tp, fp, fn = per
    r = f"{tp / (tp + fn):.2f}" if tp + fn else "  – "
    p = f"{tp / (tp + fp):.2f}" if tp + fp else "  – "
    return f"{r} {p}"


def main() -> None:
    text = CODEBOOK.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        base = run(Path(tmp) / "baseline", _KK_LINE.sub("", text))
        new = run(Path(tmp) / "keywords_kk", text)
    floor, accept = autocode.DEFAULT_THRESHOLD, autocode.DEFAULT_ACCEPT
    print(f"Kazakh turns ({KAZAKH.name}); baseline = keywords_kk ignored")
    for name, key, th in (
        ("all suggestions", "all", floor),
        ("default threshold", "default", accept),
    ):
        for label, m in (("baseline", base[key]), ("keywords_kk", new[key])):
            print(f"{name:<18} (score ≥ {th:.2f}) {label:<11}: recall {m['recall']:.2f}  "
                  f"precision {m['precision']:.2f}  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']}); "
                  f"interviewer turns suggested: {m['interviewer_suggested']}")  # fmt: skip
    print(f"\n{'code':<22} {'baseline all R P':>17} {'default R P':>12}   "
          f"{'keywords_kk all R P':>20} {'default R P':>12}")  # fmt: skip
    codes = sorted(set(base["all"]["per"]) | set(new["all"]["per"]))
    for c in codes:
        cells = [
            _rp(m[k]["per"].get(c, [0, 0, 0])) for m in (base, new) for k in ("all", "default")
        ]
        print(f"{c:<22} {cells[0]:>17} {cells[1]:>12}   {cells[2]:>20} {cells[3]:>12}")


if __name__ == "__main__":
    main()
