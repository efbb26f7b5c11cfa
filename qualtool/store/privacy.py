"""SQL for anonymisation: read every text that can hold a name, write the pseudonymised rows
in one transaction, and purge what SQLite keeps of the originals (undo journal, full-text
index and its shadow tables, free pages, the WAL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlite_utils import Database

from qualtool.domain.errors import InvalidInput
from qualtool.domain.pseudonym import MARKS, NUMBERED, PERSON_LABEL
from qualtool.i18n import _
from qualtool.store import file_state

APPLY_META = "anonymise_apply"
# how many replacements («Имя-N», «[телефон]» …) the texts held at the last sync, and whether
# a purge of the old text a pulled apply replaced is still owed (another program kept it)
MARKS_META = "replacements_seen"
PURGE_META = "purge_pending"
# applies finished or rolled back while the vault was locked, for the vault's record to learn
# when it next opens (`privacy.locked`): {apply id: {"state", "files": {path: sha256}}}
LOCKED_META = "anonymise_locked"

# table -> text-bearing columns apply rewrites (and restore puts back)
COLUMNS: dict[str, tuple[str, ...]] = {
    "segments": ("text", "words", "speaker"),
    "codings": ("start", "end", "quote", "memo"),
    "memos": ("text",),
    "suggestions": ("start", "end", "quote", "reason"),
    # every coder's decision on a suggestion: the queue row's trigger keeps only the decision of
    # the coder it names in step (and never its reason), another coder's kept the words as said
    "suggestion_decisions": ("start", "end", "quote", "reason"),
    "recordings": ("notes", "interviewer"),
    "participants": ("pseudonym", "attributes"),
    # «imported:<file name>»: a transcript file named after someone; the settings `transcribe`
    # copied study.toml's glossary into (`glossary`, and `hotwords` «Термины: …»)
    "transcripts": ("model", "settings"),
    "adjudications": ("note",),  # a ruling's note («as Сейткалиев said»), in consensus.json too
}
# the key a table's rows are found by where it has no `id` (the journal's key for it)
_ID = {"adjudications": "rowid", "suggestion_decisions": "rowid"}


def segments(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT s.id, s.idx, s.text, s.words, s.speaker, r.key AS recording FROM segments s "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id "
        "ORDER BY r.key, s.idx"))  # fmt: skip


def segment_timings(db: Database, key: str) -> list[dict[str, Any]]:
    return list(db.query(
        'SELECT s.start, s."end", s.text, s.words FROM segments s '
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id "
        "WHERE r.key = ? ORDER BY s.idx", [key]))  # fmt: skip


def rows(db: Database, table: str) -> list[dict[str, Any]]:
    cols = ", ".join(f'"{c}"' for c in COLUMNS[table])
    extra = {"codings": ", segment_id", "suggestions": ", segment_id",
             "suggestion_decisions": ", segment_id", "recordings": ", key"}.get(table, "")  # fmt: skip
    key = _ID.get(table, "id")
    return list(db.query(f"SELECT {key} AS id{extra}, {cols} FROM {table} ORDER BY {key}"))


def has_pseudonyms(db: Database) -> bool:
    """Some segment reads «Имя-N»: the text was anonymised (here, or on a colleague's laptop
    and pulled, where `applied_id` knows nothing of it)."""
    rows_ = db.execute("SELECT text FROM segments WHERE text LIKE ?", [f"%{PERSON_LABEL}-%"])
    return any(NUMBERED.search(text) for (text,) in rows_)


def study_texts(db: Database) -> list[str | None]:
    """Every text apply rewrites (segments with their speaker labels, quotes, memos, reasons,
    notes): where pseudonyms given on any laptop can be found."""
    out: list[str | None] = []
    for table, cols in COLUMNS.items():
        text_cols = [c for c in cols if c not in ("start", "end", "words")]
        for r in rows(db, table):
            out += [r[c] for c in text_cols]
    return out


def metadata_words(db: Database) -> list[str | None]:
    """Regions and services of the recordings: words the allow-list keeps."""
    return [v for r in db.execute("SELECT region, service FROM recordings") for v in r]


def _update(db: Database, changes: dict[str, list[dict[str, Any]]]) -> None:
    for table, items in changes.items():
        for values in items:
            cols = [c for c in values if c != "id"]
            sets = ", ".join(f'"{c}" = ?' for c in cols)
            db.execute(f"UPDATE {table} SET {sets} WHERE {_ID.get(table, 'id')} = ?",
                       [*(values[c] for c in cols), values["id"]])  # fmt: skip


def write(db: Database, changes: dict[str, list[dict[str, Any]]], apply_id: str,
          pause: Callable[[], None] | None = None,
          conflicts: Sequence[dict[str, Any]] = ()) -> None:  # fmt: skip
    """All rows at once with the apply's id in study_meta: committed together or not at all;
    `conflicts`: the listed conflicts' new texts (`file_state.rewrite_conflicts`)."""
    db.execute("PRAGMA secure_delete = ON")
    try:
        with db.atomic():
            _update(db, changes)
            file_state.rewrite_conflicts(db, list(conflicts))
            if pause:
                pause()
            _forget_old_text(db)
            _set_meta(db, APPLY_META, apply_id)
            _set_meta(db, MARKS_META, str(replacements(db)))  # not a pulled apply: purged here
    except sqlite3.IntegrityError as exc:  # e.g. two codings that become the same span
        raise InvalidInput(
            _("anonymisation would clash with existing rows ({error}); nothing was changed").format(
                error=exc
            )
        ) from None


