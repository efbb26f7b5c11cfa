"""Codings and memos: the coders' work. Every write is one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Coder, Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.names import check_name
from qualtool.store.db import last_id, saved


def _coding(row: dict[str, Any]) -> Coding:
    return Coding(
        id=row["id"],
        segment_id=row["segment_id"],
        code_id=row["code_id"],
        coder_id=row["coder_id"],
        start=row["start"],
        end=row["end"],
        quote=row["quote"],
        memo=row["memo"],
        provenance=Provenance(row["provenance"]),
        key_quote=bool(row["key_quote"]),
        created_at=datetime.fromisoformat(row["created_at"]) if row["created_at"] else None,
    )


def ensure_coder(db: Database, coder: Coder) -> None:
    if not coder.id.strip():
        raise InvalidInput("a coder needs a name")
    check_name(coder.id, "coder")  # it names the file codings/<coder>.json
    db.table("coders").insert({"id": coder.id, "name": coder.name}, ignore=True)


def list_coders(db: Database) -> list[Coder]:
    return [Coder(r["id"], r["name"]) for r in db.query("SELECT * FROM coders ORDER BY id")]


def add_coding(db: Database, coding: Coding) -> Coding:
    seg = list(db.query("SELECT text FROM segments WHERE id = ?", [coding.segment_id]))
    if not seg:
        raise NotFound(f"no segment {coding.segment_id}")
    text = seg[0]["text"]
    if not (0 <= coding.start < coding.end <= len(text)):
        raise InvalidInput(f"span {coding.start}-{coding.end} is outside the segment text")
    with db.atomic():
        ensure_coder(db, Coder(coding.coder_id))
        row = {
            "segment_id": coding.segment_id,
            "code_id": coding.code_id,
            "coder_id": coding.coder_id,
            "start": coding.start,
            "end": coding.end,
            "quote": text[coding.start : coding.end],
            "memo": coding.memo,
            "provenance": coding.provenance.value,
            "key_quote": int(coding.key_quote),
        }
        existing = list(
            db.query(
                "SELECT id FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id = ? "
                'AND start = ? AND "end" = ?',
                [coding.segment_id, coding.code_id, coding.coder_id, coding.start, coding.end],
            )
        )
        if existing:
            return get_coding(db, existing[0]["id"])
        cid = last_id(db.table("codings").insert(row))
    return get_coding(db, int(cid))


def get_coding(db: Database, coding_id: int) -> Coding:
    rows = list(db.query("SELECT * FROM codings WHERE id = ?", [coding_id]))
    if not rows:
        raise NotFound(f"no coding {coding_id}")
    return _coding(rows[0])


def codings_for_segment(db: Database, segment_id: int, coder: str | None = None) -> list[Coding]:
    sql = "SELECT * FROM codings WHERE segment_id = ?"
    args: list[Any] = [segment_id]
    if coder:
        sql += " AND coder_id = ?"
        args.append(coder)
    return [_coding(r) for r in db.query(sql + " ORDER BY start, id", args)]


def codings_for_transcript(db: Database, transcript_id: int) -> list[Coding]:
    rows = db.query(
        "SELECT c.* FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE s.transcript_id = ? ORDER BY s.idx, c.start",
        [transcript_id],
    )
    return [_coding(r) for r in rows]


def move_coding(
    db: Database, coding: Coding, segment_id: int, span: tuple[int, int], note: str | None = None
) -> None:
    """Re-anchor a coding; its quote snapshot is refreshed from the new text."""
    text = db.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()[0]
    memo = coding.memo
    if note:
        memo = f"{note} was: «{coding.quote}»" + (f"\n{memo}" if memo else "")
    db.table("codings").update(
        saved(coding.id),
        {
            "segment_id": segment_id,
            "start": span[0],
            "end": span[1],
            "quote": text[span[0] : span[1]],
            "memo": memo,
        },
    )


def delete_coding(db: Database, coding_id: int) -> Coding:
    coding = get_coding(db, coding_id)
    with db.atomic():
        db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
    return coding


def _memo(row: dict[str, Any]) -> Memo:
    return Memo(row["target_type"], row["target_id"], row["text"], row["coder_id"],
                datetime.fromisoformat(row["created_at"]) if row["created_at"] else None,
                row["id"])  # fmt: skip


def add_memo(db: Database, memo: Memo) -> Memo:
    """One memo per (target, coder): writing again replaces its text."""
    if not memo.text.strip():
        raise InvalidInput("an empty memo")
    with db.atomic():
        existing = list_memos(db, memo.target_type, memo.target_id, memo.coder_id)
        if existing:
            db.table("memos").update(saved(existing[0].id), {"text": memo.text})
            return list_memos(db, memo.target_type, memo.target_id, memo.coder_id)[0]
        mid = last_id(db.table("memos").insert({"target_type": memo.target_type, "target_id": memo.target_id,
                                  "coder_id": memo.coder_id, "text": memo.text}))  # fmt: skip
    return _memo(next(iter(db.query("SELECT * FROM memos WHERE id = ?", [mid]))))


def list_memos(
    db: Database,
    target_type: str | None = None,
    target_id: str | None = None,
    coder: str | None = None,
) -> list[Memo]:
    sql, args = "SELECT * FROM memos WHERE 1", []
    for col, val in (("target_type", target_type), ("target_id", target_id), ("coder_id", coder)):
        if val is not None:
            sql += f" AND {col} = ?"
            args.append(val)
    return [_memo(r) for r in db.query(sql + " ORDER BY id", args)]


def delete_memo(db: Database, memo_id: int) -> None:
    db.execute("DELETE FROM memos WHERE id = ?", [memo_id])
    db.conn.commit()


def coders_with_codings(db: Database) -> list[str]:
    """Every coder id that has a layer (the coders table may lack imported ones)."""
    return [r[0] for r in db.execute("SELECT DISTINCT coder_id FROM codings ORDER BY 1")]


def has_codings(db: Database, coder: str) -> bool:
    q = "SELECT 1 FROM codings WHERE coder_id = ? LIMIT 1"
    return db.execute(q, [coder]).fetchone() is not None


def coded_count(db: Database, transcript_id: int) -> int:
    q = ("SELECT count(*) FROM codings c JOIN segments s ON s.id = c.segment_id "
         "WHERE s.transcript_id = ?")  # fmt: skip
    return int(db.execute(q, [transcript_id]).fetchone()[0])


def fingerprint(db: Database) -> tuple[object, ...]:
    """A cheap digest of all codings: tells whether a command changed any (coder files then follow)."""
    return tuple(db.execute(
        "SELECT count(*), total(id * 7 + start * 3 + \"end\" + key_quote * 5 + "
        "length(code_id) + length(coalesce(memo, '')) + length(coder_id)) FROM codings"
    ).fetchone())  # fmt: skip
