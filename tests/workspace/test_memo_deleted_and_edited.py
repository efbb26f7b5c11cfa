"""A memo deleted on one laptop (its creation undone after it was pushed) and edited on the
other: after the union merge the edit came back with no word to the one who deleted it (the
deleting laptop's sync could not tell the colleague's edited line from a new memo). Now a
deleted memo whose line was committed leaves a tombstone line (`memo-deleted`, no words); the
union keeps it beside the edit, and the sync that reads it keeps the edit, reports it once as a
conflict — as team17a does for a coding deleted here and changed there — and writes back the
layer clean."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

from qualtool.coding.actions import write_memo
from qualtool.coding.history import undo
from qualtool.domain.coding import Memo
from qualtool.store.codings import list_memos
from qualtool.workspace.study import open_workspace


def _memo(study: Path, text: str) -> None:
    ws = open_workspace(study)
    try:
        write_memo(ws, Memo("recording", "idi-01", text, "anna"))
    finally:
        ws.close()


def _texts(study: Path) -> list[str]:
    ws = open_workspace(study)
    try:
        return [m.text for m in list_memos(ws.db, "recording", "idi-01", "anna")]
    finally:
        ws.close()


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message, "--allow-empty")


def _undo(study: Path) -> None:
    ws = open_workspace(study)
    try:
        undo(ws)
    finally:
        ws.close()


def _memo_on_both(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(bare, A, B): anna's memo committed and pushed by A, pulled and read by B."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(a, "ls")
    _memo(a, "first thoughts")
    _commit(a, "memo")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    qt(b, "sync")
    return bare, a, b


def test_a_memo_deleted_here_and_edited_there_is_reported_once(tmp_path: Path) -> None:
    bare, a, b = _memo_on_both(tmp_path)
    _undo(a)  # anna deletes her memo
    _memo(b, "first thoughts, and boris's")
    _commit(b, "edit")
    git(b, "push", "-q")
    _commit(a, "delete")
    git(a, "pull", "-q", "--no-rebase", "--no-edit")
    first = qt(a, "sync")
    second = qt(a, "sync")
    assert "memo on recording idi-01 deleted on one laptop" in first, first
    assert "memo on recording idi-01" not in second
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert "boris's" in layer and "memo-deleted" not in layer  # written back clean
    _commit(a, "merged")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    assert "memo on recording" not in qt(b, "sync")
    c = clone(bare, tmp_path / "C")
    for study in (a, b, c):
        qt(study, "sync")
        assert status(study) == "", study.name
        assert _texts(study) == ["first thoughts, and boris's"], study.name


def test_a_committed_memo_deleted_stays_deleted_on_the_other_laptop(tmp_path: Path) -> None:
    """The plain case: no edit on the other side; the tombstone deletes it there too."""
    _bare, a, b = _memo_on_both(tmp_path)
    _undo(a)
    assert "memo-deleted" in (a / "codings" / "anna.json").read_text(encoding="utf-8")
    _commit(a, "delete")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    qt(b, "sync")
    assert status(b) == "" and _texts(b) == [] and _texts(a) == []


def test_a_memo_never_committed_and_undone_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "A")
    qt(a, "ls")
    _memo(a, "first thoughts")
    _undo(a)
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert '"kind"' not in layer and _texts(a) == []  # an empty layer: no memo, no tombstone


def test_a_memo_tombstone_follows_a_rename_of_its_recording(tmp_path: Path) -> None:
    """The tombstone names its target: a recording renamed (its key may be a name `--apply`
    replaced) leaves no old key behind in it."""
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "A")
    qt(a, "ls")
    _memo(a, "first thoughts")
    _commit(a, "memo")
    _undo(a)
    assert "memo-deleted" in (a / "codings" / "anna.json").read_text(encoding="utf-8")
    qt(a, "rename", "idi-01", "idi-99")
    layer = (a / "codings" / "anna.json").read_text(encoding="utf-8")
    assert "idi-99" in layer and "idi-01" not in layer, layer
