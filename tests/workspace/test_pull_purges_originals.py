"""A laptop that pulls a colleague's `anonymise --apply` keeps no original in its database.

B had synced the named text (segments, a coding's quote and memo, the search index); A
anonymised and pushed; B pulled. Sync read the pseudonymised files over B's rows, but the
old text stayed in the bytes of B's qualtool.db — free pages, the WAL, the full-text index's
old tokens — where anyone with B's laptop could read it. Now the sync that brings an upstream
apply purges them as `anonymise --apply` does locally."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from laptops import apply_and_pull, git, named_study, qualtool, share
from name_leaks import assert_no_name, database_files, names_left

from qualtool.coding.actions import apply_codes
from qualtool.store import db as db_mod
from qualtool.workspace.study import open_workspace

NAMED = ("Оператор Бахыт Жумабаев ответил общими фразами, а Шолпан Кенжебаевна велела прийти "
         "завтра с полным пакетом документов.")  # fmt: skip
MEMO = "Жумабаеву звонили дважды, Бахыт не ответил, Кенжебаевне тоже"
# the stems are in every case form's bytes («Жумабаев» in «Жумабаеву»)
NAMES = ["Бахыт", "Жумабаев", "Жумабаеву", "Шолпан", "Кенжебаев", "Кенжебаевна", "Кенжебаевне"]


# Debian builds SQLite with SECURE_DELETE, which zeroes freed pages; Python from python.org
# (macOS, Windows) does not. The laptops run as there: every connection starts without it.
AS_ON_A_LAPTOP = (
    "-c",
    """
import runpy, sqlite3
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.execute("PRAGMA secure_delete = OFF")
    return conn
sqlite3.connect = connect
runpy.run_module("qualtool", run_name="__main__", alter_sys=True)
""",
)


def _laptop_a_imports_and_codes(tmp_path: Path) -> tuple[Path, Path]:
    """A's study with a coded, named segment, pushed to a bare repo; A's and B's clones."""
    return share(tmp_path, named_study(tmp_path, "ms-01", ["Очередь была большая.", NAMED], MEMO))


def test_pulling_an_apply_leaves_no_original_in_the_database_bytes(tmp_path: Path) -> None:
    a, b = _laptop_a_imports_and_codes(tmp_path)
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    # B pulls the named study: its database holds the originals (and its search index)
    assert qualtool(b, vb, "ls", code=AS_ON_A_LAPTOP).returncode == 0
    assert qualtool(b, vb, "search", "Бахыт", code=AS_ON_A_LAPTOP).returncode == 0
    held = names_left(b, ["Жумабаев"], database_files(b))
    assert held, "B's database should hold the originals"
    apply_and_pull(a, b, va, code=AS_ON_A_LAPTOP)
    r = qualtool(b, vb, "ls", code=AS_ON_A_LAPTOP)
    assert r.returncode == 0, r.stderr
    assert_no_name(b, NAMES, database_files(b))
    # still a working study: the pulled, pseudonymised text is there and searchable
    ws = open_workspace(b)
    try:
        texts = [t for (t,) in ws.db.execute("SELECT text FROM segments ORDER BY idx")]
        memo = ws.db.execute("SELECT memo FROM codings").fetchone()[0]
    finally:
        ws.close()
    assert "Имя-" in texts[1] and "Имя-" in memo, (texts, memo)
    found = qualtool(b, vb, "search", "пакетом", code=AS_ON_A_LAPTOP)
    assert found.returncode == 0 and "ms-01" in found.stdout, found.stdout + found.stderr


def _pull_apply(tmp_path: Path) -> tuple[Path, Path]:
    """B synced the named study, A anonymised and pushed, B pulled (files only, not synced)."""
    a, b = _laptop_a_imports_and_codes(tmp_path)
    assert qualtool(b, tmp_path / "vault-b", "ls", code=AS_ON_A_LAPTOP).returncode == 0
    apply_and_pull(a, b, tmp_path / "vault-a", code=AS_ON_A_LAPTOP)
    return a, b


def test_a_purge_kept_from_completing_is_said_and_owed_to_the_next_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program reading B's database (an open TUI) keeps the WAL from being emptied: the
    sync says so, and the next one — with no file changed since — completes the purge."""
    _a, b = _pull_apply(tmp_path)
    monkeypatch.setattr(db_mod, "BUSY_SECONDS", 0.2)
    reader = sqlite3.connect(b / "qualtool.db")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM segments").fetchone()  # holds the old snapshot
    try:
        ws = open_workspace(b)
        problems = ws.opened.problems if ws.opened else []
        ws.close()
    finally:
        reader.close()
    assert any("another program has the study database open" in p for p in problems), problems
    ws = open_workspace(b)  # nothing changed on disk since: the owed purge runs
    again = ws.opened.problems if ws.opened else []
    ws.close()
    assert again == []
    assert_no_name(b, NAMES, database_files(b))


def test_an_ordinary_pull_keeps_the_undo_history(tmp_path: Path) -> None:
    """No apply upstream, no purge: B's own coding stays undoable after pulling A's."""
    a, b = _laptop_a_imports_and_codes(tmp_path)
    ws = open_workspace(b)
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    apply_codes(ws, sid, (0, 7), ["INFO.HELPDESK"], "boris")
    ws.close()
    ws = open_workspace(a)
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    apply_codes(ws, sid, (8, 12), ["INFO.HELPDESK"], "tester")
    ws.close()
    git(a, "add", "-A")
    git(a, "commit", "-qm", "coded")
    git(a, "push", "-q")
    git(b, "add", "-A")
    git(b, "commit", "-qm", "boris")
    git(b, "pull", "-q", "--no-rebase")
    ws = open_workspace(b)
    try:
        assert ws.opened is not None and ws.opened.files_read, ws.opened
        steps = ws.db.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        ws.close()
    assert steps >= 1
