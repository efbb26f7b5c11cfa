"""hunt18: B deletes a colleague's committed coding in a recording it renamed, A renamed the
same recording another way. The union merge keeps A's line (re-keyed by A's rename) beside B's
tombstone under B's name; the sync carried the tombstone to the kept key and combined it with
A's line — the line won, the deletion was lost. A tombstone wins there, as in a union merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status
from laptops import ENV
from test_renamed_twice import _commit, _pull

from qualtool.workspace.study import open_workspace

DELETED = ("dana", 2, "BUR.DELAY", "я ждал больше месяца.")


@pytest.fixture(autouse=True)
def _committer(monkeypatch: pytest.MonkeyPatch) -> None:
    """qualtool's own `git commit` of the settled merge runs as the laptop's user."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _coding_id(study: Path, coder: str, key: str, idx: int) -> int:
    ws = open_workspace(study)
    try:
        row = ws.db.execute(
            "SELECT c.id FROM codings c JOIN segments s ON s.id = c.segment_id "
            "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r "
            "ON r.id = t.recording_id WHERE c.coder_id = ? AND r.key = ? AND s.idx = ?",
            [coder, key, idx],
        ).fetchone()
    finally:
        ws.close()
    return int(row[0])


def test_a_coding_deleted_under_the_dropped_name_stays_deleted(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    assert ("dana", "idi-01b", *DELETED[1:]) in db_codings(b)
    qt(b, "uncode", str(_coding_id(b, "dana", "idi-01b", 2)))
    _commit(a, "a")
    _commit(b, "b")
    git(a, "push", "-q")
    assert _pull(b).returncode
    qt(b, "sync")
    assert status(b) == ""
    dead = ("dana", "idi-01a", *DELETED[1:])
    assert dead not in db_codings(b) and dead not in file_codings(b)
    qt(b, "sync")
    assert status(b) == ""
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    c = clone(bare, tmp_path / "c")
    for study in (a, b, c):
        assert dead not in db_codings(study) and status(study) == "", study
    assert db_codings(a) == db_codings(b) == db_codings(c)
    assert ("dana", "idi-01a", 1, "BUR.RESUBMIT") in {x[:4] for x in db_codings(c)}
