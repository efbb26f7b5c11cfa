"""The person keys earlier releases gave a word, so a study anonymised then keeps its numbers.

A vault's numbering is keyed by HMAC(secret, kind + key) and the key cannot be read back, so
the old entries cannot be rewritten; instead, a person seen for the first time under the new
key (`names.identity`) inherits the number an earlier release gave one of the case forms of
that name (`Pseudonymiser`). This module says which keys those were: `old_key` is the earlier
rule, kept verbatim (do not «fix» it: its bugs are what the vaults hold — «Гульнары» →
«гульнар», «Жумабаев» → «жумабай», «Сергеевич» → «сергеев»), and `paradigm` lists the old keys
of every case form that now shares one key. Case-folded keys changed once since: a woman's
name ending in a consonant («Шолпаны», «Гульнура») folds to its stem now (`names._consonant_stem`);
`folded_key` is the case-folded key before that, `folded_paradigm` those of a key's forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

from qualtool.nlp import analyzer, normalise
from qualtool.privacy.first_names import LEGACY_FIRST_NAMES
from qualtool.privacy.names import (
    _KAZAKH_LETTER,
    _KK_SUFFIX,
    _NAME_TAGS,
    PATRONYMIC,
    SURNAME,
    _identity,
    capitalised,
    identity,
)

# Every ending a Russian name takes (first names, -ов/-ин surnames, -ский, patronymics): a
# key's stem (its final vowel, «ь» or «й» dropped) plus one of these covers its paradigm.
_FORM_ENDINGS = ("", "а", "я", "у", "ю", "е", "ы", "и", "ь", "й", "ом", "ем", "ой", "ей", "ою",
                 "ею", "ым", "им", "ых", "их", "ами", "ями", "ыми", "ими", "ью", "ий", "ого",
                 "его", "ому", "ему", "ая", "ую", "ие")  # fmt: skip
# Kazakh case endings after the whole name: «Шолпанның», «Гүлнараға» were keys of their own once
_KK_ENDINGS = ("ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "ны", "ні",
               "ды", "ді", "ты", "ті", "да", "де", "та", "те", "дан", "ден", "тан", "тен",
               "нан", "нен", "мен", "бен", "пен")  # fmt: skip


_OLD_ENDINGS = ("ами", "ому", "ему", "ой", "ей", "ом", "ем", "ым", "им", "ых", "ах", "ям",
                "а", "я", "у", "ю", "е", "ы", "и", "ь")  # fmt: skip


def _old_lexicon_base(low: str) -> str | None:
    if low in LEGACY_FIRST_NAMES:
        return low
    kk = _KK_SUFFIX.search(low)
    if kk and low[: kk.start()] in LEGACY_FIRST_NAMES:
        return low[: kk.start()]
    for end in _OLD_ENDINGS:
        if low.endswith(end) and len(low) - len(end) >= 3:
            base = low[: -len(end)]
            for cand in (base, base + "а", base + "я", base + "ь"):
                if cand in LEGACY_FIRST_NAMES:
                    return cand
    return None


def _old_strip(low: str) -> str:
    for end in ("ой", "ом", "ым", "ых", "ой", "у", "е", "ы", "а", "ем", "ич"):
        if (
            low.endswith(end)
            and len(low) - len(end) >= 4
            and re.search(r"(ов|ев|ин|ын|ович|евич|ичн|овн|евн)$", low[: -len(end)])
        ):
            return low[: -len(end)]
    return low


@lru_cache(maxsize=100_000)
def _old_name_part(word: str, sentence_initial: bool) -> str:
    """The stem the earlier `names.name_part` returned ("" where it said «not a name»)."""
    if not capitalised(word) or not re.fullmatch(r"[\w-]+", word) or any(c.isdigit() for c in word):
        return ""
    low = normalise(word)
    base = _old_lexicon_base(low)
    if base:
        return base
    if PATRONYMIC.search(low):
        return _old_strip(low)
    parses = analyzer("ru").morph().parse(word)
    for p in parses[:1] if sentence_initial else parses[:4]:
        if any(tag in p.tag for tag in _NAME_TAGS) and p.score >= 0.1:
            return _old_strip(normalise(p.normal_form))
    top = parses[0]
    if SURNAME.search(low) and (not sentence_initial or not top.is_known):
        known = top.is_known and not any(t in top.tag for t in _NAME_TAGS)
        if not known or ("Geox" not in top.tag and top.score < 0.5):
            return _old_strip(low)
    if not sentence_initial and _KAZAKH_LETTER.search(low) and not top.is_known:
        return low
    return ""


def old_key(word: str, sentence_initial: bool) -> str:
    """The key the earlier detector gave this word of a found name (its NER and «joined»
    words fell back to the mid-sentence reading, then to the word itself)."""
    return _old_name_part(word, sentence_initial) or _old_name_part(word, False) or normalise(word)


@lru_cache(maxsize=100_000)
def folded_key(word: str) -> str:
    """The case-folded key the release before `names._consonant_stem` gave this word (its
    vaults hold it under `pseudonyms.CASE_FOLDED`): «Шолпаны» → «шолпаны», «Гульнура» →
    «гульнура», where both are «шолпан», «гульнур» now."""
    return _identity(word, stems=False, lexicon=LEGACY_FIRST_NAMES)


def _forms(key: str) -> list[str]:
    """Every form whose new key is `key`, capitalised."""
    stem = key[:-1] if key[-1:] in "аяьй" else key  # Гульнар|а, Серге|й, Иванов
    forms = {key, *(stem + end for end in _FORM_ENDINGS), *(key + end for end in _KK_ENDINGS)}
    return sorted(f.capitalize() for f in forms if len(f) >= 2 and identity(f.capitalize()) == key)


@lru_cache(maxsize=20_000)
def _word_paradigm(key: str) -> frozenset[str]:
    """The old keys of every form whose new key is `key`."""
    return frozenset(old_key(f, initial) for f in _forms(key) for initial in (False, True))


@lru_cache(maxsize=20_000)
def _word_folded(key: str) -> frozenset[str]:
    return frozenset(folded_key(f) for f in _forms(key))


def _combos(key: str, per_word: Callable[[str], frozenset[str]]) -> list[str]:
    words = key.split()
    if not words:
        return []
    combos = {" ".join(c) for c in product(*(sorted(per_word(w)) for w in words))}
    return sorted(combos, key=lambda k: (k != key, k))


def paradigm(key: str) -> list[str]:
    """The old keys of a whole name's case forms («гульнара жумабаев» → «гульнар жумабай», …),
    sorted; `key` itself first when it is one of them. Only the case forms the same name
    takes: «Алиев» is not a form of «Алия», «Гульнар» not one of «Гульнара»."""
    return _combos(key, _word_paradigm)


def folded_paradigm(key: str) -> list[str]:
    """The case-folded keys the release before gave a whole name's forms whose key is `key`
    now («шолпан» → «шолпан», «шолпаны», «шолпаной», …), sorted like `paradigm`."""
    return _combos(key, _word_folded)
