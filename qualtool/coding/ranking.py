"""Which codes the picker shows, in which order: what the coder typed (case- and ё-blind,
fuzzy over ids, Russian and English labels and definitions), then what fits the selected
words (the auto-coder's score), then what this coder used recently."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from qualtool.domain import Code, Codebook

CUTOFF = 62.0


def fold(text: str | None) -> str:
    return (text or "").lower().replace("ё", "е")


@dataclass(frozen=True)
class Ranked:
    code: Code
    depth: int
    match: float  # how well the typed text matches (100 with nothing typed)
    fit: float  # auto-coder score for the selection
    recent: bool


def _match(query: str, code: Code) -> tuple[int, float]:
    """(tier, score): 3 id or label contains every typed word, 2 a label fuzzily, 1 the
    definition or criteria contain the words, 0 fuzzy only."""
    names = [fold(code.id), fold(code.label_ru), fold(code.label_en)]
    words = query.split()
    if any(all(w in n for w in words) for n in names if n):
        return 3, 100.0
    best = max(fuzz.WRatio(query, n) for n in names if n)
    if best >= 80:
        return 2, best
    body = fold(" ".join(x or "" for x in (code.definition, code.inclusion)))
    if body and all(w in body for w in words):
        return 1, 90.0
    if body and len(query) >= 4:
        best = max(best, 0.9 * fuzz.partial_ratio(query, body))
    return 0, best


def rank(cb: Codebook, query: str, fit: dict[str, float] | None = None,
         recent: list[str] | None = None, limit: int = 40) -> list[Ranked]:  # fmt: skip
    """With nothing typed: the codes that fit the selection, then recent ones, then the whole
    tree in file order. With a query: matches only, best tier first, then fit, recency."""
    fit, recent = fit or {}, recent or []
    tree = list(cb.walk())
    q = fold(query).strip()
    if not q:
        top = sorted((c for _d, c in tree if fit.get(c.id, 0) > 0), key=lambda c: -fit[c.id])[:5]
        seen = {c.id for c in top}
        rec = [cb.get(r) for r in recent if r in cb and r not in seen][:5]
        seen |= {c.id for c in rec}
        head = [Ranked(c, 0, 100.0, fit.get(c.id, 0.0), c.id in recent) for c in [*top, *rec]]
        return head + [Ranked(c, d, 100.0, fit.get(c.id, 0.0), c.id in recent) for d, c in tree]
    scored = []
    for _d, code in tree:
        tier, score = _match(q, code)
        if tier or score >= CUTOFF:
            scored.append((tier, score, code))
    order = {c: n for n, c in enumerate(recent)}
    scored.sort(key=lambda x: (-x[0], -fit.get(x[2].id, 0.0), order.get(x[2].id, len(order)),
                               -x[1]))  # fmt: skip
    return [Ranked(c, 0, s, fit.get(c.id, 0.0), c.id in recent) for _t, s, c in scored[:limit]]
