"""The full-text index and the SQL behind search filters.

Triggers on `segments` queue changed segments in `search_dirty`; `refresh` (called with the
indexer — lemmas and word offsets, computed above the store) re-indexes only those, so searching
right after an edit sees the edit and an unchanged study costs one empty-table check.

A page of hits costs about what the raw FTS5 query costs: the page is chosen by the index alone
(a filter adds the segment, never a join per hit), the total is a bare count, and the page's
context columns, lemmas and word offsets (`segment_words`, stored at indexing time so the hits
are not tokenised again) are read for those rows only.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# (text, language) -> (lemma text, start/end offsets of each of its words in the text)
Indexer = Callable[[str, str], tuple[str, Sequence[int]]]


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow a search to part of the study; every field is optional and combinable."""

    method: str | None = None
    service: str | None = None  # substring, case-insensitive
    region: str | None = None
    role: str | None = None  # speaker role: interviewer, recipient, expert…
    code: str | None = None  # the segment carries this code (or a descendant, if listed)
    codes: tuple[str, ...] = ()
    coder: str | None = None
    recording: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """A condition on a segment `s`. The recording's attributes are matched once per
        transcript in a subquery (not once per hit: `ulower` is a Python function), so the
        condition needs no join and a filtered search scans the hits and their segments only."""
        where: list[str] = []
        args: list[Any] = []
        of_recording: list[str] = []
        if self.method:
            of_recording.append("fr.method = ?")
            args.append(self.method)
        if self.service:
            of_recording.append("ulower(fr.service) LIKE ?")
            args.append(f"%{_fold(self.service)}%")
        if self.region:
            of_recording.append("ulower(fr.region) LIKE ?")
            args.append(f"%{_fold(self.region)}%")
        if self.recording:
            of_recording.append("fr.key = ?")
            args.append(self.recording)
        if of_recording:
            where.append("s.transcript_id IN (SELECT ft.id FROM transcripts ft JOIN recordings fr "
                         f"ON fr.id = ft.recording_id WHERE {' AND '.join(of_recording)})")  # fmt: skip
        if self.role == "interviewer":
            where.append("(s.speaker = 'I' OR s.speaker IN (SELECT pseudonym FROM participants "
                         "WHERE role = 'interviewer'))")  # fmt: skip
        elif self.role:
            where.append("s.speaker IN (SELECT pseudonym FROM participants WHERE role = ?)")
            args.append(self.role)
        codes = self.codes or ((self.code,) if self.code else ())
        if codes or self.coder:
            cond = "EXISTS (SELECT 1 FROM codings c WHERE c.segment_id = s.id"
            if codes:
                cond += f" AND c.code_id IN ({', '.join('?' * len(codes))})"
                args.extend(codes)
            if self.coder:
                cond += " AND c.coder_id = ?"
                args.append(self.coder)
            where.append(cond + ")")
        return (" AND ".join(where) or "1"), args


def _fold(value: str) -> str:
    return value.lower().replace("ё", "е")


_CONTEXT = """
    FROM segments s
    JOIN transcripts t ON t.id = s.transcript_id
    JOIN recordings r ON r.id = t.recording_id
"""
_COLUMNS = """s.id AS segment_id, s.idx, s.start, s."end", s.speaker, s.text,
    r.key AS recording, r.method, r.service, r.region, t.id AS transcript_id"""


def refresh(db: Database, index: Indexer, batch: int = 2000) -> int:
    """Index every queued segment; returns how many were (re)indexed."""
    if db.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is None:
        return 0  # the common case: nothing changed since the last search
    done = 0
    while True:
        rows = list(
            db.query(
                "SELECT s.id, s.text, coalesce(t.language, r.language) AS lang "
                "FROM search_dirty d JOIN segments s ON s.id = d.segment_id "
                "JOIN transcripts t ON t.id = s.transcript_id "
                "JOIN recordings r ON r.id = t.recording_id LIMIT ?",
                [batch],
            )
        )
        if not rows:
            with db.conn:
                db.execute("DELETE FROM search_dirty")  # orphans of deleted segments
                if done:
                    db.execute("UPDATE study_meta SET value = value + 1 WHERE key = 'index_gen'")
            return done
        entries = [(r["id"], r["text"], *index(r["text"], r["lang"])) for r in rows]
        with db.conn:
            ids = [(r["id"],) for r in rows]
            db.conn.executemany("DELETE FROM segment_fts WHERE rowid = ?", ids)
            db.conn.executemany(
                "INSERT INTO segment_fts (rowid, text, lemmas) VALUES (?, ?, ?)",
                [(sid, _norm(text), lemmas) for sid, text, lemmas, _ in entries],
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO segment_words (segment_id, offsets) VALUES (?, ?)",
                [(sid, _pack(offsets)) for sid, _, _, offsets in entries],
            )
            db.conn.executemany("DELETE FROM search_dirty WHERE segment_id = ?", ids)
        done += len(rows)


