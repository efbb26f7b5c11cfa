"""Versioned schema. Never edit an applied migration: add a new one."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("qualtool")


def _run(db: Database, script: str) -> None:
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


@migrations()
def m001_core(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            pseudonym TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL DEFAULT 'recipient',
            gender TEXT,
            age_band TEXT,
            region TEXT,
            attributes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            checksum TEXT NOT NULL UNIQUE,
            duration REAL NOT NULL,
            format TEXT NOT NULL,
            method TEXT NOT NULL DEFAULT 'interview',
            service TEXT,
            region TEXT,
            language TEXT NOT NULL DEFAULT 'auto',
            date TEXT,
            interviewer TEXT,
            consent INTEGER NOT NULL DEFAULT 0,
            notes TEXT,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE recording_participants (
            recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE RESTRICT,
            speaker_label TEXT,
            PRIMARY KEY (recording_id, participant_id)
        );
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            recording_id INTEGER NOT NULL UNIQUE REFERENCES recordings(id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'pending',
            language TEXT,
            model TEXT,
            settings TEXT NOT NULL DEFAULT '{}',
            duration REAL,
            progress REAL NOT NULL DEFAULT 0,
            error TEXT,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start REAL NOT NULL,
            "end" REAL NOT NULL,
            speaker TEXT,
            text TEXT NOT NULL,
            words TEXT NOT NULL DEFAULT '[]',
            avg_logprob REAL,
            no_speech_prob REAL,
            compression_ratio REAL,
            flags TEXT NOT NULL DEFAULT '[]',
            UNIQUE (transcript_id, idx)
        );
        CREATE TABLE codes (
            id TEXT PRIMARY KEY,
            parent_id TEXT REFERENCES codes(id) DEFERRABLE INITIALLY DEFERRED,
            label_ru TEXT NOT NULL,
            label_en TEXT,
            definition TEXT,
            inclusion TEXT,
            exclusion TEXT,
            examples TEXT NOT NULL DEFAULT '[]',
            keywords TEXT NOT NULL DEFAULT '[]',
            color TEXT,
            polarity TEXT NOT NULL DEFAULT 'negative',
            barrier_type TEXT NOT NULL DEFAULT 'administrative',
            sort INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE code_aliases (
            old_id TEXT PRIMARY KEY,
            code_id TEXT NOT NULL REFERENCES codes(id)
        );
        CREATE TABLE coders (
            id TEXT PRIMARY KEY,
            name TEXT,
            created_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE RESTRICT,
            code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
            coder_id TEXT NOT NULL REFERENCES coders(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            memo TEXT,
            provenance TEXT NOT NULL DEFAULT 'manual',
            key_quote INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT NOT NULL DEFAULT (datetime('now')),
            CHECK (start >= 0 AND "end" > start),
            UNIQUE (segment_id, code_id, coder_id, start, "end")
        );
        CREATE INDEX codings_code ON codings(code_id);
        CREATE INDEX codings_segment ON codings(segment_id);
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL,
            coder_id TEXT,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE INDEX memos_target ON memos(target_type, target_id);
        """,
    )


# The suggestion's columns after its id, as m002 created the table; m801 rebuilds it with the
# same ones (and m501's base_score). One text for both, byte for byte what each migration ran.
_SUGGESTION_COLUMNS = """\
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            score REAL NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            coder_id TEXT,
            coding_id INTEGER REFERENCES codings(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            decided_at TEXT,"""


