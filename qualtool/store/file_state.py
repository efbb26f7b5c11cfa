"""The last-synced state of each study file (see migration m101_file_state)."""

from __future__ import annotations

from sqlite_utils import Database


def get(db: Database, path: str) -> tuple[str, str | None] | None:
    row = db.execute("SELECT sha, base FROM file_state WHERE path = ?", [path]).fetchone()
    return (str(row[0]), row[1]) if row else None


def put(db: Database, path: str, sha: str, base: str | None = None) -> None:
    with db.conn:
        db.execute(
            "INSERT INTO file_state (path, sha, base) VALUES (?, ?, ?) ON CONFLICT (path) "
            "DO UPDATE SET sha = excluded.sha, base = excluded.base",
            [path, sha, base],
        )


def paths(db: Database, prefix: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT path FROM file_state WHERE path LIKE ? ORDER BY path", [prefix + "%"])]  # fmt: skip


def forget(db: Database, path: str) -> None:
    with db.conn:
        db.execute("DELETE FROM file_state WHERE path = ?", [path])
