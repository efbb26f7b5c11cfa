"""The person keys earlier releases gave a word, so a study anonymised then keeps its numbers.

A vault's numbering is keyed by HMAC(secret, kind + key) and the key cannot be read back, so
the old entries cannot be rewritten; instead, a person seen for the first time under the new
key (`names.identity`) inherits the number an earlier release gave one of the case forms of
that name (`Pseudonymiser`). This module says which keys those were: `old_key` is the earlier
rule, kept verbatim (do not «fix» it: its bugs are what the vaults hold — «Гульнары» →
«гульнар», «Жумабаев» → «жумабай», «Сергеевич» → «сергеев»), and `paradigm` lists the old keys
of every case form that now shares one key. Case-folded keys changed twice since: a woman's
name ending in a consonant («Шолпаны», «Гульнура») folds to its stem now (`names._consonant_stem`);
`folded_key` is the case-folded key before that, `folded_paradigm` those of a key's forms. And
a key is in Russian letters now (`names.fold_kazakh`: «Айгерім» is «айгерим»); `spelt_key` is
the key before that, as the word was spelt, and `spelt_paradigm` those of every spelling of a
key (`spellings`) and of its forms. The forms of the two releases before that are asked for in
Russian letters and as the span at hand spells them (`spelt_of`), not in every spelling. Last,
a key drops the soft sign Kazakh spelling omits (`names.fold`: «Гульнара» is «гулнара»);
`lettered_key` is the key before that, and `with_soft_signs` the keys a person's key now may
have had then, each the key every rule above is asked with (`pseudonyms.Pseudonymiser`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import combinations, product

from qualtool.nlp import analyzer, normalise
from qualtool.privacy.first_names import LEGACY_FIRST_NAMES, SPELT_FIRST_NAMES
from qualtool.privacy.names import (
    _KAZAKH_LETTER,
    _KK_SUFFIX,
    _NAME_TAGS,
    PATRONYMIC,
    SURNAME,
    _identity,
    capitalised,
    fold_kazakh,
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
_KK_FEMININE = ("ның", "ға", "ны", "да", "дан", "мен")  # after a woman's surname, «-ова»


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
    return _identity(word, stems=False, lexicon=LEGACY_FIRST_NAMES, feminine=False)


@lru_cache(maxsize=100_000)
def spelt_key(word: str) -> str:
    """The key the release before `names.fold_kazakh` gave this word (its vaults hold it under
    `pseudonyms.CASE_FOLDED`), Kazakh letters as spelt: «Айгерім» → «айгерім», «Жұмабаевқа» →
    «жұмабаев», where both are in Russian letters now."""
    return _identity(word, stems=True, lexicon=SPELT_FIRST_NAMES, feminine=False)


@lru_cache(maxsize=100_000)
def lettered_key(word: str) -> str:
    """The key the release before `names.fold` gave this word (its vaults hold it under
    `pseudonyms.CASE_FOLDED`): in Russian letters, the soft sign kept — «Гульнара» →
    «гульнара», «Айгуль» → «айгуль», where both are without it now; and a listed name's
    spelling without it was not listed («Гулнары» → «гулнар»)."""
    return fold_kazakh(_identity(word, stems=True, folding=False))


# a consonant a soft sign may have followed in a key (`names.fold` dropped it there): before
# another consonant, or at the end after the ones a name ends softly in (Асель, Игорь, Рустем
# never had one: -в, -м, -с … are left out, so a key is not asked for twice as many spellings)
_SOFT_SPOT = re.compile("[бвгджзклмнпрстфхцчшщ](?=[бвгджзклмнпрстфхцчшщ])|[лнр]$")
# at most this many keys of a whole name are asked for (fewest soft signs first)
_MOST_SOFT = 16


@lru_cache(maxsize=20_000)
def with_soft_signs(key: str) -> tuple[str, ...]:
    """The keys the release before `names.fold` may have given the person whose key is `key`
    now, one per way of writing a soft sign where `names.fold` drops one («гулнара» →
    «гулнара», «гульнара»; «айгул» → «айгул», «айгуль»), `key` itself first; deterministic."""
    words = key.split()
    each = [[m.end() for m in _SOFT_SPOT.finditer(w)] for w in words]
    flat = [(i, at) for i, spots in enumerate(each) for at in spots]
    out: list[str] = []
    for n in range(len(flat) + 1):
        for chosen in combinations(flat, n):
            ws = []
            for i, w in enumerate(words):
                cut = sorted((at for j, at in chosen if j == i), reverse=True)
                for at in cut:
                    w = w[:at] + "ь" + w[at:]
                ws.append(w)
            out.append(" ".join(ws))
            if len(out) >= _MOST_SOFT:
                return tuple(out)
    return tuple(out)


# the Kazakh letters a Russian letter of a key stands for (`names.fold_kazakh` reversed)
_KAZAKH_OF = {"а": "ә", "и": "і", "о": "ө", "у": "үұ", "к": "қ", "г": "ғ", "н": "ң", "х": "һ"}
# at most this many spellings of a whole name are asked for (fewest Kazakh letters first): a
# name of two words has 64 of each word's, more than a spelling of it uses
_MOST_SPELLINGS = 4096


@lru_cache(maxsize=20_000)
def _word_spellings(key: str, most: int) -> tuple[str, ...]:
    """`key` and its spellings with Kazakh letters, fewest Kazakh letters first, at most `most`."""
    spots = [i for i, c in enumerate(key) if c in _KAZAKH_OF]
    out: list[str] = []
    for n in range(len(spots) + 1):
        for chosen in combinations(spots, n):
            for letters in product(*(_KAZAKH_OF[key[i]] for i in chosen)):
                word = list(key)
                for i, letter in zip(chosen, letters, strict=True):
                    word[i] = letter
                out.append("".join(word))
                if len(out) >= most:
                    return tuple(out)
    return tuple(out)


def spellings(key: str) -> list[str]:
    """The keys the release before `names.fold_kazakh` may have given the person whose key is
    `key` now, one per spelling of their name («айгерим» → «айгерим», «айгерім», «әйгерим»,
    «әйгерім», …), `key` itself first; deterministic, so every laptop and run asks the same."""
    words = key.split()
    if not words:
        return []
    most = max(2, int(_MOST_SPELLINGS ** (1 / len(words))))
    return [" ".join(c) for c in product(*(_word_spellings(w, most) for w in words))]


_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # the words a person's key is made of


def spelt_of(text: str, key: str) -> str:
    """The key as spelt (`spelt_key`) of a span `text` keyed `key` now; `key` itself where the
    span's words are not its key's (a first name alone keyed as its full name, `lone_names`)."""
    words = _NAME_WORD.findall(text)
    if len(words) != len(key.split()):
        return key
    out = " ".join(spelt_key(w) for w in words)
    return out if fold_kazakh(out) == key else key


@lru_cache(maxsize=20_000)
def _forms(key: str, spelt: str) -> tuple[str, ...]:
    """Every form whose key was `key` before `names.fold` (`lettered_key`: the rules of this
    module are asked with that key), capitalised, made from `key` and from `spelt`, the
    same word as a span spelt it («айгерим», «айгерім»: «Айгерим», «Айгериму», «Айгерім»,
    «Айгерімнің», …); a surname's also as a woman's with a Kazakh ending («Кенжебаеваға»)."""
    forms: set[str] = set()
    for k in {key, spelt}:
        stem = k[:-1] if k[-1:] in "аяьй" else k  # Гульнар|а, Серге|й, Иванов
        forms |= {k, *(stem + end for end in _FORM_ENDINGS), *(k + end for end in _KK_ENDINGS)}
        if k[-2:] in ("ов", "ев"):
            forms |= {k + "а" + end for end in _KK_FEMININE}
    return tuple(sorted(f.capitalize() for f in forms
                        if len(f) >= 2 and lettered_key(f.capitalize()) == key))  # fmt: skip


@lru_cache(maxsize=20_000)
def _word_paradigm(key: str, spelt: str) -> frozenset[str]:
    """The old keys of every form whose new key is `key`."""
    return frozenset(old_key(f, initial) for f in _forms(key, spelt) for initial in (False, True))


@lru_cache(maxsize=20_000)
def _word_folded(key: str, spelt: str) -> frozenset[str]:
    return frozenset(folded_key(f) for f in _forms(key, spelt))


@lru_cache(maxsize=20_000)
def _word_spelt(key: str, spelt: str) -> frozenset[str]:
    return frozenset(spelt_key(f) for f in _forms(key, spelt))


def _combos(key: str, spelt: str | None,
            per_word: Callable[[str, str], frozenset[str]]) -> list[str]:  # fmt: skip
    words = key.split()
    if not words:
        return []
    as_spelt = (spelt or key).split()
    if len(as_spelt) != len(words):
        as_spelt = words
    combos = {" ".join(c) for c in product(*(sorted(per_word(w, s))
                                             for w, s in zip(words, as_spelt, strict=True)))}  # fmt: skip
    return sorted(combos, key=lambda k: (k != key, k))


def paradigm(key: str, spelt: str | None = None) -> list[str]:
    """The old keys of a whole name's case forms («гульнара жумабаев» → «гульнар жумабай», …),
    sorted; `key` itself first when it is one of them. Only the case forms the same name
    takes: «Алиев» is not a form of «Алия», «Гульнар» not one of «Гульнара». The forms are
    those in Russian letters and, given `spelt` (`spelt_of` a span), those spelt like it."""
    return _combos(key, spelt, _word_paradigm)


def folded_paradigm(key: str, spelt: str | None = None) -> list[str]:
    """The case-folded keys the release before gave a whole name's forms whose key is `key`
    now («шолпан» → «шолпан», «шолпаны», «шолпаной», …), sorted like `paradigm`."""
    return _combos(key, spelt, _word_folded)


def spelt_paradigm(key: str, spelt: str | None = None) -> list[str]:
    """The keys the release before `names.fold_kazakh` gave the person whose key is `key` now:
    one per spelling of the name (`spellings`), and those of its forms it keyed apart (a
    woman's surname with a Kazakh ending: «Кенжебаеваға» → «кенжебаеваға»)."""
    return sorted({*spellings(key), *_combos(key, spelt, _word_spelt)})
