"""Read-side queries for comparing coders' layers and recording consensus decisions."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from qualtool.store.db import now

CONSENSUS = "consensus"


def coded_transcripts(db: Database, coders: list[str]) -> dict[int, set[str]]:
    """transcript id -> which of `coders` coded anything in it."""
    out: dict[int, set[str]] = {}
    marks = ", ".join("?" * len(coders))
    for r in db.query(
        "SELECT DISTINCT s.transcript_id AS t, c.coder_id AS coder FROM codings c "
        f"JOIN segments s ON s.id = c.segment_id WHERE c.coder_id IN ({marks})",
        coders,
    ):
        out.setdefault(r["t"], set()).add(r["coder"])
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


def coder_spans(db: Database, segment_id: int, code_id: str) -> list[tuple[int, int]]:
    """The coders' (not consensus) spans of one code in one segment."""
    return [(r[0], r[1]) for r in db.execute(
        'SELECT start, "end" FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id != ?',
        [segment_id, code_id, CONSENSUS])]  # fmt: skip


def count_codings(db: Database, coder: str) -> int:
    return int(db.execute("SELECT count(*) FROM codings WHERE coder_id = ?", [coder]).fetchone()[0])
