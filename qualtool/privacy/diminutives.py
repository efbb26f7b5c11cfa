"""A diminutive and the name it is made from: «Айгулька», «Гулечка» of Айгуль or Гульнара,
«Верочка» of Вера, «Серёжа» of Сергей.

Russian speech calls people by diminutives, and each one used to get a pseudonym of its own:
«Имя-1» for Айгуль and «Имя-7» for «Айгулька» told a reader nothing, and showed two people
where there was one. Where the study knows exactly one person whose first name the
diminutive is made from (a shared stem, or a small table of the usual Russian ones), the
diminutive is that person (`links`: the review keys it so, the apply's pseudonymiser too);
where several fit, it keeps its own pseudonym and the review says who it could be.

A capitalised word no dictionary knows, with a diminutive's suffix on a stem a first name
starts with («Айгульку», «Гулечка»), is a name wherever it stands (`is_diminutive`): NER
found «Айгульку» in one sentence and missed it in the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from qualtool.i18n import N_
from qualtool.nlp import analyzer
from qualtool.privacy import names
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.first_names import FIRST_NAMES

# why a diminutive several people's names fit is listed «check» (a message id, shown translated)
SEVERAL = N_("a diminutive of several people's names: replaced on its own; write the full name "
             "to make it theirs")  # fmt: skip
# the usual Russian hypocoristics (keys as `names.identity` gives them: ё → е, nominative)
TABLE: dict[str, tuple[str, ...]] = {
    "сережа": ("сергей",), "серега": ("сергей",), "саша": ("александр", "александра"),
    "женя": ("евгений", "евгения"), "дима": ("дмитрий",), "коля": ("николай",),
    "миша": ("михаил",), "лена": ("елена",), "таня": ("татьяна",), "наташа": ("наталья",),
    "катя": ("екатерина",), "маша": ("мария",), "оля": ("ольга",), "света": ("светлана",),
    "вова": ("владимир",), "володя": ("владимир",), "петя": ("петр",), "ваня": ("иван",),
    "галя": ("галина",), "люба": ("любовь",), "надя": ("надежда",), "юля": ("юлия",),
    "настя": ("анастасия",), "леша": ("алексей",), "паша": ("павел",), "толя": ("анатолий",),
    "витя": ("виктор",), "гена": ("геннадий",), "ира": ("ирина",), "валя": ("валентина",),
    "рома": ("роман",), "костя": ("константин",), "даша": ("дарья",), "аня": ("анна",),
    "люда": ("людмила",), "вика": ("виктория",), "гуля": ("гульнара", "гульмира", "айгуль"),
}  # fmt: skip
# a diminutive's suffix after the stem, before the case ending (the longer first)
_SUFFIX = re.compile(r"(?:ечк|очк|ичк|еньк|оньк|ушк|юшк|уськ|юськ|ульк|юльк|ьк|ик|к|уш|юш|ш)$")
_ENDING = re.compile(r"[аяуюеиоы]+$")


def _stem(key: str) -> str:
    """The stem a diminutive's key is made on: «айгулк» → «айгул», «гулечк» → «гул»,
    «верочка» → «вер»; "" where no suffix is there."""
    bare = _ENDING.sub("", key)
    m = _SUFFIX.search(bare)
    stem = bare[: m.start()] if m else ""
    return names.fold(stem) if len(stem) >= 3 else ""


@lru_cache(maxsize=1)
def _prefixes() -> frozenset[str]:
    """Every beginning (3 letters or more) of a listed first name, folded."""
    return frozenset(names.fold(n)[:k] for n in FIRST_NAMES for k in range(3, len(n) + 1))


@lru_cache(maxsize=20_000)
def is_diminutive(word: str) -> bool:
    """A capitalised word no dictionary knows, a diminutive's suffix on a first name's stem:
    «Айгульку», «Гулечка» (a listed name starts so), «Верочка» (pymorphy's «Вера»)."""
    if not names.capitalised(word) or not word.isalpha():
        return False
    stem = _stem(names.normalise_word(word))  # cheap first: most words end here
    if not stem or not names.unknown_noun(word):
        return False
    if stem in _prefixes():
        return True
    morph = analyzer("ru").morph()
    return any("Name" in p.tag for cand in (stem + "а", stem) for p in morph.parse(cand))


def derives(key: str, first: str) -> bool:
    """The one-word key `key` is a diminutive of the first name keyed `first`."""
    if key == first:
        return False
    if first in {names.fold(f) for f in TABLE.get(key, ())}:
        return True
    stem = _stem(key)
    return bool(stem) and (first.startswith(stem) or first.endswith(stem))


def known_people(entities: Iterable[Entity]) -> dict[str, str]:
    """The people among `entities`: key → a text of theirs (the review's «could be»)."""
    return {e.key: e.text for e in entities if e.kind is Kind.PERSON}


def links(people: Iterable[str]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Among the people's keys, each one-word key that is a diminutive: of exactly one person
    (→ that person's key), or of several (→ theirs, to be listed beside it). A key whose words
    are all in a longer one is that person's («айгул» beside «айгул серикбаевн»)."""
    keys = set(people)
    whole = {k for k in keys if not any(k != o and set(k.split()) < set(o.split()) for o in keys)}
    one: dict[str, str] = {}
    several: dict[str, tuple[str, ...]] = {}
    for k in keys:
        if " " in k or names.listed(k.capitalize()):
            continue  # a full name, or a first name of its own («Серик»)
        fits = sorted(p for p in whole if p != k and derives(k, p.split()[0]))
        if len(fits) == 1:
            one[k] = fits[0]
        elif fits:
            several[k] = tuple(fits)
    return one, several


def fitting(key: str, people: Mapping[str, str]) -> tuple[str, ...]:
    """Who a one-word name found outside the segments (a memo, a recording's notes) may be,
    when it is a diminutive of several of the study's `people` (key → text): their texts, so
    it is listed «check» as in the segments. «Гуля» only a memo held, in a study knowing
    Гульнара and Гульмира, was listed as plainly replaced: no one was asked to check it."""
    one, several = links([*people, key])
    # a person, not another diminutive («Гулечка» is no «Гуля»)
    return tuple(people[p] for p in several.get(key, ())
                 if p in people and p not in one and p not in several)  # fmt: skip
