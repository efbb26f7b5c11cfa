"""Choose representative quotes for a section.

Pinned ("key quote") first; then greedily the best-scoring candidate that adds a respondent or
recording not yet heard from, is within length bounds, starts and ends like a sentence, and is
not a near-duplicate (rapidfuzz) of one already chosen — two coders marking the same words, or
a respondent repeating themselves, must not fill a section.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from qualtool.report.quotes import Quote

MIN_CHARS, MAX_CHARS = 25, 400
NEAR_DUPLICATE = 85.0


def quality(q: Quote) -> float:
    text = q.text.strip()
    score = 0.0
    n = len(text)
    if MIN_CHARS <= n <= MAX_CHARS:
        score += 2.0
    elif n < MIN_CHARS:
        score -= 1.0 + (MIN_CHARS - n) / MIN_CHARS
    else:
        score -= (n - MAX_CHARS) / MAX_CHARS
    if text[:1].isupper():
        score += 0.5
    if text[-1:] in ".!?…":
        score += 0.5
    if q.memo:
        score += 0.25  # the coder said something about it
    return score


def _gain(q: Quote, heard: set[str], recs: set[str]) -> float:
    novelty = (q.respondent not in heard) * 1.5 + (q.recording not in recs) * 1.0
    return quality(q) + novelty


def representative(candidates: list[Quote], k: int = 3) -> list[Quote]:
    chosen: list[Quote] = []

    def duplicate(q: Quote) -> bool:
        return any(fuzz.partial_ratio(q.text, c.text, score_cutoff=NEAR_DUPLICATE) for c in chosen)

    for q in sorted((q for q in candidates if q.pinned), key=lambda q: -quality(q)):
        if not duplicate(q):
            chosen.append(q)
    pool = [q for q in candidates if not q.pinned]
    while len(chosen) < k and pool:
        heard = {c.respondent for c in chosen}
        recs = {c.recording for c in chosen}

        pool.sort(key=lambda q: (-_gain(q, heard, recs), q.recording, q.coding_id))
        q = pool.pop(0)
        if not duplicate(q):
            chosen.append(q)
    return chosen
