"""Running a migration's SQL text inside the migration's transaction."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database


def run_script(db: Database, script: str) -> None:
    """Run statements one by one: sqlite3's executescript() would COMMIT the migration's
    transaction half-way and defeat its rollback."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):  # trigger bodies hold ';' of their own
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")
