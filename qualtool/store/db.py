"""Opening a study database: WAL, foreign keys, migrations, one connection per thread."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlite_utils
from sqlite_utils import Database

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import _
from qualtool.store.migrations import migrations

T = TypeVar("T")

__all__ = [
    "Database",
    "change_mark",
    "immediate",
    "now",
    "open_db",
    "read_then_write",
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


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switching a new database to WAL needs it to itself, and SQLite does not wait for that
    (no busy handler): a second process opening the fresh clone at the same moment got
    «database is locked». It tries again until `BUSY_SECONDS` have passed."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
        _enable_wal(db)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    # SQLite's lower() folds ASCII only; filters on «ВКО»/«вко» need Unicode folding
    db.conn.create_function("ulower", 1, _ulower, deterministic=True)
    migrate(db)
    return db


def migrate(db: sqlite_utils.Database) -> None:
    """Apply the pending migrations holding the write lock from the start (BEGIN IMMEDIATE).
    Two processes opening a fresh clone at once (the TUI and a command) each saw the schema
    missing and began creating it in a deferred transaction: the second one's upgrade to a
    writer failed at once (a stale WAL snapshot is never waited for) and printed a traceback.
    Now the second waits for the lock (`busy_timeout`), then finds the migrations applied."""
    if not migrations.pending(db):
        return
    with immediate(db):
        migrations.apply(db)  # each migration in a savepoint of this transaction


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction that takes the write lock when it begins, waiting for another process's
    (`busy_timeout`), so what it reads first cannot be outdated by the time it writes. Inside
    an open transaction it is just part of it."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    db.conn.commit()


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def read_then_write(db: sqlite_utils.Database, work: Callable[[], T]) -> T:
    """`work` — reads, and writes only when it finds something to write — in one transaction.
    First a deferred one, so a run that writes nothing never waits for another process's write
    lock; when another process wrote first, its upgrade to a writer fails at once (SQLite does
    not wait on an outdated WAL snapshot): then it is run again holding the lock from the start
    (`immediate`), and sees what the other wrote."""
    if db.conn.in_transaction:
        return work()
    db.execute("BEGIN")
    try:
        out = work()
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.rollback()
        if not _locked(exc):
            raise
    else:
        db.conn.commit()
        return out
    with immediate(db):
        return work()


def set_study_uuid(db: sqlite_utils.Database, study_id: str) -> None:
    """The study's id lives in study.toml; the database only mirrors it (for the vault)."""
    row = db.execute("SELECT value FROM study_meta WHERE key = 'uuid'").fetchone()
    if row is None or row[0] != study_id:
        with db.conn:
            db.execute("INSERT INTO study_meta (key, value) VALUES ('uuid', ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [study_id])  # fmt: skip
