"""One suggestion before it is stored: its code, sentence, calibrated score and the evidence
behind it, which `reason_data()` turns into the stored "why" (facts, no language) and
`reason()` into what a coder reads in the CLI and the TUI."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from qualtool.autocode.lexical import Evidence, stem, turn_tokens
from qualtool.domain import Proposal
from qualtool.domain import reason as why
from qualtool.nlp import Token, analyzer

KAZAKH_NOTE = why.KAZAKH
DECIDED_NOTE = 0.3  # the team's vote on similar passages (scoring._decided) worth a mention
SHAPES_NOTE = 0.1  # the n-gram reader's share (grams.py) worth a mention
SECOND_NOTE = 0.5  # log-odds lost to a better code of the same turn worth a mention


@dataclass
class Candidate:
    code_id: str
    start: int
    end: int
    probability: float
    base: float  # before the code's learned offset
    features: dict[str, float]
    lexical: Evidence | None
    example: tuple[str, str, float] | None  # (kind, text, cosine)
    semantic: bool
    excluded: list[str]
    kazakh: bool = False

    def reason_data(self, text: str | None = None) -> str:
        """The reason as stored: facts without a language (`domain.reason`), read in each
        viewer's language. With the turn's `text`, the matched keywords are quoted as the turn
        says them (`said_keywords`)."""
        parts: list[list[why.Piece]] = []
        if self.lexical and self.lexical.keywords:
            shown = said_keywords(self.lexical, text, self.start, self.end)
            parts.append([why.piece(why.WORDS, words=", ".join(dict.fromkeys(shown)))])
        elif self.lexical and self.lexical.weak:
            parts.append([why.piece(why.WEAK, n=self.lexical.weak)])
        if self.lexical and self.lexical.kazakh:
            words = ", ".join(dict.fromkeys(self.lexical.kazakh))
            parts.append([why.piece(why.KAZAKH_WORDS, words=words)])
        if self.example:
            kind, text, sim = self.example
            like = why.LIKE_CODED if kind == "coded" else why.LIKE_EXAMPLE
            parts.append([why.piece(like, text=why.excerpt(text), similarity=round(sim, 2))])
        elif self.lexical and self.lexical.example:
            parts.append([why.piece(why.LIKE, text=why.excerpt(self.lexical.example))])
        f = self.features
        if f.get("question_words", 0.0) > 0:
            parts.append([why.piece(why.ANSWERS)])
        elif f.get("question_denied", 0.0) > 0:
            parts.append([why.piece(why.DENIES)])
        verdict = f.get("decided", 0.0)
        if verdict <= -DECIDED_NOTE:
            parts.append([why.piece(why.REFUSED)])
        elif verdict >= DECIDED_NOTE:
            parts.append([why.piece(why.CODED)])
        if f.get("second_choice", 0.0) >= SECOND_NOTE:
            parts.append([why.piece(why.SECOND)])
        score = [why.piece(why.LEXICAL, score=round(f.get("lex", 0.0), 1))]
        if self.semantic:
            score.append(why.piece(why.MEANING, example=round(f.get("example", 0.0), 2),
                                   definition=round(f.get("definition", 0.0), 2)))  # fmt: skip
            if f.get("exclusion", 0.0) > 0:
                score.append(why.piece(why.EXCLUSION, value=round(f["exclusion"], 2)))
        elif self.kazakh:
            score.append(why.piece(why.KAZAKH))
        elif "grams" not in f:  # scored by the lexical model alone
            score.append(why.piece(why.NO_VECTOR))
        if f.get("grams", 0.0) >= SHAPES_NOTE:
            score.append(why.piece(why.SHAPES, share=round(f["grams"], 2)))
        if self.excluded:
            score.append(why.piece(why.CRITERIA, words=", ".join(self.excluded)))
        parts.append(score)
        return why.encode(parts)

    def reason(self) -> str:
        """The reason as a coder reads it, in the interface language now in use."""
        return why.render(self.reason_data())


def said_keywords(ev: Evidence, text: str | None, start: int = 0, end: int = 0) -> list[str]:
    """Each matched keyword as the turn's own words: keywords match by lemma stem, so the
    codebook's «прийти еще раз» is found in «пришлось ещё раз», and quoting the codebook claimed
    words the coder cannot find in the passage. The words are looked for in the quoted span
    first, then in the rest of the turn, with the tokens and lemmas scoring used; words apart
    in the turn are joined by «…». A keyword without stems or not found (it cannot be: it
    matched) is shown as written."""
    if not text or not ev.stems:
        return list(ev.keywords)
    turn = _turn_words(text)
    words = turn.words
    span = (bisect_left(turn.starts, start), bisect_right(turn.ends, end))
    found: list[tuple[str, frozenset[int]]] = []
    for k, written in enumerate(ev.keywords):
        stems = ev.stems[k] if k < len(ev.stems) else ()
        picked = sorted({_first(turn.at.get(st, ()), span) for st in stems} - {-1})
        if stems and len(picked) == len(set(stems)):
            found.append((_joined(words, picked), frozenset(picked)))
        else:
            found.append((written, frozenset()))
    # «раз» beside «пришлось ещё раз»: the same word of the turn is quoted once
    return [said for said, at in found
            if not any(at and at < other for _, other in found)]  # fmt: skip


@dataclass(frozen=True)
class _TurnWords:
    words: list[Token]
    starts: list[int]
    ends: list[int]
    at: dict[str, list[int]]  # lemma stem → the words having it, in turn order


@lru_cache(maxsize=64)
def _turn_words(text: str) -> _TurnWords:
    """The turn's words and where each lemma stem stands, once per turn (its proposals come one
    after another), from the tokens scoring cached (`turn_tokens`)."""
    words = [t for t in turn_tokens(analyzer("ru"), text) if t.is_word]
    at: dict[str, list[int]] = {}
    for n, t in enumerate(words):
        at.setdefault(stem(t.lemma), []).append(n)
    return _TurnWords(words, [t.start for t in words], [t.end for t in words], at)


def _first(places: Sequence[int], span: tuple[int, int]) -> int:
    """The first of a stem's `places` inside the quoted span (words span[0]..span[1]-1), else
    the first in the rest of the turn, or -1."""
    a, b = span
    inside = next((n for n in places if a <= n < b), -1)
    return inside if inside >= 0 else (places[0] if places else -1)


def _joined(words: list[Token], picked: list[int]) -> str:
    """The picked words in turn order; «…» where the turn has other words between them."""
    out = words[picked[0]].text
    for prev, n in pairwise(picked):
        out += (" " if n == prev + 1 else " … ") + words[n].text
    return out


def proposal(segment_id: int, text: str, c: Candidate) -> Proposal:
    return Proposal(segment_id, c.code_id, c.start, c.end, text[c.start : c.end],
                    round(c.probability, 3), c.reason_data(text))  # fmt: skip
