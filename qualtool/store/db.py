"""Opening a study database: WAL, foreign keys, migrations, one connection per thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from qualtool.store.migrations import migrations


def now(db: sqlite_utils.Database) -> str:
    """SQLite's own clock, so every timestamp in the study has one format."""
    return str(db.execute("SELECT datetime('now')").fetchone()[0])


def _ulower(value: object) -> object:
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


def set_study_uuid(db: sqlite_utils.Database, study_id: str) -> None:
    """The study's id lives in study.toml; the database only mirrors it (for the vault)."""
    row = db.execute("SELECT value FROM study_meta WHERE key = 'uuid'").fetchone()
    if row is None or row[0] != study_id:
        with db.conn:
            db.execute("INSERT INTO study_meta (key, value) VALUES ('uuid', ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [study_id])  # fmt: skip
