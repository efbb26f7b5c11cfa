"""An undone suggestion decision stays undone after a union merge of the coder layer (real git):
anna accepts (or rejects) the sample's suggestion and pushes; boris's split of the transcript
re-anchors her accepted coding and renumbers her decision's line; meanwhile anna undoes the
decision. The accepted coding is a creation, and an undone creation left no tombstone (TEAM17A):
the union brought boris's re-anchored line back on every laptop."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, git, qt, seed_sample, status
from test_stale_decision_union import ACCEPTED, SPLIT_02


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message, "--allow-empty")


def _decided(study: Path, state: str) -> list[str]:
    out = qt(study, "suggest", "ls", "--status", state)
    return [line for line in out.splitlines() if ACCEPTED in line]


def _coded(study: Path) -> list[str]:
    out = qt(study, "quotes", "ls", "--all-coders", "--coder", "anna", "--include-originals")
    return [line for line in out.splitlines() if ACCEPTED in line]


def _cross(tmp_path: Path, decision: str) -> tuple[Path, Path, Path]:
    """A decides and pushes, B pulls; A undoes while B splits idi-02 and pushes; A commits,
    pulls (the union merge), syncs and pushes; B pulls; C is a fresh clone."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "suggest", "run")
    qt(a, "suggest", decision, "1", "--coder", "anna")
    _commit(a, "a1")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    qt(b, "ls")
    qt(a, "undo")
    (tmp_path / "idi02.txt").write_text(SPLIT_02, encoding="utf-8")
    qt(b, "transcript", "import", "idi-02", str(tmp_path / "idi02.txt"))
    _commit(b, "b splits")
    git(b, "push", "-q")
    _commit(a, "a undoes")
    git(a, "pull", "-q", "--no-rebase", "--no-edit")
    qt(a, "sync")
    _commit(a, "a merges")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    c = clone(bare, tmp_path / "c")
    for study in (a, b, c):
        qt(study, "sync")
        qt(study, "ls")
        assert status(study) == "", (study.name, status(study))
    return a, b, c


def test_an_undone_accept_does_not_bring_its_coding_back(tmp_path: Path) -> None:
    """The undo of a pushed accept leaves a tombstone for the coding it made (the line is in
    HEAD's layer): boris's re-anchored line loses to it on every laptop."""
    a, b, c = _cross(tmp_path, "accept")
    for study in (a, b, c):
        assert not _coded(study), study.name
    assert '"kind": "deleted"' in (a / "codings" / "anna.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_an_undone_suggestion_decision_stays_undone(tmp_path: Path, decision: str) -> None:
    """The undo of a pushed decision leaves a tombstone line (no words) keyed by where the
    decision was first made: boris's renumbered line is the same decision and loses to it."""
    a, b, c = _cross(tmp_path, decision)
    for study in (a, b, c):
        assert not _decided(study, "accepted") and not _decided(study, "rejected"), study.name
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    dead = [x for x in layer.splitlines() if '"suggestion-withdrawn"' in x]
    assert len(dead) == 1 and "quote" not in dead[0] and "портал" not in dead[0], layer


def test_a_decision_tombstone_only_for_a_committed_line_and_a_redo_ends_it(
    tmp_path: Path,
) -> None:
    """An undo of a decision never committed leaves no line (as if never made); one whose line
    HEAD holds leaves the tombstone, and a redo of it writes the decision back in its place."""
    a = clone(seed_sample(tmp_path), tmp_path / "a")
    layer = a / "codings" / "anna.json"
    qt(a, "suggest", "run")
    qt(a, "suggest", "accept", "1", "--coder", "anna")
    qt(a, "undo")
    assert "suggestion" not in layer.read_text(encoding="utf-8")
    qt(a, "redo")
    decided = layer.read_text(encoding="utf-8")
    assert decided.count('"kind": "suggestion"') == 1
    _commit(a, "decided")
    qt(a, "undo")
    assert layer.read_text(encoding="utf-8").count('"kind": "suggestion-withdrawn"') == 1
    assert not _decided(a, "accepted")
    qt(a, "redo")
    assert layer.read_text(encoding="utf-8") == decided and len(_decided(a, "accepted")) == 1
    qt(a, "ls")
    assert status(a) == ""
