"""The schema's steps since team sync (m1215t on): decisions per coder, identities and tombstones that let a union merge of coder layers keep everyone's work. Never edit an applied migration: add a new one at the end of
`store/migrations_team.py` and list it in its `STEPS`."""

from __future__ import annotations

from sqlite_utils import Database

from qualtool.store.migration_script import run_script

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


def m1215t_suggestion_decisions_by_coder(db: Database) -> None:
    """Every coder's decision on a suggestion, one row each (two-laptop scenario, session 14):
    the suggestions row holds one status and one coder, so when anna and boris decided the same
    suggestion on their laptops the pull kept one and the other's layer lost it. The queue row
    still says whether the suggestion is decided (by whom last); triggers keep this table in
    step with it, so deciding, undo and redo (which journal the queue row) need no change. A row
    set back to pending drops its coder's decision and shows another coder's if one is left; a
    row moved to another code (codes merged) takes every coder's decision with it."""
    run_script(
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


def m1216u_codings_written_code(db: Database) -> None:
    """The code a coding's layer file names where the sync placed it under another (a pulled
    coding made with a code merged or renamed here since): undoing that merge gives it its own
    code back, as its author made it, instead of leaving it recoded."""
    run_script(db, "ALTER TABLE codings ADD COLUMN written_code TEXT;")


def m1216t_recording_aliases(db: Database) -> None:
    """The keys a recording had before a `qualtool rename` (here or pulled), as hashes: a
    colleague's work made under the old key meanwhile (a coder layer, speakers.yml, the review's
    decisions) is carried to the new one when it arrives. Hashed, so a key made from a person's
    name that `anonymise --apply` renamed is not kept in the database's bytes."""
    run_script(
        db,
        """
        CREATE TABLE recording_aliases (
            digest TEXT PRIMARY KEY,
            recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE
        );
        """,
    )


def m1217a_codings_origin(db: Database) -> None:
    """Where each coding was first written, [segment, start, end, code]: its identity in its
    coder's layer file (`files.layer_format.origin`), kept when it is re-anchored or recoded,
    so a union merge of its moved line and its deletion or change is one coding, not two."""
    run_script(
        db,
        """
        ALTER TABLE codings ADD COLUMN origin TEXT;
        UPDATE codings SET origin = json_array(
            (SELECT idx FROM segments s WHERE s.id = codings.segment_id), start, "end", code_id);
        """,
    )


def m1217b_conflict_source(db: Database) -> None:
    """A conflict that is a study file's content (a speakers.yml label two coders corrected
    differently) names that file and what it is about (`source`, `ref`): the sync that reads the
    file again drops the ones it no longer holds — settled on any laptop — where they stayed
    listed until `conflicts --resolve`. The ones found before are that file's by their text."""
    run_script(
        db,
        """
        ALTER TABLE sync_conflicts ADD COLUMN source TEXT;
        ALTER TABLE sync_conflicts ADD COLUMN ref TEXT;
        UPDATE sync_conflicts SET source = 'speakers.yml' WHERE description LIKE 'speakers.yml: %';
        """,
    )


def m1217d_suggestion_decisions_origin(db: Database) -> None:
    """The segment index where each suggestion decision was first made: its identity in its
    coder's layer file, kept when a split or merge renumbers its line, so a union merge of
    the moved line and the decision's withdrawal (a tombstone) is one decision. A decision
    made from now on takes its segment's index as it is made (the trigger)."""
    run_script(
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


def m1218t_codings_origin_index(db: Database) -> None:
    """A new coding's origin is checked against the ones its coder already has in that
    transcript (`store.codings._origin`): looked up by (coder, origin) through this index, one
    step per coding, where every origin of the transcript was read for each — a large QDPX
    import felt it."""
    run_script(db, "CREATE INDEX codings_coder_origin ON codings(coder_id, origin);")


def m1218t_suggestion_decisions_withdrawn(db: Database) -> None:
    """Where each withdrawn suggestion decision was first made (its `origin`), per segment row,
    code and coder: the decision made again — after a split or merge renumbered its segment —
    takes that identity back instead of its segment's index now, so its line replaces the
    tombstone its undo left in the coder's layer (one line, not a dead line beside a live
    one). Indices only, no words; a row whose segment is gone is not kept."""
    run_script(
        db,
        """
        CREATE TABLE suggestion_withdrawn (
            segment_id INTEGER NOT NULL,
            code_id TEXT NOT NULL,
            coder_id TEXT NOT NULL,
            origin INTEGER NOT NULL,
            PRIMARY KEY (segment_id, code_id, coder_id)
        );
        CREATE TRIGGER suggestion_withdrawn_ad AFTER DELETE ON suggestion_decisions
        WHEN old.origin IS NOT NULL AND EXISTS (SELECT 1 FROM segments WHERE id = old.segment_id)
        BEGIN
            INSERT OR REPLACE INTO suggestion_withdrawn (segment_id, code_id, coder_id, origin)
            VALUES (old.segment_id, old.code_id, old.coder_id, old.origin);
        END;
        CREATE TRIGGER suggestion_withdrawn_segment_ad AFTER DELETE ON segments BEGIN
            DELETE FROM suggestion_withdrawn WHERE segment_id = old.id;
        END;
        CREATE TRIGGER suggestion_withdrawn_moved_au AFTER UPDATE OF segment_id, code_id
        ON suggestions WHEN old.segment_id != new.segment_id OR old.code_id != new.code_id BEGIN
            UPDATE OR REPLACE suggestion_withdrawn SET segment_id = new.segment_id,
                code_id = new.code_id
            WHERE segment_id = old.segment_id AND code_id = old.code_id;
        END;
        DROP TRIGGER suggestion_decisions_origin_ai;
        CREATE TRIGGER suggestion_decisions_origin_ai AFTER INSERT ON suggestion_decisions
        WHEN new.origin IS NULL BEGIN
            UPDATE suggestion_decisions SET origin = coalesce(
                (SELECT w.origin FROM suggestion_withdrawn w WHERE w.segment_id = new.segment_id
                    AND w.code_id = new.code_id AND w.coder_id = new.coder_id),
                (SELECT idx FROM segments s WHERE s.id = new.segment_id))
            WHERE segment_id = new.segment_id AND code_id = new.code_id
                AND coder_id = new.coder_id;
            DELETE FROM suggestion_withdrawn WHERE segment_id = new.segment_id
                AND code_id = new.code_id AND coder_id = new.coder_id;
        END;
        """,
    )


def m1218t_codings_withdrawn(db: Database) -> None:
    """Where each deleted coding was first written (its `origin`), per segment row, coder, code
    and span: the same coding made again — after a split or merge renumbered its segment, an
    accepted suggestion undone and accepted again — takes that identity back, so its line
    replaces the tombstone its deletion left instead of standing beside it. Indices and a code
    only, no words; a row whose segment is gone is not kept. An undo deletes a row it parked
    first (`journal._park`: its span moved by 10⁹), hence the modulo."""
    run_script(
        db,
        """
        CREATE TABLE codings_withdrawn (
            segment_id INTEGER NOT NULL,
            coder_id TEXT NOT NULL,
            code_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            origin TEXT NOT NULL,
            PRIMARY KEY (segment_id, coder_id, code_id, start, "end")
        );
        CREATE TRIGGER codings_withdrawn_ad AFTER DELETE ON codings
        WHEN old.origin IS NOT NULL AND EXISTS (SELECT 1 FROM segments WHERE id = old.segment_id)
        BEGIN
            INSERT OR REPLACE INTO codings_withdrawn (segment_id, coder_id, code_id, start, "end",
                                                      origin)
            VALUES (old.segment_id, old.coder_id, old.code_id, old.start % 1000000000,
                    old."end" % 1000000000, old.origin);
        END;
        CREATE TRIGGER codings_withdrawn_segment_ad AFTER DELETE ON segments BEGIN
            DELETE FROM codings_withdrawn WHERE segment_id = old.id;
        END;
        """,
    )


STEPS = (
    m1215t_suggestion_decisions_by_coder,
    m1216u_codings_written_code,
    m1216t_recording_aliases,
    m1217a_codings_origin,
    m1217b_conflict_source,
    m1217d_suggestion_decisions_origin,
    m1218t_codings_origin_index,
    m1218t_suggestion_decisions_withdrawn,
    m1218t_codings_withdrawn,
)
