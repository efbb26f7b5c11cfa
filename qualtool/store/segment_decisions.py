"""Decisions that hang on a segment rather than on a coder's coding: decided suggestions and
adjudications (a code ruled out for a turn). Segments are replaced when a transcript is
re-transcribed, re-imported or pulled with a colleague's corrections; these rows then move to
the new segment instead of vanishing through ON DELETE CASCADE — a rejected suggestion would
be proposed again and a settled disagreement reopened."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Pinned:
    """A decision on a segment: a decided suggestion (`suggestion_id` set, with its span) or
    an adjudication (span is the whole segment, quote empty)."""

    segment_id: int
    code_id: str
    start: int
    end: int
    quote: str
    suggestion_id: int | None = None


def pinned(db: Database, transcript_id: int) -> list[Pinned]:
    rows = db.execute(
        'SELECT g.segment_id, g.code_id, g.start, g."end", g.quote, g.id FROM suggestions g '
        "JOIN segments s ON s.id = g.segment_id "
        "WHERE s.transcript_id = ? AND g.status != 'pending' ORDER BY g.id",
        [transcript_id],
    ).fetchall()
    found = [Pinned(*r) for r in rows]
    rows = db.execute(
        "SELECT a.segment_id, a.code_id, 0, length(s.text), '' FROM adjudications a "
        "JOIN segments s ON s.id = a.segment_id WHERE s.transcript_id = ? "
        "ORDER BY a.segment_id, a.code_id",
        [transcript_id],
    ).fetchall()
    return found + [Pinned(*r) for r in rows]


def move(db: Database, decision: Pinned, segment_id: int, span: tuple[int, int]) -> None:
    """Put `decision` on `segment_id`, unless that segment already holds a decision on the same
    code (two old turns merged into one: the first one moved stands for both, the other goes
    with its old segment)."""
    table = "suggestions" if decision.suggestion_id is not None else "adjudications"
    taken = db.execute(
        f"SELECT 1 FROM {table} WHERE segment_id = ? AND code_id = ?",
        [segment_id, decision.code_id],
    ).fetchone()
    if taken:
        return
    if decision.suggestion_id is not None:
        text = db.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()[0]
        db.execute(
            'UPDATE suggestions SET segment_id = ?, start = ?, "end" = ?, quote = ? WHERE id = ?',
            [segment_id, span[0], span[1], text[span[0] : span[1]], decision.suggestion_id],
        )
    else:
        db.execute(
            "UPDATE adjudications SET segment_id = ? WHERE segment_id = ? AND code_id = ?",
            [segment_id, decision.segment_id, decision.code_id],
        )
