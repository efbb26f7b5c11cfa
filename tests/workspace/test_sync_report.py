"""What `qualtool sync` says (session-15 team hunt): each problem once — the opening sync and
the command's own both re-read a layer with a line still unplaced, and both were printed — and
lines placed where their quote is now counted as re-anchored, not as new codings."""

from __future__ import annotations

import json
from pathlib import Path

from gitstudy import clone, git, qt, seed_sample
from test_stale_decision_union import SPLIT


def test_each_problem_is_said_once(tmp_path: Path) -> None:
    a = clone(seed_sample(tmp_path), tmp_path / "a")
    qt(a, "ls")
    path = a / "codings" / "dana.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    stray = {"kind": "coding", "recording": "zz-99", "segment": 0, "start": 0, "end": 4,
             "code": "ACC.QUEUE", "quote": "нет"}  # fmt: skip
    lines.insert(1, "," + json.dumps(stray, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = qt(a, "sync")
    assert out.count("problem: codings/dana.json") == 1, out


def test_reanchored_lines_are_not_counted_as_added(tmp_path: Path) -> None:
    a = clone(seed_sample(tmp_path), tmp_path / "a")
    qt(a, "code", "idi-01#0", "BUR.EXTRA_DOCS", "--coder", "anna", "--quote",
       "дополнительные справки")  # fmt: skip
    before = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    (tmp_path / "idi01.txt").write_text(SPLIT, encoding="utf-8")
    qt(a, "transcript", "import", "idi-01", str(tmp_path / "idi01.txt"))
    git(a, "add", "-A")
    git(a, "commit", "-qm", "split")
    (a / "codings" / "anna.json").write_text(before, encoding="utf-8")  # a line from before
    out = qt(a, "sync")
    assert "codings/anna.json: 0 added, 1 re-anchored," in out, out
