"""The coder's actions on codings and memos. Each is one service that the CLI and the TUI both
call: it validates, journals itself (undo/redo, store/journal.py) and writes the database and
the coder's file (codings/<coder>.json) in one step."""

from __future__ import annotations

from qualtool.coding import persist
from qualtool.coding.persist import Target
from qualtool.domain import Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.domain.spans import snap
from qualtool.i18n import _
from qualtool.store import journal
from qualtool.store import suggestions as sug_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import resolve_code_id
from qualtool.store.codings import (
    add_coding,
    add_memo,
    delete_coding,
    get_coding,
    list_memos,
    overlapping,
    update_coding,
)
from qualtool.store.db import Database


def _absorb(db: Database, j: journal.Recorder, keep: Coding, others: list[Coding],
            span: tuple[int, int] | None = None, memo: str | None = None,
            key_quote: bool = False) -> Coding:  # fmt: skip
    """`keep` takes the union of its span and the others' (same code, coder, segment), their
    memos and key-quote mark; the others go. Overlapping spans of one code are one coding."""
    group = [keep, *[o for o in others if o.id != keep.id]]
    for c in group:
        j.touch("codings", c.id)
    ids = [c.id for c in group[1:]]
    if ids:
        marks = ", ".join("?" * len(ids))
        j.touch_where("suggestions", f"coding_id IN ({marks})", ids)
        for cid in ids:
            sug_store.repoint(db, cid or 0, keep.id or 0)
            delete_coding(db, cid or 0)
    memos = list(dict.fromkeys(m for m in [*(c.memo for c in group), memo] if m))
    starts, ends = [c.start for c in group], [c.end for c in group]
    if span is not None:
        starts.append(span[0])
        ends.append(span[1])
    update_coding(db, keep.id or 0, start=min(starts), end=max(ends), memo="\n".join(memos) or None,
                  key_quote=key_quote or any(c.key_quote for c in group))  # fmt: skip
    return get_coding(db, keep.id or 0)


def apply_codes(
    target: Target,
    segment_id: int,
    span: tuple[int, int],
    code_ids: list[str],
    coder: str,
    memo: str | None = None,
    *,
    key_quote: bool = False,
    provenance: Provenance = Provenance.MANUAL,
) -> list[Coding]:
    """One or more codes on the same words. The span snaps to whole words without stray
    punctuation; where the coder already has the code on overlapping words, the two become
    one coding over both. An empty selection is refused."""
    db, ws = persist.begin(target, [segment_id])
    if not code_ids:
        raise InvalidInput(_("choose at least one code"))
    if not coder.strip():
        raise InvalidInput(_("a coder needs a name"))
    seg = tr_store.get_segment(db, segment_id)
    start, end = snap(seg.text, *span)
    if end <= start:
        raise InvalidInput(_("select some words first (shift+arrows or drag with the mouse)"))
    codes = list(dict.fromkeys(resolve_code_id(db, c) for c in code_ids))
    tid = tr_store.transcript_of_segment(db, segment_id)
    out = []
    with journal.action(db, _("code {codes}").format(codes=", ".join(codes)), tid) as j:
        for code_id in codes:
            over = overlapping(db, segment_id, code_id, coder, start, end)
            if over:
                c = _absorb(db, j, over[0], over[1:], (start, end), memo, key_quote)
            else:
                c = add_coding(db, Coding(segment_id, code_id, coder, start, end, "", memo=memo,
                                          provenance=provenance, key_quote=key_quote))  # fmt: skip
                j.created("codings", c.id)
            out.append(c)
        persist.write(ws, coders={coder})
    return out


def remove_coding(target: Target, coding_id: int) -> Coding:
    """Uncode."""
    db, ws = persist.begin(target)
    c = get_coding(db, coding_id)
    tid = tr_store.transcript_of_segment(db, c.segment_id)
    with journal.action(db, _("remove {code}").format(code=c.code_id), tid) as j:
        j.touch("codings", coding_id)
        j.touch_where("suggestions", "coding_id = ?", [coding_id])
        delete_coding(db, coding_id)
        persist.write(ws, coders={c.coder_id})
    return c


def recode(target: Target, coding_id: int, code_id: str) -> Coding:
    """The same words, another code; if the coder already has that code on overlapping words
    the two become one coding."""
    db, ws = persist.begin(target)
    c = get_coding(db, coding_id)
    new = resolve_code_id(db, code_id)
    if new == c.code_id:
        raise InvalidInput(_("these words already carry {code}").format(code=new))
    tid = tr_store.transcript_of_segment(db, c.segment_id)
    with journal.action(db, _("recode {old} → {new}").format(old=c.code_id, new=new), tid) as j:
        j.touch("codings", coding_id)
        over = overlapping(db, c.segment_id, new, c.coder_id, c.start, c.end)
        if over:
            result = _absorb(db, j, over[0], [*over[1:], c])
        else:
            update_coding(db, coding_id, code_id=new)
            result = get_coding(db, coding_id)
        persist.write(ws, coders={c.coder_id})
    return result


def _update(target: Target, coding_id: int, label: str, **values: object) -> Coding:
    db, ws = persist.begin(target)
    c = get_coding(db, coding_id)
    tid = tr_store.transcript_of_segment(db, c.segment_id)
    with journal.action(db, label, tid) as j:
        j.touch("codings", coding_id)
        update_coding(db, coding_id, **values)
        persist.write(ws, coders={c.coder_id})
    return get_coding(db, coding_id)


def set_coding_memo(target: Target, coding_id: int, memo: str | None) -> Coding:
    """A multi-line note on one coding; an empty one removes it."""
    text = "\n".join(line.rstrip() for line in (memo or "").strip().splitlines())
    return _update(target, coding_id, _("memo"), memo=text or None)


def set_key_quote(target: Target, coding_id: int, key: bool) -> Coding:
    return _update(target, coding_id, _("key quote"), key_quote=key)


def toggle_key_quote(target: Target, coding_id: int) -> Coding:
    db, _ws = persist.begin(target)
    return set_key_quote(target, coding_id, not get_coding(db, coding_id).key_quote)


def write_memo(target: Target, memo: Memo) -> Memo:
    """A memo on a segment, code or recording (one per coder and target)."""
    db, ws = persist.begin(target)
    existing = list_memos(db, memo.target_type, memo.target_id, memo.coder_id)
    with journal.action(db, _("memo")) as j:
        if existing:
            j.touch("memos", existing[0].id)
        m = add_memo(db, memo)
        if not existing:
            j.created("memos", m.id)
        persist.write(ws, coders={memo.coder_id} if memo.coder_id else set())
    return m