@migrations()
def m002_search_suggestions(db: Database) -> None:
    """Full-text index (raw + lemmatised text; lemmas are computed in Python, so triggers only
    mark segments dirty and `store.search_index.refresh` re-indexes them), the auto-coding
    review queue, and consistent pseudonyms for anonymisation."""
    _run(
        db,
        f"""
        CREATE VIRTUAL TABLE segment_fts USING fts5(
            text, lemmas, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE segment_vocab USING fts5vocab(segment_fts, 'row');
        CREATE TABLE search_dirty (segment_id INTEGER PRIMARY KEY);
        INSERT INTO search_dirty SELECT id FROM segments;
        CREATE TRIGGER segments_fts_ai AFTER INSERT ON segments BEGIN
            INSERT OR IGNORE INTO search_dirty VALUES (new.id);
        END;
        CREATE TRIGGER segments_fts_au AFTER UPDATE OF text ON segments BEGIN
            INSERT OR IGNORE INTO search_dirty VALUES (new.id);
        END;
        CREATE TRIGGER segments_fts_ad AFTER DELETE ON segments BEGIN
            DELETE FROM segment_fts WHERE rowid = old.id;
            DELETE FROM search_dirty WHERE segment_id = old.id;
        END;
        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
{_SUGGESTION_COLUMNS}
            UNIQUE (segment_id, code_id)
        );
        CREATE INDEX suggestions_status ON suggestions(status, score);
        CREATE TABLE pseudonyms (
            kind TEXT NOT NULL,
            original TEXT NOT NULL,
            replacement TEXT NOT NULL,
            PRIMARY KEY (kind, original)
        );
        CREATE TABLE study_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO study_meta VALUES ('uuid', lower(hex(randomblob(16))));
        INSERT INTO study_meta VALUES ('index_gen', 0);
        """,
    )


@migrations()
def m003_adjudications(db: Database) -> None:
    """Consensus decisions that a code does NOT apply (a positive decision is a coding in the
    "consensus" layer), so a settled disagreement is not offered again."""
    _run(
        db,
        """
        CREATE TABLE adjudications (
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
            decision TEXT NOT NULL,
            decided_by TEXT,
            note TEXT,
            decided_at TEXT NOT NULL DEFAULT (datetime('now')),
            PRIMARY KEY (segment_id, code_id)
        );
        """,
    )


@migrations()
def m004_journal(db: Database) -> None:
    """Undo: before-images of the rows each user action changed (see store/journal.py)."""
    _run(
        db,
        """
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            transcript_id INTEGER,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    )


@migrations()
def m101_file_state(db: Database) -> None:
    """What each study file held when the database last read or wrote it (content hash, and for
    coder layers the records both agreed on), so a file changed on disk — a `git pull` — is
    re-read before anything is written from the database."""
    _run(
        db,
        """
        CREATE TABLE file_state (
            path TEXT PRIMARY KEY,
            sha TEXT NOT NULL,
            base TEXT
        );
        """,
    )


@migrations()
def m102_sync_conflicts(db: Database) -> None:
    """Records changed both on disk and here, kept both ways: the list a team resolves."""
    _run(
        db,
        """
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            description TEXT NOT NULL UNIQUE,
            found_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    )


@migrations()
def m201_keyed_pseudonyms(db: Database) -> None:
    """Pseudonyms were unsalted SHA-256 of the name (reversed by brute force in seconds); the
    numbering now lives in the encrypted vault under a keyed HMAC."""
    _run(db, "DROP TABLE IF EXISTS pseudonyms;")


@migrations()
def m401_journal_redo(db: Database) -> None:
    """Redo: an undone action stays in the journal (marked) until a new action replaces it."""
    _run(db, "ALTER TABLE journal ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;")


@migrations()
def m501_suggestion_base_score(db: Database) -> None:
    """Each suggestion's score before its code's learned offset: what per-code calibration
    compares the team's decisions against (issue #16)."""
    _run(db, "ALTER TABLE suggestions ADD COLUMN base_score REAL;")


@migrations()
def m701_segment_word_offsets(db: Database) -> None:
    """Where each indexed word sits in its segment, beside the lemma text: search highlights the
    page of hits from these instead of tokenising every hit again (issue #15: search within 2×
    raw FTS5). Every segment is queued so the next refresh fills the table."""
    _run(
        db,
        """
        CREATE TABLE segment_words (
            segment_id INTEGER PRIMARY KEY,
            offsets BLOB NOT NULL
        );
        CREATE TRIGGER segments_words_ad AFTER DELETE ON segments BEGIN
            DELETE FROM segment_words WHERE segment_id = old.id;
        END;
        INSERT OR IGNORE INTO search_dirty SELECT id FROM segments;
        """,
    )


