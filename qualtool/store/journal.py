"""Undo for the coder's actions: each action records the before-image of every row it
changes (None for rows it creates), in the same transaction as the change; undo restores
them, newest first. Covers segments (text, speaker, split, merge), codings and memos.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from qualtool.domain.errors import InvalidInput

TABLES = ("segments", "codings", "memos")
KEEP = 200  # undo depth


class Recorder:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.before: dict[tuple[str, int], dict[str, Any] | None] = {}

    def touch(self, table: str, row_id: int) -> None:
        """Call before changing or deleting a row."""
        if (table, row_id) not in self.before:
            rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]))
            self.before[(table, row_id)] = rows[0] if rows else None

    def created(self, table: str, row_id: int) -> None:
        self.before.setdefault((table, row_id), None)

    def touch_where(self, table: str, where: str, args: list[Any]) -> None:
        for r in self.db.query(f"SELECT * FROM {table} WHERE {where}", args):
            self.before.setdefault((table, r["id"]), r)


@contextmanager
def action(db: Database, label: str, transcript_id: int | None = None) -> Iterator[Recorder]:
    """Wrap one user action: its changes and its journal entry commit together."""
    rec = Recorder(db)
    with db.atomic():
        yield rec
        if rec.before:
            payload = [[t, i, row] for (t, i), row in rec.before.items()]
            db.execute("INSERT INTO journal (label, transcript_id, payload) VALUES (?, ?, ?)",
                       [label, transcript_id, json.dumps(payload, ensure_ascii=False)])  # fmt: skip
            db.execute("DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?", [KEEP])


def last(db: Database, transcript_id: int | None = None) -> dict[str, Any] | None:
    sql = "SELECT id, label, transcript_id FROM journal"
    args: list[Any] = []
    if transcript_id is not None:
        sql += " WHERE transcript_id = ?"
        args.append(transcript_id)
    rows = list(db.query(sql + " ORDER BY id DESC LIMIT 1", args))
    return rows[0] if rows else None


def undo(db: Database, transcript_id: int | None = None) -> str:
    """Revert the newest action (of this transcript, if given); returns its label."""
    entry = last(db, transcript_id)
    if entry is None:
        raise InvalidInput("nothing to undo")
    payload = json.loads(
        db.execute("SELECT payload FROM journal WHERE id = ?", [entry["id"]]).fetchone()[0]
    )
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")
        order = {"memos": 0, "codings": 1, "segments": 2}  # children first (RESTRICT is immediate)
        items = sorted(payload, key=lambda x: order[x[0]])
        seg_ids = [i for t, i, _ in items if t == "segments"]
        for sid in seg_ids:  # free the (transcript, idx) slots before rows move back
            db.execute("UPDATE segments SET idx = -1 - id WHERE id = ?", [sid])
        for table, row_id, row in items:
            if table not in TABLES:
                continue
            if row is None:
                db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
            elif db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone():
                cols = [c for c in row if c != "id"]
                sets = ", ".join(f'"{c}" = ?' for c in cols)
                db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                           [*(row[c] for c in cols), row_id])  # fmt: skip
            else:
                names = ", ".join(f'"{c}"' for c in row)
                db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})",
                           list(row.values()))  # fmt: skip
        db.execute("DELETE FROM journal WHERE id = ?", [entry["id"]])
    return str(entry["label"])
