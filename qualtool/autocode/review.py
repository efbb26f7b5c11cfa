"""Deciding suggestions: accept (a coding with provenance «suggested») or reject. Several ids
at once are all-or-nothing: every id is checked first (it exists and still waits for review),
so a typo among them changes nothing, and the decisions are one journaled action (one undo)."""

from __future__ import annotations

from qualtool.coding import apply_codes, persist
from qualtool.coding.persist import Target, begin
from qualtool.domain import Coding, Provenance
from qualtool.domain.anchoring import find_quote
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.reason import excerpt
from qualtool.i18n import N_, _, ngettext
from qualtool.store import journal
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import resolve_code_id
from qualtool.store.db import Database
from qualtool.store.transcripts import transcript_of_segment

STATUS_WORDS = {sug_store.ACCEPTED: N_("accepted"), sug_store.REJECTED: N_("rejected")}


def pending(db: Database, ids: list[int]) -> list[sug_store.Suggestion]:
    """The suggestions behind `ids` (repeats once), all still pending — or one error naming
    every id that is not, before anything changes."""
    wanted = list(dict.fromkeys(ids))
    found = sug_store.by_ids(db, wanted)
    problems, missing = [], 0
    for sid in wanted:
        sug = found.get(sid)
        if sug is None:
            missing += 1
            problems.append(_("no suggestion {id}").format(id=sid))
        elif sug.status != sug_store.PENDING:
            problems.append(_("suggestion {id} was already {status}").format(
                id=sid, status=_(STATUS_WORDS.get(sug.status, sug.status))))  # fmt: skip
    if problems:
        line = "; ".join(problems)
        if len(wanted) > 1:
            line = _("{problems}: nothing was changed").format(problems=line)
        raise (NotFound if missing == len(problems) else InvalidInput)(line)
    return [found[sid] for sid in wanted]


def current_span(sug: sug_store.Suggestion) -> tuple[int, int] | None:
    """Where the suggested words stand in the segment's text now. A segment edited after the
    run (a typo fixed, words added before them) keeps the suggestion's old offsets, which then
    point at other words: the quote is found again, as a coding's is; None when it is gone."""
    if sug.text[sug.start : sug.end] == sug.quote:
        return sug.start, sug.end
    return find_quote(sug.quote, sug.text)


def _spans(sugs: list[sug_store.Suggestion],
           span: tuple[int, int] | None) -> list[tuple[int, int]]:  # fmt: skip
    """The words each accept codes, all checked before anything changes: an edited span
    must lie in its passage, a suggestion whose words were edited away is refused."""
    if span is not None:
        if len(sugs) > 1:
            raise InvalidInput(_("an edited span belongs to one suggestion: give one id"))
        if not 0 <= span[0] < span[1] <= len(sugs[0].text):
            raise InvalidInput(_("span {start}:{end} is outside the segment text").format(
                start=span[0], end=span[1]))  # fmt: skip
        return [span]
    out = []
    for sug in sugs:
        found = current_span(sug)
        if found is None:
            raise InvalidInput(_(
                "suggestion {id}: «{quote}» is no longer in its passage (edited since): run "
                "the suggestions again").format(id=sug.id, quote=excerpt(sug.quote, 40)))  # fmt: skip
        out.append(found)
    return out


def _where(db: Database, sugs: list[sug_store.Suggestion]) -> int | None:
    """The transcript an undo returns to: the one all the decisions are in, if there is one."""
    tids = {transcript_of_segment(db, s.segment_id) for s in sugs}
    return tids.pop() if len(tids) == 1 else None


