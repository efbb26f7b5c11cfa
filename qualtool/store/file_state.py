"""The last-synced state of each study file (see migration m101_file_state)."""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database


def get(db: Database, path: str) -> tuple[str, str | None] | None:
    row = db.execute("SELECT sha, base FROM file_state WHERE path = ?", [path]).fetchone()
    return (str(row[0]), row[1]) if row else None


def put(db: Database, path: str, sha: str, base: str | None = None) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO file_state (path, sha, base) VALUES (?, ?, ?) ON CONFLICT (path) "
            "DO UPDATE SET sha = excluded.sha, base = excluded.base",
            [path, sha, base],
        )


def paths(db: Database, prefix: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT path FROM file_state WHERE path LIKE ? ORDER BY path", [prefix + "%"])]  # fmt: skip


def move(db: Database, old: str, new: str) -> None:
    """A file renamed: its state goes with it (the old name, which may hold a person's name,
    is not left behind in the cache)."""
    with db.atomic():
        db.execute("DELETE FROM file_state WHERE path = ?", [new])
        db.execute("UPDATE file_state SET path = ? WHERE path = ?", [new, old])


def forget(db: Database, path: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM file_state WHERE path = ?", [path])


def add_conflicts(db: Database, descriptions: list[str]) -> None:
    with db.atomic():
        db.conn.executemany("INSERT OR IGNORE INTO sync_conflicts (description) VALUES (?)",
                            [[d] for d in descriptions])  # fmt: skip


def file_conflicts(db: Database, source: str, found: dict[str, str]) -> list[str]:
    """The conflicts study file `source` holds now, `found` {ref: description}: its rows no longer
    found are dropped (settled by a coder, here or on another laptop, or gone with the line), the
    new ones added; returns the descriptions added — the ones to report, once. A row found before
    its ref was kept (an older release's) is matched by its text."""
    with db.atomic():
        rows = db.execute("SELECT id, description, ref FROM sync_conflicts WHERE source = ?",
                          [source]).fetchall()  # fmt: skip
        by_text = {text: ref for ref, text in found.items()}
        kept: set[str] = set()
        for rid, text, ref in rows:
            now = ref if ref in found else by_text.get(text) if ref is None else None
            if now is None or now in kept:
                db.execute("DELETE FROM sync_conflicts WHERE id = ?", [rid])
            else:
                db.execute("UPDATE sync_conflicts SET ref = ? WHERE id = ?", [now, rid])
                kept.add(now)
        added = [text for ref, text in found.items() if ref not in kept]
        db.conn.executemany(
            "INSERT INTO sync_conflicts (description, source, ref) VALUES (?, ?, ?) "
            "ON CONFLICT (description) DO UPDATE SET source = excluded.source, ref = excluded.ref",
            [[text, source, ref] for ref, text in found.items() if ref not in kept],
        )
    return added


def conflict_rows(db: Database) -> list[dict[str, Any]]:
    """Every listed conflict as stored: id, description, source, ref."""
    return list(db.query("SELECT id, description, source, ref FROM sync_conflicts ORDER BY id"))


def rewrite_conflicts(db: Database, rows: list[dict[str, Any]]) -> None:
    """Each row's new description and ref (`anonymise --apply`'s, its names replaced); a row
    whose new text another row already reads is the same conflict now, and goes."""
    with db.atomic():
        for r in rows:
            clash = db.execute("SELECT 1 FROM sync_conflicts WHERE description = ? AND id != ?",
                               [r["description"], r["id"]]).fetchone()  # fmt: skip
            if clash:
                db.execute("DELETE FROM sync_conflicts WHERE id = ?", [r["id"]])
            else:
                db.execute("UPDATE sync_conflicts SET description = ?, ref = ? WHERE id = ?",
                           [r["description"], r.get("ref"), r["id"]])  # fmt: skip


def rekey_conflicts(db: Database, old: str, new: str) -> None:
    """A recording renamed (here, or a colleague's rename followed): the listed conflicts that
    name it by its key («… on интервью-гульнара#1 …», a whole word) name the new key, so the
    listing points at a recording that exists and the old key — perhaps a name — is not kept."""
    word = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    rows = db.execute("SELECT id, description, ref FROM sync_conflicts WHERE instr(description, ?) "
                      "OR instr(coalesce(ref, ''), ?)", [old, old]).fetchall()  # fmt: skip
    rewrite_conflicts(db, [{"id": rid, "description": word.sub(new, text),
                            "ref": word.sub(new, ref) if ref else ref} for rid, text, ref in rows])  # fmt: skip


def put_back_conflicts(db: Database, rows: list[dict[str, Any]]) -> int:
    """`--restore`: each row's text before the apply (`before`), where it still reads what the
    apply wrote (a conflict resolved since is not listed again); how many."""
    n = 0
    with db.atomic():
        for r in rows:
            before = r.get("before") or {}
            if db.execute("SELECT 1 FROM sync_conflicts WHERE description = ?",
                          [before.get("description")]).fetchone():  # fmt: skip
                continue
            n += int(db.execute(
                "UPDATE sync_conflicts SET description = ?, ref = ? WHERE id = ? "
                "AND description = ?",
                [before.get("description"), before.get("ref"), r["id"], r["description"]],
            ).rowcount)  # fmt: skip
    return n


def conflicts(db: Database) -> list[tuple[int, str, str]]:
    return [(int(r[0]), str(r[1]), str(r[2])) for r in db.execute(
        "SELECT id, description, found_at FROM sync_conflicts ORDER BY id")]  # fmt: skip


def resolve_conflicts(db: Database, ids: list[int] | None = None) -> int:
    with db.atomic():
        if ids is None:
            return int(db.execute("DELETE FROM sync_conflicts").rowcount)
        return sum(int(db.execute("DELETE FROM sync_conflicts WHERE id = ?", [i]).rowcount)
                   for i in ids)  # fmt: skip
