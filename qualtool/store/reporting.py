"""The SQL behind reports: coded quotes with their context, and counts for analysis tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Scope:
    """Which codings a report draws on."""

    coders: tuple[str, ...] = ()  # empty: every coder (consensus included)
    codes: tuple[str, ...] = ()
    method: str | None = None
    service: str | None = None
    region: str | None = None
    recordings: tuple[str, ...] = ()

    def sql(self) -> tuple[str, list[Any]]:
        where: list[str] = ["1"]
        args: list[Any] = []
        for col, values in (("c.coder_id", self.coders), ("c.code_id", self.codes),
                            ("r.key", self.recordings)):  # fmt: skip
            if values:
                where.append(f"{col} IN ({', '.join('?' * len(values))})")
                args.extend(values)
        if self.method:
            where.append("r.method = ?")
            args.append(self.method)
        for col, value in (("r.service", self.service), ("r.region", self.region)):
            if value:
                where.append(f"ulower({col}) LIKE ?")
                args.append(f"%{value.lower()}%")
        return " AND ".join(where), args


def quotes(db: Database, scope: Scope) -> list[dict[str, Any]]:
    """Every coding in scope with its segment, recording and speaking participant."""
    where, args = scope.sql()
    return list(
        db.query(
            f"""
            SELECT c.id AS coding_id, c.code_id, c.coder_id, c.start AS cstart,
                   c."end" AS cend, c.quote, c.memo, c.provenance, c.key_quote,
                   s.id AS segment_id, s.idx, s.start, s."end", s.speaker, s.text,
                   r.key AS recording, r.method, r.service, r.region AS rec_region, r.date,
                   p.pseudonym, p.role, p.gender, p.age_band, p.region AS person_region
            FROM codings c
            JOIN segments s ON s.id = c.segment_id
            JOIN transcripts t ON t.id = s.transcript_id
            JOIN recordings r ON r.id = t.recording_id
            LEFT JOIN participants p ON p.pseudonym = s.speaker AND p.id IN (
                SELECT participant_id FROM recording_participants WHERE recording_id = r.id)
            WHERE {where}
            ORDER BY r.key, s.idx, c.start
            """,
            args,
        )
    )


def coded_segment_count(db: Database, scope: Scope) -> int:
    where, args = scope.sql()
    return int(db.execute(
        "SELECT count(DISTINCT c.segment_id) FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id "
        f"WHERE {where}", args).fetchone()[0])  # fmt: skip


def recording_overview(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT r.key, r.method, r.service, r.region, count(rp.participant_id) AS people "
        "FROM recordings r LEFT JOIN recording_participants rp ON rp.recording_id = r.id "
        "GROUP BY r.id ORDER BY r.key"))  # fmt: skip


def coding_progress(db: Database) -> dict[str, dict[str, float]]:
    """recording key -> coder -> share of the transcript's segments that coder reached (the
    last segment they coded, over all segments): how far each coder has got."""
    out: dict[str, dict[str, float]] = {}
    for r in db.query(
        "SELECT r.key, c.coder_id, max(s.idx) + 1 AS reached, "
        "(SELECT count(*) FROM segments x WHERE x.transcript_id = t.id) AS total "
        "FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id "
        "GROUP BY r.key, c.coder_id ORDER BY r.key, c.coder_id"
    ):
        out.setdefault(r["key"], {})[r["coder_id"]] = r["reached"] / max(r["total"], 1)
    return out


def coded_turns(db: Database, coder: str) -> dict[str, tuple[int, int]]:
    """recording key -> (turns `coder` coded at least once, turns in its transcript), for every
    transcribed recording: the «done» of a coder's assignment is counted in turns, not in how far
    they scrolled (`coding_progress`), since a coder skips turns with nothing to code."""
    return {
        r["key"]: (r["coded"], r["total"])
        for r in db.query(
            "SELECT r.key, (SELECT count(*) FROM segments x WHERE x.transcript_id = t.id) AS total,"
            " (SELECT count(DISTINCT c.segment_id) FROM codings c JOIN segments s"
            "  ON s.id = c.segment_id WHERE s.transcript_id = t.id AND c.coder_id = ?) AS coded "
            "FROM recordings r JOIN transcripts t ON t.recording_id = r.id",
            (coder,),
        )
    }