def _norm(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


def _pack(offsets: Sequence[int]) -> bytes:
    packed = array("I", offsets)
    if sys.byteorder == "big":  # stored little-endian, whatever machine wrote the cache
        packed.byteswap()
    return packed.tobytes()


def unpack_offsets(blob: bytes | None) -> array[int] | None:
    """The (start, end, start, end …) word offsets stored with a segment, None if not stored."""
    if blob is None:
        return None
    offsets = array("I", blob)
    if sys.byteorder == "big":
        offsets.byteswap()
    return offsets


def pending(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM search_dirty").fetchone()[0])


def match(
    db: Database, expr: str, filters: Filters, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Segments matching an FTS5 expression, best first (bm25), with their context columns,
    lemma text and stored word offsets (`offsets`: bytes, see `unpack_offsets`)."""
    where, args = filters.sql()
    if where == "1":  # no filter: the page comes from the index alone, as a raw query would
        page = db.execute(
            "SELECT rowid FROM segment_fts WHERE segment_fts MATCH ? ORDER BY rank "
            "LIMIT ? OFFSET ?",
            [expr, limit, offset],
        ).fetchall()
    else:  # only ids and ranks go through the sort; the wide columns are read for the page
        page = db.execute(
            "SELECT s.id FROM segment_fts f CROSS JOIN segments s ON s.id = f.rowid "
            f"WHERE segment_fts MATCH ? AND {where} ORDER BY f.rank LIMIT ? OFFSET ?",
            [expr, *args, limit, offset],
        ).fetchall()
    ids = [row[0] for row in page]
    if not ids:
        return []
    cursor = db.execute(
        f"SELECT {_COLUMNS}, f.lemmas, w.offsets {_CONTEXT} "
        "JOIN segment_fts f ON f.rowid = s.id "
        "LEFT JOIN segment_words w ON w.segment_id = s.id "
        f"WHERE s.id IN ({', '.join('?' * len(ids))})",
        ids,
    )
    names = [d[0] for d in cursor.description]
    found = {row[0]: dict(zip(names, row, strict=True)) for row in cursor}
    return [found[i] for i in ids if i in found]


def count(db: Database, expr: str, filters: Filters) -> int:
    """How many segments match; without filters a bare count over the index (every indexed row
    is a segment: deleting a segment deletes its index row)."""
    where, args = filters.sql()
    if where == "1":
        sql, params = "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH ?", [expr]
    else:
        sql = (
            "SELECT count(*) FROM segment_fts f CROSS JOIN segments s ON s.id = f.rowid "
            f"WHERE segment_fts MATCH ? AND {where}"
        )
        params = [expr, *args]
    return int(db.execute(sql, params).fetchone()[0])


def vocabulary(db: Database) -> list[str]:
    """Distinct indexed terms (raw forms and lemmas): the candidates for fuzzy matching."""
    return [r[0] for r in db.execute("SELECT term FROM segment_vocab")]


def index_generation(db: Database) -> int:
    """Changes whenever the index does; lets callers cache the vocabulary."""
    row = db.execute("SELECT value FROM study_meta WHERE key = 'index_gen'").fetchone()
    return int(row[0]) if row else 0


def indexed_segments(db: Database, filters: Filters | None = None) -> Iterable[dict[str, Any]]:
    """Every indexed segment with its lemma text, for passes over the whole study."""
    where, args = (filters or Filters()).sql()
    yield from db.query(
        f"SELECT {_COLUMNS}, f.lemmas {_CONTEXT} JOIN segment_fts f ON f.rowid = s.id "
        f"WHERE {where} ORDER BY s.id",
        args,
    )