def accept_many(
    target: Target, ids: list[int], coder: str, span: tuple[int, int] | None = None
) -> list[Coding]:
    """Accept (optionally one suggestion with an edited span): each becomes a normal coding,
    provenance suggested. One journaled action with the decisions: undo returns them to the
    queue. The coder's layer file is written once, inside the action (both or neither)."""
    db, ws = begin(target)
    sugs = pending(db, ids)
    spans = _spans(sugs, span)
    label = (_("accept {code}").format(code=sugs[0].code_id) if len(sugs) == 1 else
             ngettext("accept {n} suggestion", "accept {n} suggestions", len(sugs)).format(
                 n=len(sugs)))  # fmt: skip
    out = []
    with journal.action(db, label, _where(db, sugs)) as j:
        for sug, (start, end) in zip(sugs, spans, strict=True):
            j.touch("suggestions", sug.id)
            coding = apply_codes(db, sug.segment_id, (start, end), [sug.code_id], coder,
                                 provenance=Provenance.SUGGESTED)[0]  # fmt: skip
            sug_store.decide(db, sug.id, sug_store.ACCEPTED, coder, coding.id)
            out.append(coding)
        persist.write(ws, coders={coder})
    return out


def reject_many(target: Target, ids: list[int], coder: str) -> int:
    """Reject; they are not proposed again. One journaled action; returns how many."""
    db, _ws = begin(target)
    sugs = pending(db, ids)
    label = (_("reject {code}").format(code=sugs[0].code_id) if len(sugs) == 1 else
             ngettext("reject {n} suggestion", "reject {n} suggestions", len(sugs)).format(
                 n=len(sugs)))  # fmt: skip
    with journal.action(db, label, _where(db, sugs)) as j:
        for sug in sugs:
            j.touch("suggestions", sug.id)
            sug_store.decide(db, sug.id, sug_store.REJECTED, coder)
    return len(sugs)


def reject_for(target: Target, suggestion_id: int, coder: str, other_code: str) -> Coding:
    """Reject a suggestion as «another code»: the coder names the code that fits these words,
    and they are coded with it — the rejection, the coding and its memo naming the suggested
    code («instead of the suggested BUR.DELAY», in the study's language: the layer file is
    the team's) are one journaled action, one undo. A pending suggestion of that other code
    on the same turn is the coder's choice too: accepted with the coding, not left queued."""
    db, ws = begin(target)
    sug = pending(db, [suggestion_id])[0]
    other = resolve_code_id(db, other_code)
    if other == sug.code_id:
        raise InvalidInput(_("{code} is the suggested code itself: accept the suggestion "
                             "instead").format(code=other))  # fmt: skip
    span = _spans([sug], None)[0]
    note = N_("instead of the suggested {code}")
    memo = (ws.study.written(note) if ws is not None else _(note)).format(code=sug.code_id)
    label = _("reject {code}: {other} instead").format(code=sug.code_id, other=other)
    with journal.action(db, label, _where(db, [sug])) as j:
        j.touch("suggestions", sug.id)
        coding = apply_codes(db, sug.segment_id, span, [other], coder, memo)[0]
        sug_store.decide(db, sug.id, sug_store.REJECTED, coder, coding.id)
        for twin in sug_store.pending_on(db, sug.segment_id, other):
            j.touch("suggestions", twin)
            sug_store.decide(db, twin, sug_store.ACCEPTED, coder, coding.id)
        persist.write(ws, coders={coder})
    return coding


def accept(
    target: Target, suggestion_id: int, coder: str, span: tuple[int, int] | None = None
) -> Coding:
    """Accept one suggestion (optionally with an edited span); see `accept_many`."""
    return accept_many(target, [suggestion_id], coder, span)[0]


def reject(target: Target, suggestion_id: int, coder: str) -> None:
    reject_many(target, [suggestion_id], coder)


def accept_all(target: Target, coder: str, min_score: float, code: str | None = None) -> int:
    """Only on explicit request (`qualtool suggest accept-all`); one undoable action."""
    db, _ws = begin(target)
    ids = [s.id for s in sug_store.queue(db, code=code, min_score=min_score, limit=1_000_000)]
    if not ids:
        return 0
    with journal.action(db, _("accept all suggestions")):
        return len(accept_many(target, ids, coder))
