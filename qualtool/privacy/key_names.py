"""People named in a recording's key or a file's name, Cyrillic or Latin.

A key («интервью-айгерим-бековой») or a file stem («sholpan_kenzhebaeva_notes»,
«Шолпан_К_заметки») is words glued by «-», «_», «.» and digits, in lower case or in Latin, where
the detector sees nothing. So they are split into words, and each word is matched against:

- every person known in the study (`outside_names.Known`: this apply's findings, names in the
  metadata, memos, notes and labels, and the people the vault's earlier applies replaced), in
  any case form (`names.identity`), and in Latin letters through a transliteration that folds
  the usual variants (kh/h, zh/j, ya/ia, yu/iu, ye/e, y/i, q/k; Kazakh ә ө ү ұ і ғ қ ң һ as
  their plain letters) — «kenzhebaeva» is «Кенжебаева»;
- the listed first names (`names.FIRST_NAMES`), in Cyrillic or Latin: a lone «шолпан» in a
  key names someone even when no text does. One that is also a common word («дана», «роза»)
  counts only next to another name word.

A word that looks like a surname or patronymic («бековой», «kenzhebaeva») joins a found name
word beside it. A run of words is one person: the known person whose key it is, or — a first
name alone, or a first name with words of one known person — that person (one pseudonym per
person: «шолпан» in a key is «Шолпан Кенжебаева» when the study knows one such person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from qualtool.privacy import names
from qualtool.privacy.entity import Entity, Kind

Known = dict[str, dict[str, Entity]]  # as `outside_names.Known`
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[a-zäöüñçşğıýāūḩ]+")
ANY_LATIN = re.compile(r"[a-z]{3}", re.IGNORECASE)  # a word in Latin letters somewhere
_CYR = {"а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
        "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
        "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        "ә": "a", "і": "i"}  # fmt: skip
# Latin variants folded to one spelling (order matters: the longer first)
_FOLD = (("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ia", "ya"), ("iu", "yu"), ("ye", "e"),
         ("yo", "e"), ("ts", "c"), ("tz", "c"), ("j", "zh"), ("q", "k"), ("w", "u"), ("x", "ks"),
         ("ä", "a"), ("ö", "o"), ("ü", "u"), ("ū", "u"), ("ı", "i"), ("ý", "i"), ("ñ", "n"),
         ("ş", "sh"), ("ç", "ch"), ("ğ", "g"), ("ḩ", "h"), ("ā", "a"), ("'", ""))  # fmt: skip
# what a Latin surname or patronymic ends with
LATIN_FAMILY = re.compile(r"(?:ov|ev|ova|eva|in|ina|yn|yna|uly|ulu|kyzy|kizi|ovna|evna|ovich|"
                          r"evich|enko|sky|skaya|skiy)$")  # fmt: skip
# case endings a Latin surname may keep (folded: y → i)
_LATIN_ENDINGS = ("", "a", "i", "u", "e", "oi", "om", "ei", "im")


def skeleton(latin: str) -> str:
    """A Latin spelling with its usual variants folded: «Kenzhebayeva», «kenjebaeva» → one."""
    s = latin.lower()
    for a, b in _FOLD:
        s = s.replace(a, b)
    s = s.replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", s)  # doubled letters: «Asselya», «Assel»


@lru_cache(maxsize=100_000)
def latin(cyrillic: str) -> str:
    """The skeleton of a Cyrillic word's Latin spelling."""
    return skeleton("".join(_CYR.get(c, c) for c in cyrillic.lower()))


@lru_cache(maxsize=1)
def _listed_latin() -> dict[str, str]:
    """Latin skeleton → the listed first name."""
    out: dict[str, str] = {}
    for n in sorted(names.FIRST_NAMES):
        out.setdefault(latin(n), n)
    return out


def listed_latin(token: str) -> str | None:
    """The listed first name a Latin word spells («Aigul», «Aygul» → «айгуль»), or None."""
    return _listed_latin().get(skeleton(token))


def _person_words(people: Known) -> tuple[dict[str, str], list[Entity]]:
    """(Latin skeleton of each word of a known person's key → that word's key, the people)."""
    spelled: dict[str, str] = {}
    persons: dict[str, Entity] = {}
    for by in people.values():
        for e in by.values():
            if e.kind is Kind.PERSON and e.key:
                persons.setdefault(e.key, e)
                for w in e.key.split():
                    if len(w) >= 4:  # «Тен» is no «ten» in a Latin text
                        spelled.setdefault(latin(w), w)
    return spelled, list(persons.values())


