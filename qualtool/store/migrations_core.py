"""The schema's first steps (m001–m901): the tables a study has had since the first releases. Never edit an applied migration: add a new one at the end of
`store/migrations_team.py` and list it in its `STEPS`."""

from __future__ import annotations

from sqlite_utils import Database

from qualtool.store.migration_script import run_script


def m001_core(db: Database) -> None:
    run_script(
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


def m002_search_suggestions(db: Database) -> None:
    """Full-text index (raw + lemmatised text; lemmas are computed in Python, so triggers only
    mark segments dirty and `store.search_index.refresh` re-indexes them), the auto-coding
    review queue, and consistent pseudonyms for anonymisation."""
    run_script(
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


def m003_adjudications(db: Database) -> None:
    """Consensus decisions that a code does NOT apply (a positive decision is a coding in the
    "consensus" layer), so a settled disagreement is not offered again."""
    run_script(
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


def m004_journal(db: Database) -> None:
    """Undo: before-images of the rows each user action changed (see store/journal.py)."""
    run_script(
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


def m101_file_state(db: Database) -> None:
    """What each study file held when the database last read or wrote it (content hash, and for
    coder layers the records both agreed on), so a file changed on disk — a `git pull` — is
    re-read before anything is written from the database."""
    run_script(
        db,
        """
        CREATE TABLE file_state (
            path TEXT PRIMARY KEY,
            sha TEXT NOT NULL,
            base TEXT
        );
        """,
    )


def m102_sync_conflicts(db: Database) -> None:
    """Records changed both on disk and here, kept both ways: the list a team resolves."""
    run_script(
        db,
        """
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            description TEXT NOT NULL UNIQUE,
            found_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    )


def m201_keyed_pseudonyms(db: Database) -> None:
    """Pseudonyms were unsalted SHA-256 of the name (reversed by brute force in seconds); the
    numbering now lives in the encrypted vault under a keyed HMAC."""
    run_script(db, "DROP TABLE IF EXISTS pseudonyms;")


def m401_journal_redo(db: Database) -> None:
    """Redo: an undone action stays in the journal (marked) until a new action replaces it."""
    run_script(db, "ALTER TABLE journal ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;")


def m501_suggestion_base_score(db: Database) -> None:
    """Each suggestion's score before its code's learned offset: what per-code calibration
    compares the team's decisions against (issue #16)."""
    run_script(db, "ALTER TABLE suggestions ADD COLUMN base_score REAL;")


def m701_segment_word_offsets(db: Database) -> None:
    """Where each indexed word sits in its segment, beside the lemma text: search highlights the
    page of hits from these instead of tokenising every hit again (issue #15: search within 2×
    raw FTS5). Every segment is queued so the next refresh fills the table."""
    run_script(
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


def m801_suggestion_ids_never_reused(db: Database) -> None:
    """Suggestion ids are never handed out twice (AUTOINCREMENT): the undo history names the
    rows an action touched by id, and a run that reused the id of a suggestion dropped with a
    deleted code made the deletion impossible to undo (found in a walkthrough)."""
    run_script(
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


def m901_code_keywords_kk(db: Database) -> None:
    """Each code's Kazakh keywords (a JSON list, like `keywords`): Kazakh turns are matched
    against them, the Russian keywords alone found almost nothing in them."""
    run_script(db, "ALTER TABLE codes ADD COLUMN keywords_kk TEXT NOT NULL DEFAULT '[]';")


STEPS = (
    m001_core,
    m002_search_suggestions,
    m003_adjudications,
    m004_journal,
    m101_file_state,
    m102_sync_conflicts,
    m201_keyed_pseudonyms,
    m401_journal_redo,
    m501_suggestion_base_score,
    m701_segment_word_offsets,
    m801_suggestion_ids_never_reused,
    m901_code_keywords_kk,
)