def restore_rows(db: Database, changes: dict[str, list[dict[str, Any]]]) -> None:
    with db.atomic():
        _update(db, changes)
        db.execute("DELETE FROM study_meta WHERE key = ?", [APPLY_META])


def current(db: Database, table: str, row_id: int) -> dict[str, Any] | None:
    cols = ", ".join(f'"{c}"' for c in COLUMNS[table])
    key = _ID.get(table, "id")
    found = list(db.query(f"SELECT {cols} FROM {table} WHERE {key} = ?", [row_id]))
    return found[0] if found else None


def applied_id(db: Database) -> str | None:
    row = db.execute("SELECT value FROM study_meta WHERE key = ?", [APPLY_META]).fetchone()
    return str(row[0]) if row else None


def locked_outcomes(db: Database) -> dict[str, Any]:
    """The applies finished or rolled back while the vault was locked (`LOCKED_META`)."""
    try:
        found = json.loads(_meta(db, LOCKED_META) or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def set_locked_outcomes(db: Database, outcomes: dict[str, Any]) -> None:
    with db.atomic():
        if outcomes:
            _set_meta(db, LOCKED_META, json.dumps(outcomes, ensure_ascii=False))
        else:
            db.execute("DELETE FROM study_meta WHERE key = ?", [LOCKED_META])


def _set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO study_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
               "value = excluded.value", [key, value])  # fmt: skip


def _meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM study_meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def _forget_old_text(db: Database) -> None:
    """The live rows that still hold the text just replaced: the undo journal (its
    before-images are originals) and the full-text index (its segments keep old tokens)."""
    db.execute("DELETE FROM journal")
    _rebuild_index(db)


def replacements(db: Database) -> int:
    """How many replacements the study's texts hold (every kind, «Имя-N» and «[ИИН]» alike).
    Text columns only: a sync counts them, and word timings are most of a study's bytes."""
    n = 0
    for table, cols in COLUMNS.items():
        for col in (c for c in cols if c not in ("start", "end", "words")):
            for (text,) in db.execute(f'SELECT "{col}" FROM {table} WHERE "{col}" IS NOT NULL'):
                n += sum(str(text).count(m) for m in MARKS)
    return n


def purge_owed(db: Database) -> bool:
    return _meta(db, PURGE_META) is not None


def pulled_replacements(db: Database, fresh: bool = False) -> bool:
    """After a sync that read files: did the texts gain replacements since the last count — an
    apply made on another laptop and pulled, which replaced text this database held? Then a
    purge is owed until `purge_replaced` completes. A database that never counted counts from
    none (it may hold a pulled study's originals), unless it is `fresh` (just built)."""
    now, seen = replacements(db), _meta(db, MARKS_META)
    with db.atomic():
        _set_meta(db, MARKS_META, str(now))
        if now > int(seen or 0) and not fresh:
            _set_meta(db, PURGE_META, "1")
    return purge_owed(db)