def _latin_word(token: str, spelled: dict[str, str]) -> str | None:
    """The key of the known name word a Latin token spells (with a case ending), or None."""
    s = skeleton(token)
    for end in _LATIN_ENDINGS:
        if s.endswith(end) and len(s) - len(end) >= 3:
            hit = spelled.get(s[: len(s) - len(end)] if end else s)
            if hit:
                return hit
    return None


def _word(token: str, spelled: dict[str, str], ids: set[str],
          latin_only: bool = False) -> tuple[str, str]:  # fmt: skip
    """(its key, why) for one word of a key or stem: «known», «listed», «common» (a listed
    name that is also a word), «family» (a surname's or patronymic's shape) or ("", "")."""
    if latin_only and not _LATIN.fullmatch(token.lower()):
        return "", ""
    if _LATIN.fullmatch(token.lower()):
        hit = _latin_word(token, spelled)
        if hit:
            return hit, "known"
        base = _listed_latin().get(skeleton(token))
        if base:  # keyed in Russian letters, as the Cyrillic name is («serikbol»: «серикбол»)
            return names.fold(base), "common" if names.common_word(base) else "listed"
        low = skeleton(token)
        return (low, "family") if len(low) >= 5 and LATIN_FAMILY.search(low) else ("", "")
    word = token[:1].upper() + token[1:].lower()
    if len(word) < 2:
        return "", ""
    key = names.identity(word)
    if key in ids:
        return key, "known"
    base = names.listed(word)
    if base:
        return key, "common" if names.common_word(base) else "listed"
    if names.PATRONYMIC.search(key) or (
        names.SURNAME.search(word.lower()) and names.name_part(word, False)[0]
    ):
        return key, "family"
    return "", ""


def find(stem: str, people: Known, latin_only: bool = False) -> list[Entity]:
    """The people a key or file stem names, as spans of `stem` keyed like the text's;
    `latin_only`: the known people's Latin spellings in any text (a path in conflicts/, a memo),
    whose Cyrillic words `outside_names.case_forms` finds."""
    if latin_only and not ANY_LATIN.search(stem):
        return []
    spelled, persons = _person_words(people)
    if latin_only and not spelled:
        return []
    ids = {w for p in persons for w in p.key.split()}
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(stem)]
    kinds = [_word(t, spelled, ids, latin_only) for _a, _b, t in tokens]
    out: list[Entity] = []
    i = 0
    while i < len(tokens):
        if not kinds[i][1]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and kinds[j + 1][1] and _glued(stem, tokens[j], tokens[j + 1]):
            j += 1
        run = _trimmed(range(i, j + 1), kinds, persons)
        why = {kinds[k][1] for k in run}
        i = j + 1
        if why <= {"family"} or why == {"common"} or (latin_only and "known" not in why):
            continue  # a surname-like word or a common word alone: no evidence of a person
        a, b = tokens[run[0]][0], tokens[run[-1]][1]
        key = " ".join(kinds[k][0] for k in run)
        e = _person(key, persons) or Entity(Kind.PERSON, a, b, stem[a:b], key, "name-form")
        out.append(Entity(Kind.PERSON, a, b, stem[a:b], e.key, e.source, e.legacy))
    return out


def _trimmed(run: range, kinds: list[tuple[str, str]], persons: list[Entity]) -> range:
    """`run` without a common word at its ends when the rest is a known person
    («sholpan_kenzhebaeva_dana»: Шолпан Кенжебаева, and «dana» a word or someone else)."""
    best = run
    for a in (run.start, run.start + 1):
        for b in (run.stop, run.stop - 1):
            inner = range(a, b)
            cut = [k for k in run if k not in inner]
            if inner and cut and all(kinds[k][1] == "common" for k in cut):
                key = " ".join(kinds[k][0] for k in inner)
                if _person(key, persons) is not None and len(inner) < len(best):
                    best = inner
    if best is run:
        return run
    return best


def _glued(stem: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return 0 < b[0] - a[1] <= 2 and not any(c.isdigit() for c in stem[a[1] : b[0]])


def _person(key: str, persons: Iterable[Entity]) -> Entity | None:
    """The known person a run of words is: their key itself, else the one person whose key
    holds every word of it (a first name alone, a first name and an initial's surname)."""
    words = key.split()
    fits = []
    for p in persons:
        if p.key == key:
            return p
        if all(w in p.key.split() for w in words):
            fits.append(p)
    many = {p.key for p in fits}
    return fits[0] if len(many) == 1 else None
