"""Keeping coded spans on the words they were made on while the text under them changes.

Small edits shift offsets through the edit script (rapidfuzz opcodes, like QualCoder does with
diff-match-patch); when the text under a quote itself changed, the quote is found again by
fuzzy alignment. A span that cannot be found is reported, never silently dropped.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from qualtool.domain.pseudonym import MARKS
from qualtool.domain.spans import snap

MIN_SCORE = 85.0


def shift_span(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    """Map [start, end) in `old` to `new` through the edit script between them."""
    if old == new:
        return start, end
    blocks = _blocks(old, new)

    def mapped(pos: int, is_end: bool) -> int:
        for equal, src_start, src_end, dest_start, dest_end in blocks:
            if src_start <= pos < src_end or (is_end and pos == src_end):
                if equal:
                    return dest_start + (pos - src_start)
                return dest_end if is_end else dest_start
        return len(new)

    s, e = mapped(start, False), mapped(end, True)
    return s, max(e, s)


def _blocks(old: str, new: str) -> list[tuple[bool, int, int, int, int]]:
    """The edit script as (equal?, old range, new range) with each run of deletions and
    insertions joined into one changed block: Indel writes «два» → «ДВА» as an insertion
    then a deletion, and a span starting on the deletion would collapse to nothing."""
    blocks: list[tuple[bool, int, int, int, int]] = []
    for op in Indel.opcodes(old, new):
        equal = op.tag == "equal"
        if blocks and not equal and not blocks[-1][0]:
            _eq, s0, _s1, d0, _d1 = blocks[-1]
            blocks[-1] = (False, s0, op.src_end, d0, op.dest_end)
        else:
            blocks.append((equal, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks


def find_quote(quote: str, text: str, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Best fuzzy occurrence of `quote` in `text`, or None below `min_score`."""
    if not quote or not text:
        return None
    exact = text.find(quote)
    if exact >= 0:
        return exact, exact + len(quote)
    found = fuzz.partial_ratio_alignment(quote.lower(), text.lower(), score_cutoff=min_score)
    if found is None:
        return None
    start, end = snap(text, found.dest_start, found.dest_end)
    return (start, end) if end > start else None


def _likeness(text: str, span: tuple[int, int], quote: str) -> float:
    return fuzz.ratio(text[span[0] : span[1]].lower(), quote.lower())


def reanchor(old: str, new: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where the span [start, end) of `old` (which read `quote`) lies in `new`."""
    if old == new:
        return start, end
    # The edit script can split a changed first letter («. Я» → «, я») from its word; whole
    # words are what a coder selected, so both candidates are widened to words and the one
    # that reads more like the quote wins (the shifted one on a tie: it keeps repeated
    # phrases on the occurrence the coder chose).
    shifted = snap(new, *shift_span(old, new, start, end))
    found = find_quote(quote, new)
    best: tuple[int, int] | None = None
    if shifted[1] > shifted[0] and _likeness(new, shifted, quote) >= MIN_SCORE:
        best = shifted
    if found and (best is None or _likeness(new, found, quote) > _likeness(new, best, quote)):
        best = found
    return best


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (insertions and deletions)."""
    return float(Indel.normalized_similarity(a, b))


def follow_replacement(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a span on words an anonymisation replaced («Бахыт Жумабаев» → «Имя-1») lies in
    the anonymised `new`: through the edit script, when what it maps to holds a replacement
    mark the span did not. The quote itself cannot be found again there (its words are gone),
    and a colleague's pulled `anonymise --apply` must not leave a coding made on the names
    unplaced — refusing the whole pulled transcript — nor memo the names back («was: …»)."""
    s, e = snap(new, *shift_span(old, new, start, end))
    if e <= s:
        return None
    before, after = old[start:end], new[s:e]
    return (s, e) if any(m in after and m not in before for m in MARKS) else None
