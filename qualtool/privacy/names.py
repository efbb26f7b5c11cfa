"""Is this word part of a person's name? Russian and Kazakh name forms, in any case.

natasha's NER is trained on Russian news; interviews add Kazakh first names it has not seen,
Kazakh patronymics (-ұлы, -қызы, -улы, -кызы), Russian patronymics (-ович, -овна, -евна) and
surnames declined in Russian («Нурлановой», «Сейткалиеву»). These rules catch what NER misses;
the word's identity (`stem`) folds case forms together so one person gets one pseudonym.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qualtool.nlp import analyzer, normalise

_CASE = r"(?:а|я|у|ю|ом|ем|ым|им|ой|ей|е|ы|и|ых|ым)?"
PATRONYMIC = re.compile(rf"(?:ович|евич|ьич|овн|евн|ичн|инична|[уұү]лы|[кқ]ызы){_CASE}$")
SURNAME = re.compile(
    rf"(?:[бв]аев|бек[oо]в|ов|ев|ёв|ин|ын|ская|ский|цкий|цкая|ова|ева|ина|ына|енко|ук|юк|жанов)"
    rf"{_CASE}$"
)
# Kazakh (and a few Russian) first names that pymorphy3's dictionary lacks or misreads.
FIRST_NAMES = frozenset(
    normalise(n)
    for n in [
        "Абай",
        "Абылай",
        "Адиль",
        "Айбек",
        "Айдар",
        "Айдос",
        "Айдын",
        "Алмас",
        "Алибек",
        "Алихан",
        "Амир",
        "Анвар",
        "Арман",
        "Арсен",
        "Аскар",
        "Асет",
        "Асхат",
        "Ахмет",
        "Бакыт",
        "Бауыржан",
        "Бахыт",
        "Бейбит",
        "Бекзат",
        "Болат",
        "Даурен",
        "Дамир",
        "Данияр",
        "Дархан",
        "Диас",
        "Досжан",
        "Думан",
        "Ерасыл",
        "Ерболат",
        "Ерик",
        "Ерлан",
        "Ержан",
        "Еркебулан",
        "Ермек",
        "Жандос",
        "Жанибек",
        "Жасулан",
        "Кайрат",
        "Канат",
        "Куаныш",
        "Мади",
        "Мейрам",
        "Мирас",
        "Мурат",
        "Нурбек",
        "Нурлан",
        "Нуржан",
        "Нурсултан",
        "Олжас",
        "Рауан",
        "Руслан",
        "Самат",
        "Санжар",
        "Серик",
        "Серикболат",
        "Талгат",
        "Тимур",
        "Темирлан",
        "Улан",
        "Ельдар",
        "Жомарт",
        "Максат",
        "Марлен",
        "Азамат",
        "Бекболат",
        "Айгерим",
        "Айгуль",
        "Айжан",
        "Айнур",
        "Айсулу",
        "Акбота",
        "Акмарал",
        "Алия",
        "Асель",
        "Асем",
        "Балжан",
        "Ботагоз",
        "Гаухар",
        "Гульмира",
        "Гульнара",
        "Гульнар",
        "Гульжан",
        "Динара",
        "Жанар",
        "Жанна",
        "Жибек",
        "Зарина",
        "Индира",
        "Камила",
        "Карлыгаш",
        "Ляззат",
        "Мадина",
        "Маржан",
        "Меруерт",
        "Молдир",
        "Назерке",
        "Салтанат",
        "Сауле",
        "Сабина",
        "Томирис",
        "Улжан",
        "Шынар",
        "Айым",
        "Аружан",
        "Дана",
        "Дильназ",
        "Жулдыз",
        "Раушан",
        "Роза",
        "Сания",
        "Толкын",
        "Умит",
        "Анар",
        "Арайлым",
        "Бибигуль",
        "Куралай",
        "Бота",
        "Айдана",
        "Асылжан",
        "Гулим",
        "Жаннат",
        "Зауре",
        "Кунсулу",
        "Сымбат",
        "Эльмира",
        "Асылхан",
        "Ақбота",
        "Айбөпе",
        "Нұрлан",
        "Ерқанат",
    ]
)
_NAME_TAGS = ("Name", "Surn", "Patr")
_KAZAKH_LETTER = re.compile("[әіңғүұқөһ]")
_ENDINGS = ("ами", "ому", "ему", "ой", "ей", "ом", "ем", "ым", "им", "ых", "ах", "ям",
            "а", "я", "у", "ю", "е", "ы", "и", "ь")  # fmt: skip


# Kazakh case and possessive suffixes on a name: «Жанарға», «Ерланның», «Асельмен»
_KK_SUFFIX = re.compile(
    r"(?:ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|на|не|ны|ні|ды|ді|ты|ті|да|де|та|те|дан|ден|тан|"
    r"тен|нан|нен|мен|бен|пен|ның|ға)$"
)


def _lexicon_base(low: str) -> str | None:
    if low in FIRST_NAMES:
        return low
    kk = _KK_SUFFIX.search(low)
    if kk and low[: kk.start()] in FIRST_NAMES:
        return low[: kk.start()]
    for end in _ENDINGS:
        if low.endswith(end) and len(low) - len(end) >= 3:
            base = low[: -len(end)]
            for cand in (base, base + "а", base + "я", base + "ь"):
                if cand in FIRST_NAMES:
                    return cand
    return None


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
    if base:
        return True, base
    if PATRONYMIC.search(low):
        return True, _strip(low)
    morph = analyzer("ru").morph()
    parses = morph.parse(word)
    for p in parses[:1] if sentence_initial else parses[:4]:
        if any(tag in p.tag for tag in _NAME_TAGS) and p.score >= 0.1:
            return True, _strip(normalise(p.normal_form))
    top = parses[0]
    if SURNAME.search(low) and (not sentence_initial or not top.is_known):
        known = top.is_known and not any(t in top.tag for t in _NAME_TAGS)
        if not known or ("Geox" not in top.tag and top.score < 0.5):
            return True, _strip(low)
    if not sentence_initial and _KAZAKH_LETTER.search(low) and not top.is_known:
        return True, low  # «Әсел», «Айгүл»: a capitalised Kazakh word mid-sentence
    return False, ""


def strong_form(word: str) -> bool:
    """Evidence beyond a guess: a listed first name, a patronymic or surname ending, or a
    confident pymorphy3 name parse (used to confirm NER's guess at a sentence-initial word)."""
    low = normalise(word)
    if _lexicon_base(low) or PATRONYMIC.search(low) or SURNAME.search(low):
        return True
    top = analyzer("ru").morph().parse(word)[0]
    return any(t in top.tag for t in _NAME_TAGS) and top.score >= 0.5


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


def _strip(low: str) -> str:
    """Case-independent stem of a surname or patronymic: «нурлановой» → «нурланов»."""
    for end in ("ой", "ом", "ым", "ых", "ой", "у", "е", "ы", "а", "ем", "ич"):
        if (
            low.endswith(end)
            and len(low) - len(end) >= 4
            and re.search(r"(ов|ев|ин|ын|ович|евич|ичн|овн|евн)$", low[: -len(end)])
        ):
            return low[: -len(end)]
    return low


def stem(word: str) -> str:
    ok, s = name_part(word, False)
    return s if ok else normalise(word)
