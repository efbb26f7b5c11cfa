"""The coder's actions on codings and memos, each one undoable (store/journal.py)."""

from __future__ import annotations

from qualtool.domain import Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.store import journal
from qualtool.store.codebook import resolve_code_id
from qualtool.store.codings import add_coding, add_memo, get_coding, list_memos
from qualtool.store.db import Database


def _tid(db: Database, segment_id: int) -> int | None:
    row = db.execute("SELECT transcript_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    return int(row[0]) if row else None


def apply_codes(db: Database, segment_id: int, span: tuple[int, int], code_ids: list[str],
                coder: str, memo: str | None = None) -> list[Coding]:  # fmt: skip
    """One or more codes on the same words; an empty selection is refused."""
    start, end = span
    if end <= start:
        raise InvalidInput("select some words first (shift+arrows or drag with the mouse)")
    if not code_ids:
        raise InvalidInput("choose at least one code")
    label = "code " + ", ".join(code_ids)
    out = []
    with journal.action(db, label, _tid(db, segment_id)) as j:
        for code_id in code_ids:
            before = db.execute("SELECT max(id) FROM codings").fetchone()[0] or 0
            c = add_coding(db, Coding(segment_id, resolve_code_id(db, code_id), coder, start, end,
                                      "", memo=memo, provenance=Provenance.MANUAL))  # fmt: skip
            if (c.id or 0) > before:
                j.created("codings", c.id or 0)
            out.append(c)
    return out


def remove_coding(db: Database, coding_id: int) -> Coding:
    c = get_coding(db, coding_id)
    with journal.action(db, f"remove {c.code_id}", _tid(db, c.segment_id)) as j:
        j.touch("codings", coding_id)
        db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
    return c


def recode(db: Database, coding_id: int, code_id: str) -> Coding:
    c = get_coding(db, coding_id)
    new = resolve_code_id(db, code_id)
    clash = db.execute(
        'SELECT 1 FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id = ? AND start = ? '
        'AND "end" = ?', [c.segment_id, new, c.coder_id, c.start, c.end]).fetchone()  # fmt: skip
    if clash:
        raise InvalidInput(f"these words already carry {new}")
    with journal.action(db, f"recode {c.code_id} → {new}", _tid(db, c.segment_id)) as j:
        j.touch("codings", coding_id)
        db["codings"].update(coding_id, {"code_id": new})
    return get_coding(db, coding_id)


def set_coding_memo(db: Database, coding_id: int, memo: str | None) -> Coding:
    c = get_coding(db, coding_id)
    with journal.action(db, "memo", _tid(db, c.segment_id)) as j:
        j.touch("codings", coding_id)
        db["codings"].update(coding_id, {"memo": (memo or "").strip() or None})
    return get_coding(db, coding_id)


def toggle_key_quote(db: Database, coding_id: int) -> Coding:
    c = get_coding(db, coding_id)
    with journal.action(db, "key quote", _tid(db, c.segment_id)) as j:
        j.touch("codings", coding_id)
        db["codings"].update(coding_id, {"key_quote": int(not c.key_quote)})
    return get_coding(db, coding_id)


def write_memo(db: Database, memo: Memo) -> Memo:
    """A memo on a segment, code or recording (one per coder and target)."""
    existing = list_memos(db, memo.target_type, memo.target_id, memo.coder_id)
    with journal.action(db, "memo") as j:
        if existing:
            j.touch("memos", existing[0].id or 0)
        m = add_memo(db, memo)
        if not existing:
            j.created("memos", m.id or 0)
    return m
