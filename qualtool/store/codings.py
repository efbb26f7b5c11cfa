"""Codings and memos: the coders' work. Every write is one transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Coder, Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.names import check_name
from qualtool.i18n import _
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
        raise InvalidInput(_("a coder needs a name"))
    check_name(coder.id, "coder")  # it names the file codings/<coder>.json
    db.table("coders").insert({"id": coder.id, "name": coder.name}, ignore=True)


def list_coders(db: Database) -> list[Coder]:
    return [Coder(r["id"], r["name"]) for r in db.query("SELECT * FROM coders ORDER BY id")]


def _origin(db: Database, coding: Coding, idx: int, transcript_id: int) -> str:
    """Where a new coding is first written, [segment, start, end, code]: its identity in its
    coder's layer file for good, wherever it moves (files.layer_format.origin). The same
    coding deleted here before (`codings_withdrawn`: segment row, coder, code and span) takes
    back the identity it had, so its line replaces its tombstone even where a split renumbered
    the segment since. One another coding of this coder kept from before it moved gets a fifth
    item, so the two stay two. Each candidate is one lookup by (coder, origin) (the
    `codings_coder_origin` index), not a read of every origin the coder has in the transcript:
    a large import makes many."""

    def taken(origin: str) -> bool:
        return (
            db.execute(
                "SELECT 1 FROM codings c JOIN segments s ON s.id = c.segment_id WHERE "
                "c.coder_id = ? AND c.origin = ? AND s.transcript_id = ? LIMIT 1",
                [coding.coder_id, origin, transcript_id],
            ).fetchone()
            is not None
        )

    before = db.execute(
        "SELECT origin FROM codings_withdrawn WHERE segment_id = ? AND coder_id = ? AND "
        'code_id = ? AND start = ? AND "end" = ?',
        [coding.segment_id, coding.coder_id, coding.code_id, coding.start, coding.end],
    ).fetchone()
    if before and not taken(before[0]):
        return str(before[0])
    where: list[Any] = [idx, coding.start, coding.end, coding.code_id]
    n = 1
    while taken(_encoded(where)):
        where = [*where[:4], n]
        n += 1
    return _encoded(where)


def _encoded(origin: list[Any]) -> str:
    """An origin as the column keeps it (compact JSON: compared as text)."""
    return json.dumps(origin, ensure_ascii=False, separators=(",", ":"))


def add_coding(db: Database, coding: Coding, origin: list[Any] | None = None) -> Coding:
    """`origin`: the identity its layer line gives it (a coding placed from a file); a new
    coding's is where it is made."""
    seg = list(db.query("SELECT text, idx, transcript_id FROM segments WHERE id = ?",
                        [coding.segment_id]))  # fmt: skip
    if not seg:
        raise NotFound(_("no segment {id}").format(id=coding.segment_id))
    text, idx, transcript_id = seg[0]["text"], seg[0]["idx"], seg[0]["transcript_id"]
    if not (0 <= coding.start < coding.end <= len(text)):
        raise InvalidInput(
            _("span {start}-{end} is outside the segment text").format(
                start=coding.start, end=coding.end
            )
        )
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
            "origin": _encoded(origin) if origin else _origin(db, coding, idx, transcript_id),
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
        raise NotFound(_("no coding {id}").format(id=coding_id))
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
    """Re-anchor a coding; its quote snapshot is refreshed from the new text. `note`, a line
    put before its memo, may name the old quote as `{quote}`."""
    text = db.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()[0]
    memo = coding.memo
    if note:
        memo = note.replace("{quote}", coding.quote) + (f"\n{memo}" if memo else "")
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


def note_written_code(db: Database, coding_id: int, written: str) -> None:
    """The code its layer file names, which this study reads as another (m1216u)."""
    db.execute("UPDATE codings SET written_code = ? WHERE id = ?", [written, coding_id])


def follow_alias(db: Database, old: str, new: str | None, was: str | None, skip: set[int]) -> None:
    """An old code id an undo or redo makes point elsewhere (`was` → `new`; None: no alias).
    Codings the step did not record follow it: the ones that came under `was` through the
    alias go back to the code their file names (or to `new`); with a new alias, the ones on
    `old` move to `new`, remembering `old` as the code they were written with."""
    mine = ", ".join(str(int(i)) for i in skip) or "NULL"
    if was is not None:
        db.execute(f"UPDATE codings SET code_id = coalesce(?, written_code), written_code = "
                   f"CASE WHEN ? IS NULL THEN NULL ELSE written_code END WHERE written_code = ? "
                   f"AND code_id = ? AND id NOT IN ({mine})", [new, new, old, was])  # fmt: skip
    elif new is not None:
        db.execute(f"UPDATE codings SET written_code = code_id, code_id = ? WHERE code_id = ? "
                   f"AND id NOT IN ({mine})", [new, old])  # fmt: skip


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
        raise InvalidInput(_("an empty memo"))
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
    with db.atomic():  # a savepoint: safe inside a journaled action
        db.execute("DELETE FROM memos WHERE id = ?", [memo_id])


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


