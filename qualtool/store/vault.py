"""The owner's vault: original text of anonymised segments, kept outside the study folder.

The study folder (and its git history, and anything shared from it) then carries only
pseudonymised text; only the machine and account holding the vault can restore the originals.
Location: `$QUALTOOL_VAULT` or the user data directory, one file per study (by its uuid),
readable by the owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlite_utils import Database


def vault_path(study_uuid: str) -> Path:
    base = os.environ.get("QUALTOOL_VAULT") or platformdirs.user_data_dir("qualtool")
    return Path(base) / "vault" / f"{study_uuid}.db"


def study_uuid(db: Database) -> str:
    return str(db.execute("SELECT value FROM study_meta WHERE key = 'uuid'").fetchone()[0])


def open_vault(db: Database) -> Database:
    path = vault_path(study_uuid(db))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = not path.exists()
    vault = Database(path)
    if fresh:
        os.chmod(path, 0o600)
    vault.execute(
        "CREATE TABLE IF NOT EXISTS originals (segment_id INTEGER PRIMARY KEY, recording TEXT, "
        "idx INTEGER, original TEXT NOT NULL, anonymised TEXT NOT NULL, words TEXT, "
        "at TEXT DEFAULT (datetime('now')))"
    )
    return vault


def keep(vault: Database, segment_id: int, recording: str, idx: int, original: str,
         anonymised: str, words: str) -> None:  # fmt: skip
    """The first original wins: anonymising twice must not overwrite it with a pseudonym."""
    vault.execute(
        "INSERT INTO originals (segment_id, recording, idx, original, anonymised, words) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (segment_id) DO UPDATE SET "
        "anonymised = excluded.anonymised",
        [segment_id, recording, idx, original, anonymised, words],
    )
    vault.conn.commit()


def originals(vault: Database) -> list[dict[str, object]]:
    return list(vault.query("SELECT * FROM originals ORDER BY segment_id"))


def forget(vault: Database, segment_id: int) -> None:
    vault.execute("DELETE FROM originals WHERE segment_id = ?", [segment_id])
    vault.conn.commit()
