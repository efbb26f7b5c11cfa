"""Is this word part of a person's name? Russian and Kazakh name forms, in any case.

natasha's NER is trained on Russian news; interviews add Kazakh first names it has not seen,
Kazakh patronymics (-ұлы, -қызы, -улы, -кызы), Russian patronymics (-ович, -овна, -евна) and
surnames declined in Russian («Нурлановой», «Сейткалиеву»). These rules catch what NER misses;
the word's `identity` folds its case forms and its Kazakh spelling together so one person gets
one pseudonym (`legacy_keys` keeps the keys of earlier releases, whose vaults number people by
them).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qualtool.nlp import analyzer, normalise
from qualtool.privacy.first_names import FIRST_NAMES, KAZAKH_WORDS

_CASE = r"(?:а|я|у|ю|ом|ем|ым|им|ой|ей|е|ы|и|ых|ым)?"
PATRONYMIC = re.compile(rf"(?:ович|евич|ьич|овн|евн|ичн|инична|[уұү]лы|[кқ]ызы){_CASE}$")
SURNAME = re.compile(
    rf"(?:[бв]аев|бек[oо]в|ов|ев|ёв|ин|ын|ская|ский|цкий|цкая|ова|ева|ина|ына|енко|ук|юк|жанов)"
    rf"{_CASE}$"
)
# a surname with a Kazakh case ending («Кенжебаевқа», «Кенжебаевамен»): not in SURNAME, which
# the earlier releases' keys are reproduced with (`legacy_keys`)
_KAZAKH_SURNAME = re.compile(
    r"(?:ов|ев|ин|ын)(?:тың|тің|дың|дің|нің|қа|ке|ға|ге|та|те|да|де|тан|тен|дан|ден|нан|нен|"
    r"ты|ті|ды|ді|пен|бен|мен)$|[ое]ва(?:ның|ға|ны|да|дан|мен)$"
)
_NAME_TAGS = ("Name", "Surn", "Patr")
KAZAKH_LETTER = re.compile("[әіңғүұқөһ]")
_KAZAKH_LETTER = KAZAKH_LETTER  # the name `legacy_keys` imports
_ENDINGS = ("ами", "ому", "ему", "ою", "ею", "ой", "ей", "ом", "ем", "ым", "им", "ых", "ах",
            "ям", "а", "я", "у", "ю", "е", "ы", "и", "ь")  # fmt: skip
# … less «-ым», «-им»: a surname's or an adjective's instrumental, no first name's case. As a
# key's ending it made a Kazakh name with the possessive «-им/-ым» a form of another name —
# «Айгулим» had «Айгүл»'s key (айгул + им, «айгуль» or, folded, «айгул» listed). Such a word is
# still found as a name by them (`name_part`: «Айгулим» is no word); only its key keeps it
# (`identity`). The earlier releases' keys (`legacy_keys`) strip them as they did.
_KEY_ENDINGS = tuple(e for e in _ENDINGS if e not in ("ым", "им"))


# Kazakh case and possessive suffixes on a name: «Жанарға», «Ерланның», «Асельмен»
_KK_SUFFIX = re.compile(
    r"(?:ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|на|не|ны|ні|ды|ді|ты|ті|да|де|та|те|дан|ден|тан|"
    r"тен|нан|нен|мен|бен|пен|ның|ға)$"
)


def _lexicon_base(low: str, lexicon: frozenset[str] = FIRST_NAMES, folding: bool = True,
                  endings: tuple[str, ...] = _ENDINGS) -> str | None:  # fmt: skip
    """The listed first name `low` is a form of. A Russian case ending is tried before a
    Kazakh suffix («Мадины» is Мадина's, not Мади's accusative); a listed consonant name is a
    woman's (Гульнар, not declined in Russian) or a man's, which takes «-ом»: «Гульнары»,
    «Гульнаре» are forms of «Гульнара», «Абылая» of «Абылай». With `folding` a spelling of a
    listed name (`fold`: «Гулнара», «Гулнары» of «Гульнара», «Айгуль» of «Айгүл») is one too,
    returned as the word spells it; the earlier releases' keys (`legacy_keys`) look up without.
    `endings`: the case endings tried (a key's: `_KEY_ENDINGS`)."""
    listed = _folded_in if folding and lexicon is FIRST_NAMES else lexicon.__contains__
    if listed(low):
        return low
    for end in endings:
        if low.endswith(end) and len(low) - len(end) >= 3:
            base = low[: -len(end)]
            cands = (base, base + "ь") if end in ("ом", "ем") else ()
            for cand in (*cands, base + "а", base + "я", base, base + "ь", base + "й"):
                if listed(cand):
                    return cand
    kk = _KK_SUFFIX.search(low)
    if kk and listed(low[: kk.start()]):
        return low[: kk.start()]
    return None


def _folded_in(cand: str) -> bool:
    """`cand` is a listed first name in some spelling of it (`fold`)."""
    return cand in FIRST_NAMES or fold(cand) in _FOLDED_FIRST_NAMES


@lru_cache(maxsize=1_000)
def common_word(base: str) -> bool:
    """The listed name `base` is also a common word (`KAZAKH_WORDS`, or one pymorphy3 knows
    in lower case as no name: «дана», «роза», «канат», «улан»)."""
    if base in KAZAKH_WORDS:
        return True
    skip = (*_NAME_TAGS, "Geox", "Abbr", "Orgn")
    return any(  # the word itself, or a form that is no noun's (a case of a noun is rarer:
        # «динара», the coin's genitive, leaves Динара a name)
        p.is_known and p.score >= 0.1 and not any(t in p.tag for t in skip)
        and (p.normal_form == base or p.tag.POS != "NOUN")
        for p in analyzer("ru").morph().parse(base)
    )  # fmt: skip


def normalise_word(word: str) -> str:
    """`word` as the lexicon and `common_word` read it (ё→е, lower case)."""
    return normalise(word)


def listed(word: str) -> str | None:
    """The listed first name `word` is a form of (any case, Russian or Kazakh), or None."""
    return _lexicon_base(normalise(word)) if capitalised(word) else None


def capitalised(word: str) -> bool:
    return (
        len(word) >= 2 and word[:1].isupper() and not word.isupper() and word.isalpha() is not False
    )


@lru_cache(maxsize=200_000)
def name_part(word: str, sentence_initial: bool) -> tuple[bool, str]:
    """(is it a name part?, its case-independent stem)."""
    if not capitalised(word) or not re.fullmatch(r"[\w-]+", word) or any(c.isdigit() for c in word):
        return False, ""
    low = normalise(word)
    base = _lexicon_base(low)
    if base and sentence_initial and common_word(base):
        return False, ""  # «Дана справка …»: the word; `detect` joins it to a surname after
    if base or PATRONYMIC.search(low):
        return True, identity(word)
    morph = analyzer("ru").morph()
    parses = morph.parse(word)
    for p in parses[:1] if sentence_initial else parses[:4]:
        if any(tag in p.tag for tag in _NAME_TAGS) and p.score >= 0.1:
            return True, identity(word)
    top = parses[0]
    surname = SURNAME.search(low) or _KAZAKH_SURNAME.search(low)
    if surname and (not sentence_initial or not top.is_known):
        known = top.is_known and not any(t in top.tag for t in _NAME_TAGS)
        if not known or ("Geox" not in top.tag and top.score < 0.5):
            return True, identity(word)
    if not sentence_initial and KAZAKH_LETTER.search(low) and not top.is_known:
        return True, identity(word)  # «Әсел», «Айгүл»: a capitalised Kazakh word mid-sentence
    return False, ""


def strong_form(word: str) -> bool:
    """Evidence beyond a guess: a listed first name, a patronymic or surname ending, or a
    confident pymorphy3 name parse (used to confirm NER's guess at a sentence-initial word)."""
    low = normalise(word)
    base = _lexicon_base(low)
    if (base and not common_word(base)) or PATRONYMIC.search(low) or SURNAME.search(low):
        return True
    if _KAZAKH_SURNAME.search(low):
        return True
    top = analyzer("ru").morph().parse(word)[0]
    return any(t in top.tag for t in _NAME_TAGS) and top.score >= 0.5


def unknown_noun(word: str) -> bool:
    """No dictionary word: pymorphy3 only guesses it, as a noun — a diminutive or a Kazakh name
    NER calls a person at a sentence start («Айгулька», «Гулечка», «Кымбат», «Ауез»), not a
    Kazakh word it reads as a participle or an adjective («Маған», «Мекенжайым»)."""
    if len(word) > 9 or normalise(word).endswith(_WORD_SUFFIXES):
        return False  # «Услугодатель», «Санэпидстанция»: a word no dictionary has, no name
    parses = analyzer("ru").morph().parse(word)
    return not any(p.is_known for p in parses) and parses[0].tag.POS == "NOUN"


# the endings of Russian nouns made from words (an agent, an abstract noun), never a name's
_WORD_SUFFIXES = ("тель", "ция", "ство", "ость", "ние", "изм", "ист", "ика", "щик", "чик")


@lru_cache(maxsize=50_000)
def only_a_name(word: str) -> bool:
    """A word in lower case that is no dictionary word but a name's, or none at all: «зауреш»,
    «айгулька» may be a known person written carelessly; «вера», «надежды» are words."""
    if len(word) < 3 or not word.isalpha():
        return False
    return not any(
        p.is_known and not any(t in p.tag for t in _NAME_TAGS)
        for p in analyzer("ru").morph().parse(word)
    )


def read_as_name(word: str) -> bool:
    """pymorphy3 has a first name's reading of `word`, however unlikely: «Вера», «Любовь»,
    «Надежда» — a name where a patronymic or a surname follows (`detect`)."""
    return capitalised(word) and any(
        p.is_known and "Name" in p.tag and p.score >= 0.05
        for p in analyzer("ru").morph().parse(word)
    )


def place_compound(word: str, tagged_location: bool) -> bool:
    """A hyphenated word that names a place, not a person: «Усть-Каменогорске», «Нур-Султана».
    Its parts look like first names on their own (Усть → Устя, Нур, Султан), so the whole is
    asked: pymorphy3 knows it as a place (Geox), or NER tagged it a location and no reading of
    it is a name — «Петров-Водкин», «Салтыков-Щедрин» (which NER calls a location) have
    surname readings and stay people."""
    parses = analyzer("ru").morph().parse(word)
    if any(t in p.tag for p in parses for t in _NAME_TAGS):
        return False
    return tagged_location or any("Geox" in p.tag for p in parses)


def unknown_capitalised(word: str) -> bool:
    """A capitalised word pymorphy3 does not know: a Kazakh name next to a found name part."""
    if not capitalised(word) or not word.isalpha():
        return False
    return not analyzer("ru").morph().parse(word)[0].is_known


# case endings after a surname's -ов/-ев/-ин/-ын and -ск-/-цк- (masculine, feminine, plural)
_SURNAME_FORM = re.compile(
    r"^(?P<root>.{2,}?(?:ов|ев|ин|ын))(?:а|у|ым|ом|ой|ою|е|ы|ых|ыми)?$"
    r"|^(?P<adj>.{2,}?[сц]к)(?:ий|ого|ому|им|ом|ая|ой|ою|ую|ие|их|ими)$"
)
_PATRONYMIC_FORM = re.compile(r"^(?P<root>.+?(?:вич|ьич|ичн|овн|евн))(?:а|у|ем|ом|е|ы|и|ой|ою)?$")
# Kazakh case endings after a surname's consonant («Жумабаевқа», «Ивановтың», «Путинмен»)
_KK_AFTER_SURNAME = re.compile(
    r"(?<=ов|ев|ин|ын)(?:тың|тің|дың|дің|нің|қа|ке|ға|ге|та|те|да|де|тан|тен|дан|ден|нан|нен|"
    r"ты|ті|ды|ді|пен|бен|мен)$"
)
# … and after a woman's -ова/-ева («Кенжебаеваға», «Кенжебаевамен», «Иванованың»): her key is
# the surname's, like «Кенжебаевой» (-ина is left alone: «Машинада» is a car, not a name)
_KK_AFTER_FEMININE = re.compile(r"(?<=[ое]ва)(?:ның|ға|ны|да|дан|мен)$")


# a case ending after a name's final consonant: «Шолпан|ы», «Шолпан|е», «Шолпан|ой», «Ерназар|ом»
# (-и only where spelling wants it: «Карлыгаш|и»)
_CONSONANT_FORM = re.compile(
    r"^(?P<stem>.{2,}[бвгдзклмнпрстфхц])(?:а|ы|у|е|ой|ою|ом)$"
    r"|^(?P<hush>.{2,}[гкхжшчщ])(?:а|и|у|е|ой|ою|ом)$"
)


# Kazakh letters and the Russian letters the same name is written with in Russian
_KAZAKH_FOLD = str.maketrans("әіөүұқғңһ", "аиоуукгнх")


def fold_kazakh(key: str) -> str:
    """`key` in Russian letters: «айгерім» → «айгерим», «жұмабаев» → «жумабаев»."""
    return key.translate(_KAZAKH_FOLD)


# a soft sign not before a vowel: after a consonant, before another or at the word's end
_SOFT_SIGN = re.compile("ь(?![аеёиоуыэюя])")


def fold(key: str) -> str:
    """`key` as a person's key spells it: in Russian letters (`fold_kazakh`) and without the
    soft sign Kazakh spelling leaves out between consonants and at a word's end — «гүлнара»,
    «гульнара», «гулнара» → «гулнара»; «айгүл», «айгуль» → «айгул»; «әсел», «асель» → «асел».
    A soft sign before a vowel stays (it is a sound there, not a spelling: «наталья», «ильяс»),
    and only letters fold, never a whole ending: «гульнар» and «гульнара» stay two names."""
    return _SOFT_SIGN.sub("", fold_kazakh(key))


_FOLDED_FIRST_NAMES = frozenset(fold(n) for n in FIRST_NAMES)


@lru_cache(maxsize=200_000)
def identity(word: str) -> str:
    """The key of one word of a person's name: the same for all its case forms, so one person
    gets one pseudonym — «Гульнара», «Гульнары», «Гульнарой» → «гульнара»; «Жумабаев»,
    «Жумабаеву», «Жумабаевой» → «жумабаев»; «Сергеевич», «Сергеевичем» → «сергеевич»;
    «Нурлановна», «Нурлановной» → «нурлановн»; «Шолпан», «Шолпаны», «Шолпане», «Шолпаной» →
    «шолпан». Independent of where the word stands (a sentence-initial word is read the same).
    Different names keep different keys: «Алия» and «Алиев», «Саша» and «Сашин», «Гульнар» and
    «Гульнара» (both listed), «Сергеевич» and «Сергеев», «Александр» and «Александра»,
    «Айгулим» and «Айгүл» (no first name's case ends in «-им»: `_KEY_ENDINGS`).

    The same for both spellings of a Kazakh name: the key is in Russian letters (`fold_kazakh`),
    so «Айгерім» and «Айгерим», «Жұмабаевқа» and «Жумабаеву» are one person — one respondent
    is written either way within a study, by two transcribers or in two languages. Only
    letters fold, never an ending: «Әлия» is «Алия», not «Алиев».

    Order: the listed Kazakh first names; a patronymic's ending; a surname's form, when
    pymorphy3 knows the word as a surname or not as a first name at all (it reads «Жумабаев»
    as the plural of «Жумабай»); a woman's name ending in a consonant (`_consonant_stem`); then
    pymorphy3's first-name lemma (Ольги → ольга); the word as it is spelt is read, and its key
    folded after (a Kazakh ending, «-ның», «-ға», is stripped as Kazakh).

    And the same for a name written with or without the soft sign Kazakh spelling omits
    (`fold`): «Гульнара», «Гүлнара», «Гулнара» are one woman, «Айгуль» and «Айгүл» one, and a
    listed name's spelling without it is listed too («Гулнары» is a form of «Гулнара»).
    `legacy_keys.lettered_key` is the key before that, the soft sign kept."""
    return fold(_identity(word, stems=True))


def _consonant_stem(word: str, low: str) -> str | None:
    """The nominative of a name ending in a consonant, for its forms with a case ending —
    Kazakh women's names (Шолпан, Айгерим, Гульнур, Жанар) that colloquial Russian declines
    like «-а» names: «у Шолпаны», «Шолпане», «с Шолпаной»; also their «-а» variant («Гульнура»,
    «Жанара»: one woman, written either way) and an unknown man's name's forms («Ерназара»).

    The consonant stem is the key only where pymorphy3 leaves room for it: it knows the stem
    as a woman's indeclinable name (Гульнур, Айгерим, Кармен: «Гульнуры» and «Гульнура» are
    then hers), or it knows neither the stem nor the word as a name (Шолпан, Шолпаны). Where
    it knows the stem as a masculine noun the word is left to its reading — «Александра» and
    «Александр», «Марины» and «Марин», «Динары» and the coin «динар» stay apart — and so is a
    word it knows as a name whose stem is only that name's form («Ирины»: Ирина, not «Ирин»)."""
    m = _CONSONANT_FORM.match(low)
    if not m:
        return None
    stem = m.group("stem") or m.group("hush")
    morph = analyzer("ru").morph()
    known = [p for p in morph.parse(stem.capitalize()) if p.is_known]
    if any("NOUN" in p.tag and "masc" in p.tag for p in known):
        return None  # Александр, Марин, Динар, Роман: a man's name or a word of its own
    if any("Name" in p.tag and "femn" in p.tag and p.normal_form == stem for p in known):
        return stem  # Гульнур, Айгерим: pymorphy3's own woman's name, indeclinable to it
    if known or any(p.is_known and "Name" in p.tag for p in morph.parse(word)):
        return None  # «Ирины», «Светланы»: the stem is a form of a name it knows
    return stem


def _identity(word: str, stems: bool, lexicon: frozenset[str] = FIRST_NAMES,
              feminine: bool = True, folding: bool = True) -> str:  # fmt: skip
    """`identity` before its letters fold; without `folding` (a listed name in another
    spelling, `_lexicon_base`) as the release before `fold` keyed a word
    (`legacy_keys.lettered_key`); without `feminine` either (a Kazakh ending after «-ова»:
    «Кенжебаеваға») as the release before `fold_kazakh` did (`legacy_keys.spelt_key`); without
    `stems` too and with `LEGACY_FIRST_NAMES`, as the release before `_consonant_stem` did
    (`legacy_keys.folded_key`): their vault entries stay reachable."""
    low = normalise(word)
    current = stems and feminine and folding and lexicon is FIRST_NAMES  # `identity` now
    base = _lexicon_base(low, lexicon, folding, _KEY_ENDINGS if current else _ENDINGS)
    if base:
        return base
    if PATRONYMIC.search(low):
        m = _PATRONYMIC_FORM.match(low)
        return m.group("root") if m else low
    kk = _KK_AFTER_SURNAME.search(low) or (_KK_AFTER_FEMININE.search(low) if feminine else None)
    if kk and kk.start() >= 5:
        low = low[: kk.start()]
    parses = analyzer("ru").morph().parse(word.lower()[: len(low)])  # ё kept: «Фёдоре»
    # a first name's plural is no one's name: pymorphy3 reads «Жумабаев», «Нурланов» so
    given = [p for p in parses if "Name" in p.tag and "plur" not in p.tag]
    surname = _SURNAME_FORM.match(low)
    family = sum(p.score for p in parses if "Surn" in p.tag)
    # a «name» that is only the word itself in the nominative is a guess («Сашиной»)
    guessed = all(normalise(p.normal_form) == low for p in given)
    if surname and (family >= sum(p.score for p in given) or (family and guessed)):
        return surname.group("root") or surname.group("adj") + "ий"
    consonant = _consonant_stem(word.lower()[: len(low)], low) if stems else None
    if consonant:
        return consonant
    if given:  # the likelier name; a tie («Вадиму», «Игоре») to the likelier nominative
        weight: dict[str, float] = {}
        for p in given:  # dicts keep pymorphy3's order: the first of a full tie wins
            weight[p.normal_form] = max(weight.get(p.normal_form, 0.0), p.score)
        order = list(weight)
        best = max(order, key=lambda nf: (
            round(weight[nf], 3), _as_nominative(nf),
            normalise(nf) != low,  # «Валей»: Валя's instrumental, not a name «Валей»
            len(nf),  # «Игоре»: Игорь's, not Игор's
            -order.index(nf),
        ))  # fmt: skip
        return normalise(best)
    for p in parses:
        if "Surn" in p.tag or "Patr" in p.tag:
            nf = normalise(p.normal_form)
            m = _SURNAME_FORM.match(nf) or _PATRONYMIC_FORM.match(nf)
            return (m.group("root") or m.group("adj") + "ий") if m else nf
    return low


@lru_cache(maxsize=20_000)
def _as_nominative(lemma: str) -> float:
    """How surely pymorphy3 reads `lemma` itself as a first name in the nominative: «вадим»
    surely, «вадима» hardly (it reads it as Вадим's genitive)."""
    return round(
        sum(
            p.score
            for p in analyzer("ru").morph().parse(lemma)
            if "Name" in p.tag and "nomn" in p.tag and p.normal_form == lemma
        ),
        3,
    )


def stem(word: str) -> str:
    """A found word's key (`identity`); also for a word only NER calls a name."""
    return identity(word)