def find_coding(db: Database, segment_id: int, code_id: str, coder: str, start: int,
                end: int) -> Coding | None:  # fmt: skip
    rows = list(db.query(
        "SELECT * FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id = ? "
        'AND start = ? AND "end" = ?', [segment_id, code_id, coder, start, end]))  # fmt: skip
    return _coding(rows[0]) if rows else None


def overlapping(db: Database, segment_id: int, code_id: str, coder: str, start: int,
                end: int) -> list[Coding]:  # fmt: skip
    """The coder's codings of `code_id` that share characters with [start, end)."""
    rows = db.query(
        "SELECT * FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id = ? "
        'AND start < ? AND "end" > ? ORDER BY id', [segment_id, code_id, coder, end, start])  # fmt: skip
    return [_coding(r) for r in rows]


def update_coding(db: Database, coding_id: int, **values: Any) -> None:
    """Change stored fields of one coding; a new span refreshes its quote from the text."""
    if "start" in values or "end" in values:
        c = get_coding(db, coding_id)
        sid = values.get("segment_id", c.segment_id)
        text = db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
        values["quote"] = text[values.get("start", c.start) : values.get("end", c.end)]
    if "key_quote" in values:
        values["key_quote"] = int(values["key_quote"])
    db.table("codings").update(coding_id, values)


def shift_codings(db: Database, from_segment: int, to_segment: int, offset: int) -> None:
    """Every coding of one segment moves onto another, `offset` characters further on."""
    db.execute('UPDATE codings SET segment_id = ?, start = start + ?, "end" = "end" + ? '
               "WHERE segment_id = ?", [to_segment, offset, offset, from_segment])  # fmt: skip


def codings_of_codes(db: Database, code_ids: list[str]) -> list[Coding]:
    marks = ", ".join("?" * len(code_ids))
    rows = db.query(f"SELECT * FROM codings WHERE code_id IN ({marks}) ORDER BY id", code_ids)
    return [_coding(r) for r in rows]


def merge_overlaps(db: Database, code_id: str) -> None:
    """One coding per overlapping (segment, coder) cluster of `code_id`: the union of the
    spans, the earliest row kept, memos joined, key quote if any was one."""
    rows = [_coding(r) for r in db.query(
        "SELECT * FROM codings WHERE code_id = ? ORDER BY segment_id, coder_id, start, id",
        [code_id])]  # fmt: skip
    groups: list[list[Coding]] = []
    for c in rows:
        last = groups[-1] if groups else None
        if (last and last[0].segment_id == c.segment_id and last[0].coder_id == c.coder_id
                and c.start < max(x.end for x in last)):  # fmt: skip
            last.append(c)
        else:
            groups.append([c])
    for group in groups:
        if len(group) < 2:
            continue
        keep = min(group, key=lambda x: x.id or 0)
        memos = list(dict.fromkeys(x.memo for x in sorted(group, key=lambda x: x.id or 0)
                                   if x.memo))  # fmt: skip
        for other in group:
            if other.id != keep.id:
                db.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?",
                           [keep.id, other.id])  # fmt: skip
                db.execute("DELETE FROM codings WHERE id = ?", [other.id])
        update_coding(db, keep.id or 0, start=min(x.start for x in group),
                      end=max(x.end for x in group), memo="\n".join(memos) or None,
                      key_quote=any(x.key_quote for x in group))  # fmt: skip


def recent_codes(db: Database, coder: str, limit: int = 8) -> list[str]:
    """The codes this coder applied last, newest first (the picker offers them early)."""
    rows = db.execute("SELECT code_id, max(id) AS m FROM codings WHERE coder_id = ? "
                      "GROUP BY code_id ORDER BY m DESC LIMIT ?", [coder, limit])  # fmt: skip
    return [r[0] for r in rows]


def coders_in_transcript(db: Database, transcript_id: int) -> set[str]:
    """Whose layer files name segments of this transcript (by index and text)."""
    return {r[0] for r in db.execute(
        "SELECT DISTINCT c.coder_id FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE s.transcript_id = ?", [transcript_id])}  # fmt: skip
