"""Opening a study database: WAL, foreign keys, migrations, one connection per thread."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from sqlite_utils import Database

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import _
from qualtool.store.migrations import migrations

__all__ = [
    "Database",
    "change_mark",
    "now",
    "open_db",
]  # services type the handle through store, never sqlite_utils


def now(db: sqlite_utils.Database) -> str:
    """SQLite's own clock, so every timestamp in the study has one format."""
    return str(db.execute("SELECT datetime('now')").fetchone()[0])


def change_mark(db: sqlite_utils.Database) -> tuple[int, int, int]:
    """Moves whenever anything is written to the database: by this connection (its rows
    changed so far) or by another one — a transcription worker, another process, a `git pull`
    read by a sync elsewhere (`data_version`). Two equal marks, nothing written in between: a
    costly result read from the database (the review's apply plan) can be kept until it moves."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    return id(db.conn), int(version), int(db.conn.total_changes)


def last_id(table: sqlite_utils.db.Table) -> int:
    """The rowid of the row `table` just inserted (sqlite-utils types it as optional)."""
    if table.last_pk is None:
        raise RuntimeError(f"insert into {table.name} returned no row id")
    return int(table.last_pk)


def saved(ident: int | None) -> int:
    """The id of a domain object that came from the database (new objects have none yet)."""
    if ident is None:
        raise RuntimeError("this object has not been stored yet")
    return ident


def _ulower(value: str | None) -> str | None:
    return value.lower().replace("ё", "е") if isinstance(value, str) else value


# how long a command waits for another process's write lock before giving up
BUSY_SECONDS = float(os.environ.get("QUALTOOL_BUSY_SECONDS") or 10.0)
# called once, with a message, when another process holds the write lock as a study is opened
on_wait: Callable[[str], None] | None = None


class DatabaseBusy(QualtoolError):
    """Another process kept the study's database locked for longer than we wait."""


def user_error(exc: BaseException) -> QualtoolError | None:
    """A database error the user can act on, as one line (or None: a bug, let it show)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            _(
                "the study's database is busy: another qualtool process is writing to it "
                "(waited {seconds} s); try again when it has finished"
            ).format(seconds=f"{BUSY_SECONDS:.0f}")
        )
    if "readonly" in text or "read-only" in text:
        return QualtoolError(_("the study's database is read-only: changes cannot be saved"))
    if "disk" in text or "unable to open" in text:
        return QualtoolError(_("the study's database cannot be used: {error}").format(error=text))
    return None


def _wait_if_locked(conn: sqlite3.Connection, path: Path | str) -> None:
    """Say so before blocking: a silent 10 s pause looks like a hang."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
    except sqlite3.OperationalError as exc:
        if ("locked" in str(exc) or "busy" in str(exc)) and on_wait is not None:
            on_wait(f"waiting for another qualtool process to release {path} …")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")


def open_db(path: Path | str | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a study database; `None` gives an in-memory one.

    WAL lets the TUI read while a transcription worker writes; `busy_timeout` turns the rare
    writer collision into a short wait instead of an error.
    """
    if path is None:
        db = sqlite_utils.Database(sqlite3.connect(":memory:", check_same_thread=False))
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_SECONDS, check_same_thread=False)
        _wait_if_locked(conn, path)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    # SQLite's lower() folds ASCII only; filters on «ВКО»/«вко» need Unicode folding
    db.conn.create_function("ulower", 1, _ulower, deterministic=True)
    migrations.apply(db)
    return db


def set_study_uuid(db: sqlite_utils.Database, study_id: str) -> None:
    """The study's id lives in study.toml; the database only mirrors it (for the vault)."""
    row = db.execute("SELECT value FROM study_meta WHERE key = 'uuid'").fetchone()
    if row is None or row[0] != study_id:
        with db.conn:
            db.execute("INSERT INTO study_meta (key, value) VALUES ('uuid', ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [study_id])  # fmt: skip
