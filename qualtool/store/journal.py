"""Undo and redo for every mutating action of the coders.

An action records, in the same transaction as its change, the before- and after-image of
every row it touched (None where a row did not exist) and of every study file it rewrote
(the codebook YAML, privacy/decisions.yml: the part that changed, see `FileImage`). Undo puts
the before-images back, redo the after-images. There is one
linear history per study, so the TUI's ctrl+z and `qualtool undo` undo the same thing.

Before anything is restored, the current rows are compared with the images the action left
behind: if something outside the journal changed them since (a sync, a re-import), the step
is refused with `JournalConflict` instead of half-applied; the caller then drops the
history that can no longer be replayed, so undo never stays stuck on one failing entry.
A file's change is refused the same way when its own text was changed since.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import N_, _

# the key each journaled table's rows are found by
KEYS = {
    "segments": "id",
    "codings": "id",
    "memos": "id",
    "suggestions": "id",
    "codes": "id",
    "code_aliases": "old_id",
    "adjudications": "rowid",
    "recordings": "id",  # a recording renamed (its key and file path)
}
# children first when rows go away (codings.segment_id is ON DELETE RESTRICT: immediate)
ORDER = (
    "memos",
    "adjudications",
    "suggestions",
    "codings",
    "code_aliases",
    "codes",
    "segments",
    "recordings",
)
FILE = "file"
# a study file moved (a renamed recording's transcripts and media): [MOVE, from, to]; the
# files' bytes are not copied into the journal (a recording is hundreds of megabytes)
MOVE = "move"
# the tables in the words of a conflict message («codings changed outside the undo history»):
# the Russian interface said «suggestions с тех пор изменена»
TABLE_WORDS = {"segments": N_("transcript segments"), "codings": N_("codings"),
               "memos": N_("memos"), "suggestions": N_("suggestions"),
               "codes": N_("codebook codes"), "code_aliases": N_("old code ids"),
               "adjudications": N_("adjudications"), "recordings": N_("recordings")}  # fmt: skip
KEEP = 200  # undo depth
AROUND = 300  # characters kept on each side of a file's change, to find its place again

Row = dict[str, Any]


class JournalConflict(InvalidInput):
    """The rows an entry would restore were changed outside the journal."""


class FileChanged(Exception):
    """A study file is not as the entry left it: its change cannot be replayed on it."""


@dataclass(frozen=True)
class FileImage:
    """A study file before and after a step. A file that existed on both sides is journaled
    as the part that changed (`before`/`after` are then that part, between an unchanged head
    and tail of `keep` characters), the text around it and the hashes of the whole images: a
    decision saved in a 100,000-line decisions file would otherwise store it twice (24 MB) in
    every one of the last 200 steps. That part is put back into the file as it is now: at
    its place when the file is the image the step left; else where its text and the text
    around it stand, once (as `git revert` does — a decision pulled since, or moved with its
    words elsewhere in the file, stays); `FileChanged` when they no longer do, as with rows
    changed outside the history."""

    path: str  # relative to the study folder
    before: str | None  # None: the file did not exist
    after: str | None
    keep: tuple[int, int] | None = None  # a change: the unchanged head and tail
    digests: tuple[str, str] = ("", "")  # a change: sha256 of the whole before and after
    around: tuple[str, str] = ("", "")  # a change: the text just before and after it

    def written(self, current: str | None) -> str | None:
        """The file's text after this step, from its text now (None: no file)."""
        if self.keep is None:
            return self.after
        if current is None:
            raise FileChanged(self.path)
        then, now = self.after or "", self.before or ""
        if _sha(current) == self.digests[0]:
            head, tail = self.keep
            return current[:head] + then + current[len(current) - tail :]
        left, right = self.around
        at = current.find(left + now + right)
        if at < 0 or current.find(left + now + right, at + 1) >= 0:
            raise FileChanged(self.path)
        return current[:at] + left + then + right + current[at + len(left + now + right) :]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _common(a: str, b: str, block: int = 1 << 16) -> int:
    """The length of a's and b's common head, compared a block at a time (C speed)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i : i + block] == b[i : i + block]:
        i += block
    end = min(i + block, n)
    while i < end and a[i] == b[i]:
        i += 1
    return min(i, n)


def _file_item(path: str, before: str | None, after: str | None) -> list[Any]:
    """The journal item of a rewritten file: whole images when it was created or removed,
    else the changed part (see `FileImage`)."""
    if before is None or after is None:
        return [FILE, path, before, after]
    head = _common(before, after)
    tail = _common(before[head:][::-1], after[head:][::-1])
    left, right = before[max(0, head - AROUND) : head], before[len(before) - tail :][:AROUND]
    return [FILE, path, before[head : len(before) - tail], after[head : len(after) - tail],
            head, tail, _sha(before), _sha(after), left, right]  # fmt: skip


@dataclass(frozen=True)
class Entry:
    id: int
    label: str
    transcript_id: int | None
    items: list[list[Any]]

    def files(self, undo: bool) -> list[FileImage]:
        out = []
        for i in (i for i in self.items if i[0] == FILE):
            keep, sha = (None, ("", "")) if len(i) == 4 else ((i[4], i[5]), (i[6], i[7]))
            before, after = (i[3], i[2]) if undo else (i[2], i[3])
            around = (i[8], i[9]) if len(i) > 4 else ("", "")
            out.append(FileImage(i[1], before, after, keep, sha[::-1] if undo else sha, around))
        return out

    def moves(self, undo: bool) -> list[tuple[str, str]]:
        """The files this entry moved, (from, to) relative to the study, in the order to
        replay them: undo moves them back, last first."""
        pairs = [(str(i[1]), str(i[2])) for i in self.items if i[0] == MOVE]
        return [(b, a) for a, b in reversed(pairs)] if undo else pairs

    def tables(self) -> set[str]:
        return {str(i[0]) for i in self.items if i[0] not in (FILE, MOVE)}

    def coders(self) -> set[str]:
        """Coders whose layer this entry touched (both images): a coding's or a memo's (an
        undone memo left its line in the layer until some later write)."""
        return {str(img["coder_id"]) for i in self.items if i[0] in ("codings", "memos")
                for img in i[2:4] if img and img.get("coder_id")}  # fmt: skip

    def segment_ids(self) -> set[int]:
        out: set[int] = set()
        for i in self.items:
            if i[0] == "segments":
                out.add(int(i[1]))
            elif i[0] == "codings":
                out |= {int(img["segment_id"]) for img in i[2:4] if img}
        return out


def _select(table: str, where: str, args: list[Any]) -> str:
    key = KEYS[table]
    cols = "rowid AS rowid, *" if key == "rowid" else "*"
    return f"SELECT {cols} FROM {table} WHERE {where}"


def _read(db: Database, table: str, key: Any) -> Row | None:
    rows = list(db.query(_select(table, f"{KEYS[table]} = ?", []), [key]))
    return rows[0] if rows else None


_ACTIVE: dict[int, Recorder] = {}  # the action open on each connection


class Recorder:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.before: dict[tuple[str, Any], Row | None] = {}
        self.files: dict[str, tuple[str | None, str | None]] = {}
        self.moved: list[tuple[str, str]] = []

    def touch(self, table: str, key: Any) -> None:
        """Call before changing or deleting a row."""
        if (table, key) not in self.before:
            self.before[(table, key)] = _read(self.db, table, key)

    def created(self, table: str, key: Any) -> None:
        self.before.setdefault((table, key), None)

    def touch_where(self, table: str, where: str, args: list[Any]) -> None:
        for r in self.db.query(_select(table, where, args), args):
            self.before.setdefault((table, r[KEYS[table]]), r)

    def created_where(self, table: str, where: str = "1", args: list[Any] | None = None) -> None:
        """After a bulk change (a codebook sync): rows matching `where` that nothing touched
        before were created by this action."""
        for r in self.db.query(_select(table, where, args or []), args or []):
            self.before.setdefault((table, r[KEYS[table]]), None)

    def file(self, path: str, before: str | None, after: str | None) -> None:
        """A study file this action rewrites (write it inside the action: both or neither)."""
        first = self.files.get(path, (before, after))[0]
        self.files[path] = (first, after)

    def move(self, source: str, target: str) -> None:
        """A study file this action moved (move it inside the action)."""
        self.moved.append((source, target))


@contextmanager
def action(db: Database, label: str, transcript_id: int | None = None) -> Iterator[Recorder]:
    """Wrap one user action: its changes and its journal entry commit together. A new action
    ends the redo history."""
    outer = _ACTIVE.get(id(db))
    if outer is not None:  # an action inside another (accept = code + decide): one entry
        with db.atomic():
            yield outer
        return
    rec = Recorder(db)
    _ACTIVE[id(db)] = rec
    try:
        with db.atomic():
            yield rec
            _commit(db, rec, label, transcript_id)
    finally:
        _ACTIVE.pop(id(db), None)


def _commit(db: Database, rec: Recorder, label: str, transcript_id: int | None) -> None:
    items: list[list[Any]] = []
    for (table, key), before in rec.before.items():
        after = _read(db, table, key)
        if after != before:
            items.append([table, key, before, after])
    items += [_file_item(p, b, a) for p, (b, a) in rec.files.items() if b != a]
    items += [[MOVE, a, b] for a, b in rec.moved]
    if items:
        db.execute("DELETE FROM journal WHERE undone = 1")
        db.execute("INSERT INTO journal (label, transcript_id, payload) VALUES (?, ?, ?)",
                   [label, transcript_id, json.dumps(items, ensure_ascii=False)])  # fmt: skip
        db.execute("DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?", [KEEP])


def _entry(row: Row) -> Entry:
    return Entry(
        int(row["id"]), str(row["label"]), row["transcript_id"], json.loads(row["payload"])
    )


def next_undo(db: Database) -> Entry | None:
    rows = list(db.query("SELECT * FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1"))
    return _entry(rows[0]) if rows else None


def next_redo(db: Database) -> Entry | None:
    rows = list(db.query("SELECT * FROM journal WHERE undone = 1 ORDER BY id LIMIT 1"))
    return _entry(rows[0]) if rows else None


def revision(db: Database) -> tuple[int, int, int]:
    """Changes whenever an action is recorded, undone or redone: a screen shown again compares
    it with what it showed (an id is reused after an undone entry is replaced, so the newest
    entry's payload counts too)."""
    top = db.execute("SELECT id, payload FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    undone = db.execute("SELECT count(*) FROM journal WHERE undone = 1").fetchone()[0]
    return (int(top[0]), int(undone), hash(top[1])) if top else (0, int(undone), 0)


def history(db: Database, limit: int = 20) -> list[tuple[int, str, bool]]:
    """(id, label, undone) newest first: what `qualtool undo --list` shows."""
    return [(r["id"], r["label"], bool(r["undone"])) for r in db.query(
        "SELECT id, label, undone FROM journal ORDER BY id DESC LIMIT ?", [limit])]  # fmt: skip


def forget(db: Database, entry: Entry, undo: bool) -> None:
    """Drop the history that can no longer be replayed: on a failed undo the entry and all
    older ones, on a failed redo the entry and all newer (undone) ones."""
    with db.atomic():
        if undo:
            db.execute("DELETE FROM journal WHERE id <= ? AND undone = 0", [entry.id])
        else:
            db.execute("DELETE FROM journal WHERE undone = 1")


def _park(db: Database, items: list[list[Any]]) -> None:
    """Move touched rows out of the way of UNIQUE constraints while images swap."""
    for table, key, *_rest in items:
        if table == "segments":
            db.execute("UPDATE segments SET idx = -1 - id WHERE id = ?", [key])
        elif table == "codings":
            db.execute('UPDATE codings SET start = start + 1000000000, "end" = "end" + 1000000000 '
                       "WHERE id = ?", [key])  # fmt: skip


def _put(db: Database, table: str, key: Any, row: Row | None) -> None:
    keycol = KEYS[table]
    exists = db.execute(f"SELECT 1 FROM {table} WHERE {keycol} = ?", [key]).fetchone()
    if row is None:
        if exists:
            db.execute(f"DELETE FROM {table} WHERE {keycol} = ?", [key])
        return
    cols = [c for c in row if c not in (keycol, "rowid")]
    if exists:
        sets = ", ".join(f'"{c}" = ?' for c in cols)
        db.execute(f"UPDATE {table} SET {sets} WHERE {keycol} = ?", [*(row[c] for c in cols), key])
    else:
        names = [keycol, *cols]
        db.execute(f"INSERT INTO {table} ({', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
                   f"VALUES ({', '.join('?' * len(names))})", [key, *(row[c] for c in cols)])  # fmt: skip


def _differs(row: Row | None, image: Row | None) -> bool:
    """Is the row not as the image left it? Only the image's columns count: a column added
    since (`codings.written_code`) does not make an older entry's rows «changed outside»."""
    if row is None or image is None:
        return row is not image
    return any(row.get(k) != v for k, v in image.items())


def apply(
    db: Database,
    entry: Entry,
    undo: bool,
    write_files: Callable[[list[FileImage]], None] | None = None,
) -> None:
    """Undo (or redo) one entry: check, swap the row images, then let the caller write the
    files inside the same transaction, so rows and files change together or not at all."""
    now_i, then_i = (3, 2) if undo else (2, 3)
    items = [i for i in entry.items if i[0] != FILE and i[0] in KEYS]
    for item in items:
        if len(item) > 3 and _differs(_read(db, item[0], item[1]), item[now_i]):
            what = (
                _("cannot undo «{label}»: {table} changed outside the undo history since")
                if undo
                else _("cannot redo «{label}»: {table} changed outside the undo history since")
            )
            table = _(TABLE_WORDS[item[0]]) if item[0] in TABLE_WORDS else item[0]
            raise JournalConflict(what.format(label=entry.label, table=table))
    if not undo and any(len(i) < 4 for i in items):
        raise JournalConflict(
            _("cannot redo «{label}»: recorded by an older version").format(label=entry.label)
        )
    try:
        with db.atomic():
            db.execute("PRAGMA defer_foreign_keys = ON")
            items.sort(key=lambda x: ORDER.index(x[0]))
            _park(db, items)
            gone = [i for i in items if i[then_i] is None]
            for table, key, *_rest in gone:  # deletions first, children before parents
                _put(db, table, key, None)
            for item in reversed([i for i in items if i[then_i] is not None]):
                _put(db, item[0], item[1], item[then_i])  # parents before children
            db.execute("UPDATE journal SET undone = ? WHERE id = ?", [int(undo), entry.id])
            if write_files is not None:
                write_files(entry.files(undo))
    except sqlite3.IntegrityError as exc:
        what = _("cannot undo «{label}»: {error}") if undo else _("cannot redo «{label}»: {error}")
        raise JournalConflict(what.format(label=entry.label, error=exc)) from None


def undo(db: Database, transcript_id: int | None = None) -> str:
    """Revert the newest action (rows only; coding/history.py also restores files)."""
    entry = next_undo(db)
    if entry is None:
        raise InvalidInput(_("nothing to undo"))
    apply(db, entry, undo=True)
    return entry.label