@migrations()
def m801_suggestion_ids_never_reused(db: Database) -> None:
    """Suggestion ids are never handed out twice (AUTOINCREMENT): the undo history names the
    rows an action touched by id, and a run that reused the id of a suggestion dropped with a
    deleted code made the deletion impossible to undo (found in a walkthrough)."""
    _run(
        db,
        f"""
        CREATE TABLE suggestions_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
{_SUGGESTION_COLUMNS}
            base_score REAL,
            UNIQUE (segment_id, code_id)
        );
        INSERT INTO suggestions_new (id, segment_id, code_id, start, "end", quote, score, reason,
                                     status, coder_id, coding_id, created_at, decided_at,
                                     base_score)
            SELECT id, segment_id, code_id, start, "end", quote, score, reason, status, coder_id,
                   coding_id, created_at, decided_at, base_score FROM suggestions;
        DROP TABLE suggestions;
        ALTER TABLE suggestions_new RENAME TO suggestions;
        CREATE INDEX suggestions_status ON suggestions(status, score);
        """,
    )


@migrations()
def m901_code_keywords_kk(db: Database) -> None:
    """Each code's Kazakh keywords (a JSON list, like `keywords`): Kazakh turns are matched
    against them, the Russian keywords alone found almost nothing in them."""
    _run(db, "ALTER TABLE codes ADD COLUMN keywords_kk TEXT NOT NULL DEFAULT '[]';")


# a decision row from a suggestions row (`r`: new or the row read back), upserted; score and
# reason are kept when the decision is there already (read from a layer file, they are the file's)
_DECISION_UPSERT = """
            INSERT INTO suggestion_decisions (segment_id, code_id, coder_id, status, start,
                                              "end", quote, score, reason, decided_at)
            VALUES (new.segment_id, new.code_id, coalesce(new.coder_id, ''), new.status,
                    new.start, new."end", new.quote, new.score, new.reason, new.decided_at)
            ON CONFLICT (segment_id, code_id, coder_id) DO UPDATE SET status = excluded.status,
                start = excluded.start, "end" = excluded."end", quote = excluded.quote,
                decided_at = excluded.decided_at;"""


@migrations()
def m1215t_suggestion_decisions_by_coder(db: Database) -> None:
    """Every coder's decision on a suggestion, one row each (two-laptop scenario, session 14):
    the suggestions row holds one status and one coder, so when anna and boris decided the same
    suggestion on their laptops the pull kept one and the other's layer lost it. The queue row
    still says whether the suggestion is decided (by whom last); triggers keep this table in
    step with it, so deciding, undo and redo (which journal the queue row) need no change. A row
    set back to pending drops its coder's decision and shows another coder's if one is left; a
    row moved to another code (codes merged) takes every coder's decision with it."""
    _run(
        db,
        f"""
        CREATE TABLE suggestion_decisions (
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE CASCADE,
            coder_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT '',
            decided_at TEXT,
            PRIMARY KEY (segment_id, code_id, coder_id)
        );
        INSERT INTO suggestion_decisions (segment_id, code_id, coder_id, status, start, "end",
                                          quote, score, reason, decided_at)
            SELECT segment_id, code_id, coalesce(coder_id, ''), status, start, "end", quote,
                   score, reason, decided_at FROM suggestions WHERE status != 'pending';
        CREATE TRIGGER suggestions_decided_ai AFTER INSERT ON suggestions
        WHEN new.status != 'pending' BEGIN {_DECISION_UPSERT}
        END;
        CREATE TRIGGER suggestions_decided_au AFTER UPDATE ON suggestions
        WHEN new.status != 'pending' BEGIN {_DECISION_UPSERT}
        END;
        CREATE TRIGGER suggestions_undecided_au AFTER UPDATE ON suggestions
        WHEN new.status = 'pending' AND old.status != 'pending' BEGIN
            DELETE FROM suggestion_decisions WHERE segment_id = old.segment_id
                AND code_id = old.code_id AND coder_id = coalesce(old.coder_id, '');
            UPDATE suggestions SET (status, coder_id, start, "end", quote, decided_at) = (
                SELECT d.status, nullif(d.coder_id, ''), d.start, d."end", d.quote, d.decided_at
                FROM suggestion_decisions d WHERE d.segment_id = new.segment_id
                AND d.code_id = new.code_id ORDER BY d.decided_at DESC, d.coder_id LIMIT 1)
            WHERE id = new.id AND EXISTS (SELECT 1 FROM suggestion_decisions d
                WHERE d.segment_id = new.segment_id AND d.code_id = new.code_id);
        END;
        CREATE TRIGGER suggestions_moved_au AFTER UPDATE OF segment_id, code_id ON suggestions
        WHEN old.segment_id != new.segment_id OR old.code_id != new.code_id BEGIN
            UPDATE OR REPLACE suggestion_decisions SET segment_id = new.segment_id,
                code_id = new.code_id
            WHERE segment_id = old.segment_id AND code_id = old.code_id;
        END;
        CREATE TRIGGER suggestions_decided_ad AFTER DELETE ON suggestions BEGIN
            DELETE FROM suggestion_decisions WHERE segment_id = old.segment_id
                AND code_id = old.code_id;
        END;
        """,
    )


