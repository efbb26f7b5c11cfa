"""Read-side queries for comparing coders' layers and recording consensus decisions."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from qualtool.store.db import now

CONSENSUS = "consensus"


def coded_stretches(db: Database, coders: list[str]) -> dict[int, dict[str, tuple[int, int]]]:
    """transcript id -> coder -> (first, last) index of the segments they coded there."""
    out: dict[int, dict[str, tuple[int, int]]] = {}
    marks = ", ".join("?" * len(coders))
    for r in db.query(
        "SELECT s.transcript_id AS t, c.coder_id AS coder, min(s.idx) AS first, "
        "max(s.idx) AS last FROM codings c JOIN segments s ON s.id = c.segment_id "
        f"WHERE c.coder_id IN ({marks}) GROUP BY s.transcript_id, c.coder_id",
        coders,
    ):
        out.setdefault(r["t"], {})[r["coder"]] = (r["first"], r["last"])
    return out


def segments_of(db: Database, transcript_ids: list[int]) -> list[dict[str, Any]]:
    marks = ", ".join("?" * len(transcript_ids))
    return list(
        db.query(
            "SELECT s.id, s.idx, s.text, s.transcript_id, r.key AS recording FROM segments s "
            "JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id "
            f"WHERE s.transcript_id IN ({marks}) ORDER BY r.key, s.idx",
            transcript_ids,
        )
    )


def spans_of(db: Database, transcript_ids: list[int], coders: list[str]) -> list[dict[str, Any]]:
    tm = ", ".join("?" * len(transcript_ids))
    cm = ", ".join("?" * len(coders))
    return list(
        db.query(
            'SELECT c.id, c.segment_id, c.code_id, c.coder_id, c.start, c."end", c.quote '
            "FROM codings c JOIN segments s ON s.id = c.segment_id "
            f"WHERE s.transcript_id IN ({tm}) AND c.coder_id IN ({cm})",
            [*transcript_ids, *coders],
        )
    )


def settled(db: Database) -> set[tuple[int, str]]:
    """(segment, code) pairs the team has decided: in the consensus layer, or ruled out."""
    rows = db.execute(
        "SELECT segment_id, code_id FROM codings WHERE coder_id = ? "
        "UNION SELECT segment_id, code_id FROM adjudications",
        [CONSENSUS],
    )
    return {(r[0], r[1]) for r in rows}


def rule_out(db: Database, segment_id: int, code_id: str, by: str, note: str | None) -> int:
    """Record that `code_id` does not apply here; returns the row's rowid (for the journal)."""
    db.execute(
        "INSERT INTO adjudications (segment_id, code_id, decision, decided_by, note, decided_at) "
        "VALUES (?, ?, 'absent', ?, ?, ?) ON CONFLICT (segment_id, code_id) DO UPDATE SET "
        "decision = 'absent', decided_by = excluded.decided_by, note = excluded.note",
        [segment_id, code_id, by, note, now(db)],
    )
    row = db.execute("SELECT rowid FROM adjudications WHERE segment_id = ? AND code_id = ?",
                     [segment_id, code_id]).fetchone()  # fmt: skip
    return int(row[0])


# --- the rows behind codings/<coder>.json (see workspace/layers.py) ---------------------------

_CODING_ROWS = (
    'SELECT c.id, c.code_id, c.start, c."end", c.quote, c.memo, c.provenance, c.key_quote, '
    "c.origin, s.idx, s.text AS segment_text, r.key, r.checksum FROM codings c "
    "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id "
    "JOIN recordings r ON r.id = t.recording_id WHERE c.coder_id = ? "
    "ORDER BY r.key, s.idx, c.start, c.code_id"
)


def coding_rows(db: Database, coder: str) -> list[dict[str, Any]]:
    return list(db.query(_CODING_ROWS, [coder]))


def absent_rows(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT a.segment_id, a.code_id, a.decided_by, a.note, s.idx, r.key FROM adjudications a "
        "JOIN segments s ON s.id = a.segment_id JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE a.decision = 'absent'"))  # fmt: skip


def decided_suggestions(db: Database) -> list[dict[str, Any]]:
    """Every coder's decisions (one row per coder: two can decide one suggestion), coder_id ''
    for a decision an older release stored without one."""
    return list(db.query(
        'SELECT g.segment_id, g.code_id, g.start, g."end", g.quote, g.score, g.reason, g.status, '
        "g.coder_id, g.origin, s.idx, r.key FROM suggestion_decisions g "
        "JOIN segments s ON s.id = g.segment_id JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id"))  # fmt: skip


