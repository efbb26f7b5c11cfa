"""The auto-coding review queue. A decided suggestion (accepted/rejected) is never re-proposed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Proposal
from qualtool.domain.errors import NotFound
from qualtool.store.db import now

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


@dataclass(frozen=True, slots=True)
class Suggestion(Proposal):
    """A stored proposal in the review queue."""

    id: int = 0
    status: str = PENDING
    recording: str = ""
    text: str = ""  # the whole segment, for context and span edits


def _suggestion(r: dict[str, Any]) -> Suggestion:
    names = (*Proposal.__dataclass_fields__, "id", "status", "recording", "text")
    return Suggestion(**{n: r[n] for n in names})


_SELECT = """
    SELECT g.*, r.key AS recording, s.text FROM suggestions g
    JOIN segments s ON s.id = g.segment_id
    JOIN transcripts t ON t.id = s.transcript_id
    JOIN recordings r ON r.id = t.recording_id
"""


def propose(db: Database, rows: list[dict[str, Any]]) -> int:
    """Add or refresh pending suggestions; decided ones and already-coded spans are left alone."""
    before = db.execute("SELECT total_changes()").fetchone()[0]
    with db.conn:
        db.conn.executemany(
            'INSERT INTO suggestions (segment_id, code_id, start, "end", quote, score, reason) '
            "VALUES (:segment_id, :code_id, :start, :end, :quote, :score, :reason) "
            "ON CONFLICT (segment_id, code_id) DO UPDATE SET start = excluded.start, "
            '"end" = excluded."end", quote = excluded.quote, score = excluded.score, '
            "reason = excluded.reason WHERE suggestions.status = 'pending'",
            rows,
        )
    return int(db.execute("SELECT total_changes()").fetchone()[0] - before)


def queue(
    db: Database,
    status: str = PENDING,
    code: str | None = None,
    recording: str | None = None,
    min_score: float = 0.0,
    limit: int = 1000,
) -> list[Suggestion]:
    sql = _SELECT + " WHERE g.status = ? AND g.score >= ?"
    args: list[Any] = [status, min_score]
    if code:
        sql += " AND g.code_id = ?"
        args.append(code)
    if recording:
        sql += " AND r.key = ?"
        args.append(recording)
    sql += " ORDER BY r.key, s.idx, g.start, g.score DESC LIMIT ?"
    return [_suggestion(r) for r in db.query(sql, [*args, limit])]


def get_suggestion(db: Database, suggestion_id: int) -> Suggestion:
    rows = list(db.query(_SELECT + " WHERE g.id = ?", [suggestion_id]))
    if not rows:
        raise NotFound(f"no suggestion {suggestion_id}")
    return _suggestion(rows[0])


def decide(
    db: Database, suggestion_id: int, status: str, coder: str, coding_id: int | None = None
) -> None:
    db.execute(
        "UPDATE suggestions SET status = ?, coder_id = ?, coding_id = ?, decided_at = ? "
        "WHERE id = ?",
        [status, coder, coding_id, now(db), suggestion_id],
    )


def counts(db: Database) -> dict[str, int]:
    return {r["status"]: r["n"] for r in db.query(
        "SELECT status, count(*) AS n FROM suggestions GROUP BY status")}  # fmt: skip


def coded_pairs(db: Database) -> set[tuple[int, str]]:
    """(segment, code) pairs somebody already coded: no point suggesting them."""
    return {(r[0], r[1]) for r in db.execute("SELECT DISTINCT segment_id, code_id FROM codings")}


def coded_quotes(db: Database, limit: int = 5000) -> list[tuple[str, str]]:
    """(code, quote) of codings a person made or confirmed (not raw imports of suggestions
    awaiting review), newest first: what auto-coding learns from."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT code_id, quote FROM codings WHERE provenance IN ('manual', 'consensus', "
        "'suggested', 'imported') AND length(quote) >= 15 ORDER BY id DESC LIMIT ?", [limit])]  # fmt: skip


def repoint(db: Database, old_coding: int, new_coding: int) -> None:
    """A decided suggestion follows its coding when two codings become one."""
    db.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?", [new_coding, old_coding])


def segment_count(db: Database) -> int:
    """The work a suggestion run has ahead of it (for its progress bar)."""
    return int(db.execute("SELECT count(*) FROM segments").fetchone()[0])
