"""The "why" of a suggestion, stored without a language and read in the viewer's.

Auto-coding runs on one machine and its reasons are read on others, by coders whose interface
speaks another language, so a reason is stored as facts, not as a sentence: a compact JSON list
of parts (joined by "; " when shown), each a list of pieces (joined by " · "), each piece the
English message id and its values — `[["words: {words}", {"words": "справка"}]]`; a counted
piece has [singular, plural] as its id and `n` among its values. `render` translates it when it
is shown. Reasons stored before this (already a sentence in somebody's language) are shown as
they are. Numbers are stored rounded as they are shown, so the text is what it always was and the
stored form (which decided suggestions carry into codings/<coder>.json) is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from qualtool.i18n import N_, NN_, _, ngettext
from qualtool.i18n.numbers import fmt

WORDS = N_("words: {words}")
KAZAKH_WORDS = N_("Kazakh words: {words}")
WEAK = NN_("{n} word of its definition", "{n} words of its definition")
LIKE_CODED = N_("like team coding «{text}» ({similarity:.2f})")
LIKE_EXAMPLE = N_("like example «{text}» ({similarity:.2f})")
LIKE = N_("like «{text}»")
REFUSED = N_("the team refused passages like this for this code")
CODED = N_("the team coded passages like this with this code")
LEXICAL = N_("lexical {score:.1f}")
MEANING = N_("meaning {example:.2f}/{definition:.2f}")
EXCLUSION = N_("exclusion −{value:.2f}")
KAZAKH = N_("Kazakh: lexical only (no Kazakh vectors)")
NO_VECTOR = N_("lexical only (no word with a vector)")
CRITERIA = N_("exclusion criteria: {words}")
ANSWERS = N_("a short answer to a question about it")
DENIES = N_("a short «no» to a question about a barrier")
SHAPES = N_("word forms {share:.2f}")
SECOND = N_("another code fits this turn better")

_SINGLE = {WORDS, KAZAKH_WORDS, LIKE_CODED, LIKE_EXAMPLE, LIKE, REFUSED, CODED, LEXICAL, MEANING, EXCLUSION,
           KAZAKH, NO_VECTOR, CRITERIA, ANSWERS, DENIES, SHAPES, SECOND}  # fmt: skip
_PLURAL = {WEAK}

Piece = list[Any]  # [message id, {values}]; the id is [singular, plural] for a counted piece


EXCERPT = 60  # characters of a passage a reason quotes


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a passage a reason quotes, cut after a whole word and marked «…» when cut,
    so it never ends inside a word («…с док»)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:—-") + "…"


def piece(message: str | tuple[str, str], **values: Any) -> Piece:
    return [list(message) if isinstance(message, tuple) else message, values]


def encode(parts: list[list[Piece]]) -> str:
    """The stored form: compact, key order fixed, non-ASCII as is (names stay searchable and
    anonymisable in the text)."""
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode(stored: str) -> list[list[Piece]] | None:
    """The parts of a stored reason, or None for a plain-text reason (written before)."""
    if not stored.startswith("[["):
        return None
    try:
        parts = json.loads(stored)
    except ValueError:
        return None
    ok = isinstance(parts, list) and all(
        isinstance(part, list) and all(_is_piece(p) for p in part) for part in parts
    )
    return parts if ok else None


def _is_piece(p: Any) -> bool:
    if not (isinstance(p, list) and len(p) == 2 and isinstance(p[1], dict)):
        return False
    mid = p[0]
    return isinstance(mid, str) or (
        isinstance(mid, list) and len(mid) == 2 and all(isinstance(m, str) for m in mid)
    )


def render(stored: str) -> str:
    """The reason in the interface language now in use; a plain-text one as it is."""
    parts = decode(stored)
    if parts is None:
        return stored
    return "; ".join(" · ".join(_render_piece(p) for p in part) for part in parts)


def _render_piece(p: Piece) -> str:
    mid, values = p
    if isinstance(mid, list):
        singular, plural = mid
        n = values.get("n", 0)
        known = (singular, plural) in _PLURAL and isinstance(n, int)
        text = ngettext(singular, plural, n) if known else singular
    else:
        text = _(mid) if mid in _SINGLE else mid
    try:
        return fmt(text, **values)  # «0,42» in Russian
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text  # a damaged or unknown piece: its words, never a crash


def map_text(stored: str, fn: Callable[[str], str]) -> str:
    """`fn` applied to the text a reason quotes (words, examples), the stored form kept —
    how anonymisation reaches names inside a reason; a plain-text reason as a whole."""
    parts = decode(stored)
    if parts is None:
        return fn(stored)
    return encode([
        [[mid, {k: fn(v) if isinstance(v, str) else v for k, v in values.items()}]
         for mid, values in part]
        for part in parts
    ])  # fmt: skip
