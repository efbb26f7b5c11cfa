"""Opening a study database: WAL, foreign keys, migrations, one connection per thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Database

from qualtool.store.migrations import migrations

__all__ = [
    "Database",
    "now",
    "open_db",
]  # services type the handle through store, never sqlite_utils


def now(db: sqlite_utils.Database) -> str:
    """SQLite's own clock, so every timestamp in the study has one format."""
    return str(db.execute("SELECT datetime('now')").fetchone()[0])


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


def open_db(path: Path | str | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a study database; `None` gives an in-memory one.

    WAL lets the TUI read while a transcription worker writes; `busy_timeout` turns the rare
    writer collision into a short wait instead of an error.
    """
    if path is None:
        db = sqlite_utils.Database(memory=True)
    else:
        conn = sqlite3.connect(str(path), timeout=10.0, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    # SQLite's lower() folds ASCII only; filters on «ВКО»/«вко» need Unicode folding
    db.conn.create_function("ulower", 1, _ulower, deterministic=True)
    migrations.apply(db)
    return db