def layer_coders(db: Database) -> set[str]:
    """Everyone with a decision in the database (adjudications belong to the consensus layer)."""
    rows = db.execute(
        "SELECT coder_id FROM codings UNION SELECT coder_id FROM memos WHERE coder_id IS NOT NULL "
        "UNION SELECT coder_id FROM suggestion_decisions WHERE coder_id != ''"
    )
    out = {str(r[0]) for r in rows}
    if db.execute("SELECT 1 FROM adjudications LIMIT 1").fetchone():
        out.add(CONSENSUS)
    return out


def segment_index(db: Database, recording: str) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT s.id, s.idx, s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? ORDER BY s.idx", [recording]))  # fmt: skip


def delete_codings(db: Database, ids: list[int]) -> None:
    with db.atomic():
        for cid in ids:
            db.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", [cid])
            db.execute("DELETE FROM codings WHERE id = ?", [cid])


def update_coding(db: Database, coding_id: int, memo: str | None, key_quote: bool,
                  provenance: str) -> None:  # fmt: skip
    with db.atomic():
        db.execute("UPDATE codings SET memo = ?, key_quote = ?, provenance = ? WHERE id = ?",
                   [memo, int(key_quote), provenance, coding_id])  # fmt: skip


def set_absent(
    db: Database, segment_id: int, code_id: str, by: str | None, note: str | None
) -> None:
    with db.atomic():
        rule_out(db, segment_id, code_id, by or CONSENSUS, note)


def remove_absent(db: Database, segment_id: int, code_id: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM adjudications WHERE segment_id = ? AND code_id = ?",
                   [segment_id, code_id])  # fmt: skip


def restore_decision(db: Database, segment_id: int, rec: dict[str, Any], coder: str) -> None:
    """A decision read from a layer file: this coder's decision row, and the suggestion comes
    back decided, never re-proposed. A suggestion another coder decided keeps showing theirs:
    each coder's decision stays in their own row (`suggestion_decisions`). `rec["origin"]`:
    the segment index where it was first made (its identity in the layer file)."""
    args = [segment_id, rec["code"], rec["start"], rec["end"], rec["quote"],
            rec.get("score", 0.0), rec.get("reason", ""), rec["status"], coder, now(db)]  # fmt: skip
    with db.atomic():
        db.execute(
            'INSERT INTO suggestion_decisions (segment_id, code_id, start, "end", quote, score, '
            "reason, status, coder_id, decided_at, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (segment_id, code_id, coder_id) DO UPDATE SET status = excluded.status, "
            "origin = excluded.origin, "
            'start = excluded.start, "end" = excluded."end", quote = excluded.quote, '
            "score = excluded.score, reason = excluded.reason, decided_at = excluded.decided_at",
            [*args, rec.get("origin")],
        )
        db.execute(
            'INSERT INTO suggestions (segment_id, code_id, start, "end", quote, score, reason, '
            "status, coder_id, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (segment_id, code_id) DO UPDATE SET status = excluded.status, "
            'coder_id = excluded.coder_id, start = excluded.start, "end" = excluded."end", '
            "quote = excluded.quote, decided_at = excluded.decided_at "
            "WHERE suggestions.status = 'pending' OR suggestions.coder_id IS excluded.coder_id",
            args,
        )  # fmt: skip


def undecide(db: Database, segment_id: int, code_id: str, coder: str) -> None:
    """One coder's decision gone (`coder` '' for one stored without a coder). The suggestion
    goes back to pending only when it showed this coder's decision and no other coder's is left
    (the trigger of m1215t shows the other's instead)."""
    with db.atomic():
        db.execute("DELETE FROM suggestion_decisions WHERE segment_id = ? AND code_id = ? "
                   "AND coder_id = ?", [segment_id, code_id, coder])  # fmt: skip
        db.execute("UPDATE suggestions SET status = 'pending', coder_id = NULL, coding_id = NULL, "
                   "decided_at = NULL WHERE segment_id = ? AND code_id = ? "
                   "AND coalesce(coder_id, '') = ?", [segment_id, code_id, coder])  # fmt: skip


def coder_spans(db: Database, segment_id: int, code_id: str) -> list[tuple[int, int]]:
    """The coders' (not consensus) spans of one code in one segment."""
    return [(r[0], r[1]) for r in db.execute(
        'SELECT start, "end" FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id != ?',
        [segment_id, code_id, CONSENSUS])]  # fmt: skip


def count_codings(db: Database, coder: str) -> int:
    return int(db.execute("SELECT count(*) FROM codings WHERE coder_id = ?", [coder]).fetchone()[0])
