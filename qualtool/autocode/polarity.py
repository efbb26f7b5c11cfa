"""Tone of a sentence: praise, and problems explicitly denied («никаких проблем не было»).

Averaged word vectors cannot see negation: «никаких препятствий не было» sits right next to the
barrier codes, because «препятствие» is a barrier word. These two cues, read from the lemmas,
let the calibration move such a sentence towards the codebook's positive codes (polarity
`positive`) and away from the barriers.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRAISE = _words(
    "удобно удобный быстро быстрый вежливый вежливо порадовать радовать приятно приятный молодец "
    "спасибо благодарный довольный доволен понравиться нравиться отлично отличный прекрасно "
    "замечательно гладко легко внимательный отзывчивый оперативно оперативный любезный "
    "профессионально удивить"
)
PROBLEM = _words(
    "проблема трудность сложность препятствие барьер бюрократия волокита претензия нарекание "
    "задержка сбой загвоздка заминка коррупция взятка"
)
NEGATORS = _words("никакой нет без ни отсутствовать")
HAPPEN = _words("быть возникнуть возникать вызвать вызывать случиться случаться")
SMOOTH = _words("гладко нормально спокойно хорошо отлично быстро")
NEVER = _words("такой случай раз ни никогда")  # «не было такого / ни разу не было, чтобы …»
WINDOW = 3  # words between a negator and the problem it denies


def praise(lemmas: Sequence[str]) -> float:
    """Praise words in the sentence (0–1), unless the sentence itself negates them («не очень
    удобно», «какое там удобно» are no praise)."""
    hits = 0
    for n, lemma in enumerate(lemmas):
        before = lemmas[max(0, n - 2) : n]
        if lemma in PRAISE and "не" not in before and not _scoffed(before):
            hits += 1
    return min(hits, 2) / 2


def _scoffed(before: Sequence[str]) -> bool:
    """«Какое там удобно», «куда там быстро»: the praise word is scoffed at, not given."""
    return len(before) == 2 and before[0] in ("какой", "куда") and before[1] == "там"


def denial(lemmas: Sequence[str]) -> float:
    """1 when the sentence says a problem did not happen: a problem word with a negator within
    `WINDOW` words («никаких препятствий», «без бюрократии», «проблем не было»), or «всё прошло
    гладко»."""
    for n, lemma in enumerate(lemmas):
        if lemma in PROBLEM:
            near = lemmas[max(0, n - WINDOW) : n + WINDOW + 1]
            if any(x in NEGATORS for x in near):
                return 1.0
            if any(x == "не" and y in HAPPEN for x, y in pairwise(near)):
                return 1.0
        if lemma == "пройти" and any(x in SMOOTH for x in lemmas[n + 1 : n + 3]):
            return 1.0
        if lemma == "чтобы" and _never_before(lemmas[:n]):
            return 1.0
    return 0.0


def _never_before(before: Sequence[str]) -> bool:
    """«Ни разу не было, чтобы ЭЦП не сработала», «не было такого, чтобы отказали»: what follows
    «чтобы» never happened. Only «не было» with nothing but never-words before «чтобы» counts:
    «не было возможности, чтобы…» is itself a complaint."""
    for k in range(len(before) - 1, 0, -1):
        if before[k - 1] == "не" and before[k] in HAPPEN:
            return all(x in NEVER for x in before[k + 1 :])
        if before[k] not in NEVER:
            return False
    return False