@migrations()
def m1216u_codings_written_code(db: Database) -> None:
    """The code a coding's layer file names where the sync placed it under another (a pulled
    coding made with a code merged or renamed here since): undoing that merge gives it its own
    code back, as its author made it, instead of leaving it recoded."""
    _run(db, "ALTER TABLE codings ADD COLUMN written_code TEXT;")


@migrations()
def m1216t_recording_aliases(db: Database) -> None:
    """The keys a recording had before a `qualtool rename` (here or pulled), as hashes: a
    colleague's work made under the old key meanwhile (a coder layer, speakers.yml, the review's
    decisions) is carried to the new one when it arrives. Hashed, so a key made from a person's
    name that `anonymise --apply` renamed is not kept in the database's bytes."""
    _run(
        db,
        """
        CREATE TABLE recording_aliases (
            digest TEXT PRIMARY KEY,
            recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE
        );
        """,
    )


@migrations()
def m1217a_codings_origin(db: Database) -> None:
    """Where each coding was first written, [segment, start, end, code]: its identity in its
    coder's layer file (`files.layer_format.origin`), kept when it is re-anchored or recoded,
    so a union merge of its moved line and its deletion or change is one coding, not two."""
    _run(
        db,
        """
        ALTER TABLE codings ADD COLUMN origin TEXT;
        UPDATE codings SET origin = json_array(
            (SELECT idx FROM segments s WHERE s.id = codings.segment_id), start, "end", code_id);
        """,
    )


@migrations()
def m1217b_conflict_source(db: Database) -> None:
    """A conflict that is a study file's content (a speakers.yml label two coders corrected
    differently) names that file and what it is about (`source`, `ref`): the sync that reads the
    file again drops the ones it no longer holds — settled on any laptop — where they stayed
    listed until `conflicts --resolve`. The ones found before are that file's by their text."""
    _run(
        db,
        """
        ALTER TABLE sync_conflicts ADD COLUMN source TEXT;
        ALTER TABLE sync_conflicts ADD COLUMN ref TEXT;
        UPDATE sync_conflicts SET source = 'speakers.yml' WHERE description LIKE 'speakers.yml: %';
        """,
    )


@migrations()
def m1217d_suggestion_decisions_origin(db: Database) -> None:
    """The segment index where each suggestion decision was first made: its identity in its
    coder's layer file, kept when a split or merge renumbers its line, so a union merge of
    the moved line and the decision's withdrawal (a tombstone) is one decision. A decision
    made from now on takes its segment's index as it is made (the trigger)."""
    _run(
        db,
        """
        ALTER TABLE suggestion_decisions ADD COLUMN origin INTEGER;
        UPDATE suggestion_decisions SET origin = (
            SELECT idx FROM segments s WHERE s.id = suggestion_decisions.segment_id);
        CREATE TRIGGER suggestion_decisions_origin_ai AFTER INSERT ON suggestion_decisions
        WHEN new.origin IS NULL BEGIN
            UPDATE suggestion_decisions SET origin = (
                SELECT idx FROM segments s WHERE s.id = new.segment_id)
            WHERE segment_id = new.segment_id AND code_id = new.code_id
                AND coder_id = new.coder_id;
        END;
        """,
    )
