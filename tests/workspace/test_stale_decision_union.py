"""A suggestion decision a union merge keeps twice (session-15 team hunt, r1): A splits a
segment (the accepted suggestion's line moves to the next index) while B changes a neighbouring
line of the same layer; git's union keeps the old line and the new. The merging laptop listed the
accepted suggestion twice, and every other laptop rewrote the layer on its first command. The
stale line is placed where its quote is — one decision — and the next save drops it, once."""

from __future__ import annotations

import re
from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

SPLIT = """[00:00:00] R01: Чтобы получить пособие,
[00:00:02] R01: мне пришлось три раза приходить в ЦОН,
[00:00:04] R01: потому что каждый раз требовали дополнительные справки.
[00:00:09] R01: Каждый год я сдаю одни и те же документы.
[00:00:13] R01: Сроки оказания услуги были нарушены, я ждал больше месяца.
"""
SPLIT_02 = """[00:00:00] I: – Расскажите, пожалуйста,
[00:00:02] I: как вы получали государственную услугу?
[00:00:06] R02: – Сначала я подал заявление через портал электронного правительства,
[00:00:11] R02: но портал постоянно зависал.
[00:00:13] I: – А электронная цифровая подпись работала?
[00:00:18] R02: – Нет, подпись часто не срабатывала.
[00:00:21] R02: Приходилось заново запускать программу.
[00:00:24] R02: В итоге я пошел, что он стоял в очереди около сорока минут.
"""  # idi-02 with its first segment split: every later line moves one index on
ACCEPTED = "TECH.PARTIAL_DIGITAL"  # the sample's one suggestion, on idi-02#1


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def _accepted(study: Path) -> list[str]:
    out = qt(study, "suggest", "ls", "--status", "accepted")
    return [line for line in out.splitlines() if ACCEPTED in line]


def test_a_stale_decision_line_is_one_decision_everywhere(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "suggest", "run")
    assert ACCEPTED in qt(a, "suggest", "accept", "1", "--coder", "anna")
    qt(a, "code", "idi-02#2", "TECH.OUTAGE", "--coder", "anna", "--quote",
       "портал постоянно зависал", "--memo", "m")  # fmt: skip
    _commit(a, "a1")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    qt(b, "ls")
    (tmp_path / "idi02.txt").write_text(SPLIT_02, encoding="utf-8")
    qt(a, "transcript", "import", "idi-02", str(tmp_path / "idi02.txt"))
    quotes = qt(b, "quotes", "ls", "--all-coders", "--coder", "anna", "--include-originals")
    line = next(x for x in quotes.splitlines() if "TECH.OUTAGE" in x and "зависал»" in x)
    qt(b, "uncode", re.sub(r"\D", "", line.split()[0]))
    _commit(b, "b1")
    git(b, "push", "-q")
    _commit(a, "a2")
    git(a, "pull", "-q", "--no-rebase")
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert layer.count('"kind": "suggestion"') == 2  # the union kept both lines
    sync = qt(a, "sync")
    # not new work: the stale line and A's moved one share the decision's identity (its
    # `origin`, TEAM17D), so the moved line is read, nothing re-placed; and B's uncode holds
    # (its tombstone beats A's re-anchored line: TEAM17A)
    assert "codings/anna.json: 0 added, 1 removed, 0 changed" in sync, sync
    assert "зависал" not in qt(a, "quotes", "ls", "--all-coders", "--coder", "anna")
    assert len(_accepted(a)) == 1, _accepted(a)
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert layer.count('"kind": "suggestion"') == 1, layer
    _commit(a, "merge")
    git(a, "push", "-q")
    qt(a, "ls")
    assert status(a) == ""
    c = clone(bare, tmp_path / "c")
    qt(c, "ls")
    assert status(c) == "" and _accepted(c) == _accepted(a)
    git(b, "pull", "-q", "--no-rebase")
    qt(b, "ls")
    assert status(b) == "" and _accepted(b) == _accepted(a)


def test_the_stale_line_alone_is_moved_to_its_quote(tmp_path: Path) -> None:
    """Read by a laptop whose transcript was split, the line still naming the old index: the
    decision lands on its quote and the layer is written back once with the new index."""
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "a")
    qt(a, "suggest", "run")
    qt(a, "suggest", "accept", "1", "--coder", "anna")
    before = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    (tmp_path / "idi02.txt").write_text(SPLIT_02, encoding="utf-8")
    qt(a, "transcript", "import", "idi-02", str(tmp_path / "idi02.txt"))
    _commit(a, "split")
    moved = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert moved != before
    (a / "codings" / "anna.json").write_text(before, encoding="utf-8")  # the stale line only
    qt(a, "sync")
    assert len(_accepted(a)) == 1
    assert (a / "codings" / "anna.json").read_text(encoding="utf-8") == moved
    qt(a, "ls")
    assert status(a) == ""
