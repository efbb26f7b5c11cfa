"""An older study database is migrated forward when opened, keeping its data."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from qualtool.store import recordings as rec_store
from qualtool.store.db import open_db
from qualtool.store.migrations import migrations


def test_a_database_from_an_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "qualtool.db"
    db = sqlite_utils.Database(path)
    names = [m.name for m in migrations._migrations]
    first = migrations._migrations[0]
    first.fn(db)  # the schema as the first release shipped it
    db.execute("CREATE TABLE IF NOT EXISTS _sqlite_migrations (migration_set TEXT, name TEXT, "
               "applied_at TEXT, PRIMARY KEY (migration_set, name))")  # fmt: skip
    db.execute(
        "INSERT INTO _sqlite_migrations VALUES ('qualtool', ?, datetime('now'))", [first.name]
    )
    db.execute(
        "INSERT INTO recordings (key, path, checksum, duration, format) "
        "VALUES ('idi-old', 'audio/old.flac', 'abc', 12.5, 'flac')"
    )
    db.conn.commit()
    db.close()

    upgraded = open_db(path)
    applied = [r[0] for r in upgraded.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'qualtool'")]  # fmt: skip
    assert sorted(applied) == sorted(names)
    rec = rec_store.get_recording(upgraded, "idi-old")
    assert rec.duration == 12.5 and rec.path == "audio/old.flac"
    upgraded.close()
    again = open_db(path)  # opening again applies nothing twice
    assert again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(names)
