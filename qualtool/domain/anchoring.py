"""Keeping coded spans on the words they were made on while the text under them changes.

Small edits shift offsets through the edit script (rapidfuzz opcodes, like QualCoder does with
diff-match-patch); when the text under a quote itself changed, the quote is found again by
fuzzy alignment. A span that cannot be found is reported, never silently dropped.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

MIN_SCORE = 85.0


def shift_span(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    """Map [start, end) in `old` to `new` through the edit script between them."""
    if old == new:
        return start, end

    def mapped(pos: int, is_end: bool) -> int:
        for op in Indel.opcodes(old, new):
            if op.src_start <= pos < op.src_end or (is_end and pos == op.src_end):
                if op.tag == "equal":
                    return op.dest_start + (pos - op.src_start)
                return op.dest_end if is_end else op.dest_start
        return len(new)

    s, e = mapped(start, False), mapped(end, True)
    return s, max(e, s)


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
    return _trim(text, found.dest_start, found.dest_end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def reanchor(old: str, new: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where the span [start, end) of `old` (which read `quote`) lies in `new`."""
    if old == new:
        return start, end
    s, e = shift_span(old, new, start, end)
    if e > s and fuzz.ratio(new[s:e].lower(), quote.lower()) >= MIN_SCORE:
        return s, e
    return find_quote(quote, new)
