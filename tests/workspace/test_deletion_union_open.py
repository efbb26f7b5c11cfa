"""The same shape as test_deletion_union.py in `privacy/decisions.yml` (merge=union): anna
undoes a review decision while boris's split renumbers its line. Before tombstones the union
kept boris's renumbered line and the undone decision came back on every laptop. Now the
renumbered line keeps its identity (`origin`: where it was made) and anna's undo of a committed
decision leaves a tombstone there, which wins over it on every laptop and a fresh clone."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, qt, seed_sample, status
from test_deletion_union import _commit, _pull, _push, _split

from qualtool.coding.history import redo, undo
from qualtool.files import decisions as review_file
from qualtool.workspace.study import open_workspace


def _decided(study: Path) -> set[tuple[str, str]]:
    return {(d.where, d.decision) for d in review_file.read(study)}


def _cross(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(a, "ls")
    qt(b, "ls")
    qt(a, "anonymise", "--add", "fg-01#0=Сотрудники:person")
    qt(a, "anonymise", "--add", "idi-01#2=Сроки:person")
    _push(a, "decide")
    _pull(b)
    qt(b, "sync")
    assert ("idi-01#2", "add") in _decided(b)
    qt(a, "undo")  # the second decision
    _split(b)  # idi-01#2 is idi-01#3 now: boris's split renumbers the decision's line
    assert ("idi-01#3", "add") in _decided(b)
    _push(b, "split")
    _commit(a, "undo")
    _pull(a)
    qt(a, "sync")
    _push(a, "anna merges")
    _pull(b)
    c = clone(bare, tmp_path / "C")
    for study in (a, b, c):
        qt(study, "sync")
        qt(study, "sync")
        assert status(study) == "", (study.name, status(study))
    return a, b, c


def test_an_undone_review_decision_stays_undone_after_a_union(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = _cross(tmp_path, monkeypatch)
    for study in (a, b, c):
        assert _decided(study) == {("fg-01#0", "add")}, study.name
        listing = qt(study, "anonymise")
        assert "idi-01" not in listing or "Сроки" not in listing, study.name
    texts = {(s / review_file.DECISIONS_FILE).read_text(encoding="utf-8") for s in (a, b, c)}
    assert len(texts) == 1
    (text,) = texts
    assert "decision: withdrawn" in text and text.count("idi-01#") == 1  # one tombstone, no hash


def test_undo_of_a_committed_decision_leaves_a_tombstone_and_redo_ends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "A")
    qt(a, "ls")
    qt(a, "anonymise", "--add", "fg-01#0=Сотрудники:person")
    qt(a, "anonymise", "--add", "idi-01#2=Сроки:person")
    _commit(a, "decide")
    path = a / review_file.DECISIONS_FILE
    decided = path.read_bytes()
    ws = open_workspace(a)
    try:
        undo(ws)
        assert _decided(a) == {("fg-01#0", "add")}
        assert b"decision: withdrawn" in path.read_bytes()
        redo(ws)
        assert path.read_bytes() == decided
        undo(ws)
        undo(ws)  # the first decision too: two tombstones, nothing decided
        assert _decided(a) == set() and path.read_bytes().count(b"withdrawn") == 2
    finally:
        ws.close()


def test_a_decision_undone_before_any_commit_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "A")
    qt(a, "ls")
    qt(a, "anonymise", "--add", "fg-01#0=Сотрудники:person")
    _commit(a, "first")
    before = (a / review_file.DECISIONS_FILE).read_bytes()
    qt(a, "anonymise", "--add", "idi-01#2=Сроки:person")
    ws = open_workspace(a)
    try:
        undo(ws)
    finally:
        ws.close()
    assert (a / review_file.DECISIONS_FILE).read_bytes() == before
