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
    "профессионально удивить хороший выручить"
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
SO_THAT = _words("чтобы чтоб")
THAT = _words("это такой")  # «этого нет», «такого не было»: the thing just asked about
EVERYTHING_FINE = _words("нормально хорошо человечески чисто спокойно гладко отлично прекрасно")
BARE_DENIAL = _words(  # a whole answer made of these, with «не было» in it, denies what was asked
    "нет не быть такой это ну да никогда ни раз никакой вообще у мы я слава бог"
)
CONTRAST = _words("но однако только зато")  # «проблем не было, но очередь…»: a complaint follows
# the words a denial can hang on: every other word is skipped without building its windows
# (that skipping halved the polarity checks on 1M words)
_DENIAL_AT = PROBLEM | THAT | SO_THAT | {"вопрос", "пройти", "все", "жаловаться"}


def praise(lemmas: Sequence[str]) -> float:
    """Praise words in the sentence (0–1), unless the sentence itself negates them («не очень
    удобно», «какое там удобно» are no praise)."""
    hits = 0
    for n, lemma in enumerate(lemmas):
        if lemma not in PRAISE:
            continue
        before = lemmas[max(0, n - 2) : n]
        if "не" not in before and not _scoffed(before):
            hits += 1
    return min(hits, 2) / 2


def _scoffed(before: Sequence[str]) -> bool:
    """«Какое там удобно», «куда там быстро»: the praise word is scoffed at, not given."""
    return len(before) == 2 and before[0] in ("какой", "куда") and before[1] == "там"


def denial(lemmas: Sequence[str]) -> float:
    """1 when the sentence says a problem did not happen: a problem word with a negator within
    `WINDOW` words («никаких препятствий», «без бюрократии», «проблем не было»), «всё прошло
    гладко», «всё нормально было», «не жалуюсь», «этого нет», a bare «нет, не было» — unless a
    complaint follows it («проблем не было, но очередь…»)."""
    at = _denied_at(lemmas)
    if at is None or any(x in CONTRAST for x in lemmas[at:]):
        return 0.0
    return 1.0


def _denied_at(lemmas: Sequence[str]) -> int | None:
    """Where the sentence's first denial is, if it has one."""
    if "быть" in lemmas and "не" in lemmas and all(x in BARE_DENIAL for x in lemmas):
        return 0
    for n, lemma in enumerate(lemmas):
        if lemma not in _DENIAL_AT:
            continue
        before, near = lemmas[max(0, n - 2) : n], lemmas[max(0, n - WINDOW) : n + WINDOW + 1]
        if lemma in PROBLEM and (
            any(x in NEGATORS for x in near)
            or any(x == "не" and y in HAPPEN for x, y in pairwise(near))
        ):
            return n
        if lemma == "вопрос" and before[-1:] == ["никакой"]:  # «никаких вопросов»
            return n
        if lemma == "пройти" and any(x in SMOOTH for x in lemmas[n + 1 : n + 3]):
            return n
        if (
            lemma == "все"
            and "не" not in before
            and any(x in EVERYTHING_FINE for x in lemmas[n + 1 : n + 3])
        ):
            return n
        if lemma == "жаловаться" and ("не" in before or "грех" in lemmas[max(0, n - 3) : n]):
            return n
        if lemma in THAT and _denied_to_end(lemmas[n + 1 :]):
            return n
        if lemma in SO_THAT and _never_before(lemmas[:n]):
            return n
    return None


def _denied_to_end(rest: Sequence[str]) -> bool:
    """«Этого нет», «такого не было» closing the sentence (not «этого нет в перечне»)."""
    return list(rest) in (
        ["нет"],
        ["не", "быть"],
        ["не", "быть", "никогда"],
        ["никогда", "не", "быть"],
    )


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


def leanings(texts: Sequence[Sequence[str]]) -> tuple[float, float]:
    """How a positive code leans, read from its own lemmatised texts (definition, include,
    examples): (denial, praise), each 1 or 0. A codebook that keeps «no barrier» apart from
    «praise» should have a denial not vote for praise, nor praise for «no barrier»; a code whose
    texts show neither tone takes both."""
    deny = sum(denial(t) for t in texts)
    laud = sum(praise(t) > 0 for t in texts)
    if not deny and not laud:
        return 1.0, 1.0
    return float(deny >= laud), float(laud >= deny)
