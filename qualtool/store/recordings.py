"""Recordings and participants: rows ↔ domain objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Language, Method, Participant, Recording, Role
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.recording import plain_fields
from qualtool.i18n import _, ngettext
from qualtool.store import file_state
from qualtool.store.db import last_id, now, saved


def _participant(row: dict[str, Any]) -> Participant:
    return Participant(
        id=row["id"],
        pseudonym=row["pseudonym"],
        role=Role(row["role"]),
        gender=row["gender"],
        age_band=row["age_band"],
        region=row["region"],
        attributes=json.loads(row["attributes"] or "{}"),
    )


def _recording(db: Database, row: dict[str, Any]) -> Recording:
    people = tuple(
        _participant(r)
        for r in db.query(
            "SELECT p.* FROM participants p JOIN recording_participants rp "
            "ON rp.participant_id = p.id WHERE rp.recording_id = ? ORDER BY p.pseudonym",
            [row["id"]],
        )
    )
    return Recording(
        id=row["id"],
        key=row["key"],
        path=row["path"],
        checksum=row["checksum"],
        duration=row["duration"],
        format=row["format"],
        method=Method(row["method"]),
        service=row["service"],
        region=row["region"],
        language=Language(row["language"]),
        date=date.fromisoformat(row["date"]) if row["date"] else None,
        interviewer=row["interviewer"],
        consent=bool(row["consent"]),
        notes=row["notes"],
        participants=people,
    )


def _row(rec: Recording) -> dict[str, Any]:
    return {**plain_fields(rec), "consent": int(rec.consent)}


def by_checksum(db: Database, checksum: str) -> Recording | None:
    rows = list(db.query("SELECT * FROM recordings WHERE checksum = ?", [checksum]))
    return _recording(db, rows[0]) if rows else None


def insert_recording(db: Database, rec: Recording) -> Recording:
    """Insert a recording and link its participants, in one transaction."""
    with db.atomic():
        if by_checksum(db, rec.checksum):
            raise InvalidInput(
                _("duplicate: the same audio is already in the study ({path})").format(
                    path=rec.path
                )
            )
        if list(db.query("SELECT 1 FROM recordings WHERE key = ?", [rec.key])):
            raise InvalidInput(_("a recording with key {key!r} already exists").format(key=rec.key))
        rid = last_id(db.table("recordings").insert(_row(rec)))
        for person in rec.participants:
            link_participant(db, rid, person)
    return get_recording(db, rid)


def upsert_participant(db: Database, person: Participant) -> int:
    existing = list(db.query("SELECT id FROM participants WHERE pseudonym = ?", [person.pseudonym]))
    values = {
        "pseudonym": person.pseudonym,
        "role": person.role.value,
        "gender": person.gender,
        "age_band": person.age_band,
        "region": person.region,
        "attributes": json.dumps(person.attributes, ensure_ascii=False),
    }
    if existing:
        pid = existing[0]["id"]
        db.table("participants").update(pid, values)
        return int(pid)
    return int(last_id(db.table("participants").insert(values)))


def link_participant(
    db: Database, recording_id: int, person: Participant, speaker: str | None = None
) -> None:
    pid = upsert_participant(db, person)
    db.table("recording_participants").upsert(
        {"recording_id": recording_id, "participant_id": pid, "speaker_label": speaker},
        pk=("recording_id", "participant_id"),
    )


def key_exists(db: Database, key: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM recordings WHERE key = ?", [key])))


def get_recording(db: Database, ident: int | str) -> Recording:
    """By numeric id or by key; a clear NotFound otherwise."""
    if isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()):
        rows = list(db.query("SELECT * FROM recordings WHERE id = ?", [int(ident)]))
    else:
        rows = []
    if not rows:
        rows = list(db.query("SELECT * FROM recordings WHERE key = ?", [str(ident)]))
    if not rows:
        raise NotFound(_("no recording {key!r} (see `qualtool ls`)").format(key=ident))
    return _recording(db, rows[0])


def list_recordings(db: Database) -> list[Recording]:
    return [_recording(db, r) for r in db.query("SELECT * FROM recordings ORDER BY key")]


def update_recording(db: Database, rec: Recording, **changes: Any) -> Recording:
    updated = replace(rec, **changes)
    with db.atomic():
        db.table("recordings").update(saved(rec.id), {**_row(updated), "updated_at": now(db)})
    return get_recording(db, rec.id or 0)


def memos_naming(db: Database, key: str) -> list[int]:
    """The memos that name a recording by its key (a recording's memo, a segment's memo as
    `KEY#IDX` from an import): a rename touches them in the journal first."""
    return [int(r[0]) for r in db.execute(
        "SELECT id FROM memos WHERE (target_type = 'recording' AND target_id = ?) OR "
        "(target_type = 'segment' AND substr(target_id, 1, ?) = ?)",
        [key, len(key) + 1, key + "#"])]  # fmt: skip


def rename_recording(db: Database, rec: Recording, key: str, path: str) -> None:
    """The recording's key and file path, the memos that name it (`memos_naming`) and the listed
    conflicts (`file_state.rekey_conflicts`); inside
    the caller's transaction. A text source's checksum is the hash of its path (`text:<key>`),
    so it follows: the old one would be the hash of the old key, a name guessable from it."""
    checksum = rec.checksum
    if path.startswith("text:") and path != rec.path:
        checksum = hashlib.sha256(path.encode()).hexdigest()
    db.execute("UPDATE recordings SET key = ?, path = ?, checksum = ?, updated_at = ? "
               "WHERE id = ?", [key, path, checksum, now(db), rec.id])  # fmt: skip
    if key != rec.key:
        db.execute("INSERT OR REPLACE INTO recording_aliases (digest, recording_id) VALUES (?, ?)",
                   [alias_digest(rec.key), rec.id])  # fmt: skip
    db.execute("UPDATE memos SET target_id = ? WHERE target_type = 'recording' AND target_id = ?",
               [key, rec.key])  # fmt: skip
    db.execute("UPDATE memos SET target_id = ? || substr(target_id, ?) WHERE "
               "target_type = 'segment' AND substr(target_id, 1, ?) = ?",
               [key, len(rec.key) + 1, len(rec.key) + 1, rec.key + "#"])  # fmt: skip
    if key != rec.key:
        file_state.rekey_conflicts(db, rec.key, key)


def alias_digest(key: str) -> str:
    """A former key as the alias table keeps it: hashed, never the key (it may be a name)."""
    return hashlib.sha256(f"recording-key\x00{key}".encode()).hexdigest()[:32]


def renamed_to(db: Database, key: str) -> str | None:
    """The key now of the recording that was called `key` before a rename (here or pulled);
    None when `key` is a recording's key now or was never one here."""
    if key_exists(db, key):
        return None
    row = db.execute(
        "SELECT r.key FROM recording_aliases a JOIN recordings r ON r.id = a.recording_id "
        "WHERE a.digest = ?",
        [alias_digest(key)],
    ).fetchone()
    return str(row[0]) if row else None


def delete_recording(db: Database, rec: Recording) -> None:
    """Refuses while codings exist: a recording's codings are someone's work."""
    n = db.execute(
        "SELECT count(*) FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id WHERE t.recording_id = ?",
        [rec.id],
    ).fetchone()[0]
    if n:
        raise InvalidInput(
            ngettext(
                "{key} has {n} coding; remove it first",
                "{key} has {n} codings; remove them first",
                n,
            ).format(key=rec.key, n=n)
        )
    with db.atomic():
        db.execute("DELETE FROM recordings WHERE id = ?", [rec.id])


def list_participants(db: Database) -> list[Participant]:
    return [_participant(r) for r in db.query("SELECT * FROM participants ORDER BY pseudonym")]
