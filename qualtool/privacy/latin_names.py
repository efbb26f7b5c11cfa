"""People named in Latin letters inside a Russian or Kazakh text: «Gulnara Serikbayeva» in a
chat, a passport line, a file name, an e-mail signature.

Kazakh respondents write their names in Latin as often as in Cyrillic (passports, WhatsApp,
e-mail), and the detector's rules read Cyrillic only, so «в паспорте Gulnara Serikbayeva»
stayed after `--apply`. A run of two or three capitalised Latin words is a person when one of
them spells a listed first name (`key_names`' folding transliteration: «Aigul», «Aygul»,
«Ajgul» are one) and the others are listed names too or have a surname's or patronymic's
ending («-ov», «-eva», «-ovich», «-uly»): «Kaspi Gold», «Halyk Bank», «WhatsApp Business» are
no one. One word alone is never taken here (a brand, an English word); the study's known
people are found by their Latin spelling elsewhere (`known_forms.missed`, `key_names.find`).

Each word is read back into Cyrillic with a standard transliteration table (`cyrillic`) and
keyed as the detector keys a Cyrillic word (`names.identity`), so «Gulnara Serikbayeva» and
«Гульнара Серикбаева» are one person with one pseudonym.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qualtool.privacy import key_names, names
from qualtool.privacy.allow import AllowList
from qualtool.privacy.entity import Entity, Kind

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\b")
# brands and services a Kazakh interview names in Latin (never a person's word here, even
# beside a name: «Gulnara Kaspi» is her and a bank)
_BRAND_WORDS = """
kaspi halyk egov whatsapp telegram instagram facebook google youtube tiktok enbek damumed
beeline kcell tele activ altel jusan forte freedom homebank sberbank alfa bank gold red
business pay qr online mail gmail yandex zoom skype viber apple samsung iphone android
windows microsoft office ncalayer elicense eotinish kazpost kazakhtelecom air astana
almaty shymkent nur sultan kazakhstan
"""
BRANDS = frozenset(_BRAND_WORDS.split())

# Latin → Cyrillic, the longer first (Russian passport and Kazakh Latin spellings)
_TO_CYR = (("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"),
           ("ts", "ц"), ("ya", "я"), ("ia", "ия"), ("yu", "ю"), ("iu", "ию"), ("yo", "ё"),
           ("ye", "е"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"),
           ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"),
           ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
           ("u", "у"), ("v", "в"), ("w", "у"), ("x", "кс"), ("y", "ы"), ("z", "з"))  # fmt: skip
_VOWELS = "аеёиоуыэюя"


@lru_cache(maxsize=20_000)
def cyrillic(word: str) -> str:
    """A Latin word read back in Cyrillic, capitalised like the word: «Serikbayeva» →
    «Серикбаева», «Aigul» → «Айгул», «Yerzhan» → «Ержан». A «y» or an «i» after a vowel and
    not before one is «й» («Aigerim», «Baurzhan» → «Айгерим», «Бауржан»)."""
    low, i = word.lower(), 0
    out: list[str] = []
    while i < len(low):
        for lat, cyr in _TO_CYR:
            if low.startswith(lat, i):
                short = lat in ("i", "y")
                after = low[i + 1 : i + 2]
                if short and out and out[-1][-1:] in _VOWELS and after not in "aeiouy":
                    cyr = "й"
                elif lat == "y" and (not out or after in "aeiou"):
                    cyr = "й"  # «Yerlan» came as «ye»; a lone «y» before a vowel: «Yaroslav»
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(low[i])
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=20_000)
def _kind(word: str) -> str:
    """«first» (a listed first name in Latin), «family» (a surname's or patronymic's ending),
    or ""."""
    low = word.lower()
    if low in BRANDS or len(low) < 3:
        return ""
    base = key_names.listed_latin(word)
    if base and not names.common_word(base):
        return "first"
    skeleton = key_names.skeleton(low)
    if len(skeleton) >= 5 and key_names.LATIN_FAMILY.search(skeleton):
        return "family"
    return ""


def key(word: str) -> str:
    """The key of one Latin name word, as its Cyrillic spelling is keyed."""
    base = key_names.listed_latin(word)
    if base:
        return names.fold(base)
    return names.identity(cyrillic(word))


def find(text: str, allow: AllowList, taken: list[bool]) -> list[Entity]:
    """Runs of capitalised Latin words that name a person (see the module's docstring), not
    where `taken` (a span found already) or the allow-list has a word."""
    words = [m for m in _CAPITALISED.finditer(text) if not any(taken[m.start() : m.end()])]
    out: list[Entity] = []
    i = 0
    while i < len(words):
        if not _kind(words[i].group()):
            i += 1
            continue
        j = i  # up to three words, one space apart, from a name-like one
        while (j + 1 < len(words) and j - i < 2 and _kind(words[j + 1].group())
               and text[words[j].end() : words[j + 1].start()] == " "):  # fmt: skip
            j += 1
        run = words[i : j + 1]
        i = j + 1
        kinds = [_kind(m.group()) for m in run]
        if len(run) < 2 or "first" not in kinds or any(allow.allows(m.group()) for m in run):
            continue
        a, b = run[0].start(), run[-1].end()
        k = " ".join(key(m.group()) for m in run)
        out.append(Entity(Kind.PERSON, a, b, text[a:b], k, "name-form", k))
    return out