def purge_replaced(db: Database) -> bool:
    """What `anonymise --apply` does to this database's old text, for text a pulled apply
    replaced: the journal and the index forgotten, then `compact`. False when another
    connection kept the purge from completing; it stays owed (`pulled_replacements`)."""
    with db.atomic():
        _forget_old_text(db)
        _set_meta(db, PURGE_META, "1")
    done = compact(db)
    if done:
        db.execute("DELETE FROM study_meta WHERE key = ?", [PURGE_META])
        db.conn.commit()
    return done


def _rebuild_index(db: Database) -> None:
    """Drop the FTS table (its shadow tables hold old tokens until a merge) and queue every
    segment for re-indexing."""
    db.execute("DROP TABLE IF EXISTS segment_vocab")
    db.execute("DROP TABLE IF EXISTS segment_fts")
    db.execute("CREATE VIRTUAL TABLE segment_fts USING fts5(text, lemmas, "
               "tokenize = 'unicode61 remove_diacritics 2')")  # fmt: skip
    db.execute("CREATE VIRTUAL TABLE segment_vocab USING fts5vocab(segment_fts, 'row')")
    db.execute("INSERT OR IGNORE INTO search_dirty SELECT id FROM segments")


def compact(db: Database) -> bool:
    """Free pages still hold deleted text until VACUUM; the WAL holds old page images until a
    checkpoint. TRUNCATE leaves an empty -wal file. False when another connection (an open
    TUI) kept either from completing: the old pages may still be on disk."""
    db.execute("PRAGMA secure_delete = ON")
    db.conn.commit()
    try:
        db.execute("VACUUM")
    except sqlite3.OperationalError:
        return False
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy


def outside_texts(db: Database) -> list[dict[str, Any]]:
    """The texts outside the transcript a reviewer can add a name in: memos (the study's and
    the codings'), recordings' notes, speaker labels (one per recording and label). `area`
    names the kind, `label` what the text is attached to."""
    memos = db.query(
        "SELECT 'memos' AS area, '' AS recording, coalesce(coder_id, '') || ' · ' || target_type "
        "|| ' ' || target_id AS label, text FROM memos WHERE trim(text) != '' ORDER BY id"
    )
    coding_memos = db.query(
        "SELECT 'memos' AS area, r.key AS recording, c.coder_id || ' · ' || r.key || '#' || s.idx "
        "|| ' ' || c.code_id AS label, c.memo AS text FROM codings c "
        "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE trim(coalesce(c.memo, '')) != '' "
        "ORDER BY c.id")  # fmt: skip
    notes = db.query(
        "SELECT 'notes' AS area, key AS recording, key AS label, notes AS text FROM recordings "
        "WHERE trim(coalesce(notes, '')) != '' ORDER BY key")  # fmt: skip
    labels = db.query(
        "SELECT DISTINCT 'speaker' AS area, r.key AS recording, r.key AS label, s.speaker AS text "
        "FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE trim(coalesce(s.speaker, '')) != '' "
        "ORDER BY r.key, s.speaker")  # fmt: skip
    return [*memos, *coding_memos, *notes, *labels]


def text_places(db: Database) -> dict[str, dict[Any, dict[str, Any]]]:
    """Where each memo, coding memo, ruling's note and transcript's settings stands, for the
    review's listing of the names `--apply` replaces there («memo of anna's coding idi-1#2
    STAFF.CONDUCT»): table → row id (as `rows` gives it) → recording, idx, code, coder,
    target."""
    out: dict[str, dict[Any, dict[str, Any]]] = {"codings": {}, "adjudications": {},
                                                 "memos": {}, "transcripts": {}}  # fmt: skip
    for r in db.query(
        "SELECT c.id AS id, r.key AS recording, s.idx AS idx, c.code_id AS code, "
        "c.coder_id AS coder FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id"
    ):
        out["codings"][r["id"]] = dict(r)
    for r in db.query(
        "SELECT a.rowid AS id, r.key AS recording, s.idx AS idx, a.code_id AS code, "
        "a.decided_by AS coder FROM adjudications a JOIN segments s ON s.id = a.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id"
    ):
        out["adjudications"][r["id"]] = dict(r)
    for r in db.query("SELECT id, target_type, target_id, coder_id AS coder FROM memos"):
        out["memos"][r["id"]] = dict(r)
    for r in db.query(
        "SELECT t.id AS id, r.key AS recording FROM transcripts t "
        "JOIN recordings r ON r.id = t.recording_id"
    ):
        out["transcripts"][r["id"]] = dict(r)
    return out
