"""`transcript import` of an edited .txt (session-15 team hunt): the format has no word
timings, and the import dropped every one. The words the edit left alone keep theirs, on this
laptop and, through the transcript file, on a colleague's after the pull."""

from __future__ import annotations

import json
from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

EDITED = """[00:00:00] R01: Чтобы получить пособие, мне пришлось три раза приходить в ЦОН, потому что \
каждый раз требовали дополнительные справки.
[00:00:09] R01: Каждый год я сдаю одни и те же документы.
[00:00:13] R01: Сроки оказания услуги были нарушены, я ждал больше месяца.
"""


def _words(study: Path) -> list[list[list[object]]]:
    doc = json.loads((study / "transcripts" / "idi-01.json").read_text(encoding="utf-8"))
    return [s.get("words", []) for s in doc["segments"]]


def test_unchanged_words_keep_their_timings(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(b, "ls")
    before = _words(a)
    (tmp_path / "idi-01.txt").write_text(EDITED, encoding="utf-8")
    qt(a, "transcript", "import", "idi-01", str(tmp_path / "idi-01.txt"))
    after = _words(a)
    assert after[1:] == before[1:]  # untouched segments: every word, every moment
    kept = {str(w[2]).strip(): w for w in after[0]}
    assert "пособие," not in kept and "особее," not in kept and "по" not in kept
    old = {str(w[2]).strip(): w for w in before[0]}
    assert kept["получить"] == old["получить"] and kept["ЦОН,"] == old["ЦОН,"]
    assert len(after[0]) == len(before[0]) - 2
    git(a, "add", "-A")
    git(a, "commit", "-qm", "edited")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    qt(b, "ls")
    assert _words(b) == after and status(b) == ""
