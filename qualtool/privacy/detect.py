"""Find what identifies a person: names (natasha NER + Russian/Kazakh name forms), IIN/BIN,
phones, e-mails, addresses; minus the study's allow-list and pseudonyms already in the text.

Rules run first (formats are certain), then names: a word is a name part if natasha tags it
PER or its form says so (names.py); an unknown capitalised word next to a name part joins it
(Kazakh first names); a capitalised word after «ул.», «проспект», «имени» is a street or a
school, not a person.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qualtool.nlp import analyzer
from qualtool.privacy import (
    diminutives,
    joined,
    key_names,
    latin_names,
    legacy_keys,
    lower_names,
    names,
    ner,
    rules,
)
from qualtool.privacy.allow import AllowList
from qualtool.privacy.entity import LABELS, Entity, Kind

__all__ = ["LABELS", "Detector", "Entity", "Kind", "detect"]

PSEUDONYM = re.compile(r"(?:Имя|Респондент)-\d+|\[(?:ИИН|телефон|e-mail|адрес|Имя)\]")
_NOT_A_PERSON_AFTER = re.compile(
    r"(?:ул\.?|улиц[аеыу]|пр\.|пр-т|просп\.|проспект[аеу]?|мкр\.?|микрорайон[аеу]?|пер\.|"
    r"переул\w*|бульвар\w*|им\.|имени|район[аеу]?|р-н|село|селе|города?|г\.|аул\w*|"
    r"станци\w+|пл\.|площад\w+|школ\w+|гимнази\w+|лице\w+|университет\w*|колледж\w*|"
    r"фонд\w*|ТОО|ИП|АО|банк\w*|музе\w+|парк\w*)\s*$",
    re.IGNORECASE,
)

# Kazakh puts the kind of place after the name: «Абай көшесі», «Абай даңғылы», «Абай мектебі»
_NOT_A_PERSON_BEFORE = re.compile(
    r"\s*(?:көшес|даңғыл|ауданы|ауыл|қаласы|мектеб|атындағы|университет|street|avenue)",
    re.IGNORECASE,
)


class Detector:
    def __init__(self, allow: AllowList | None = None, use_ner: bool = True) -> None:
        self.allow = allow or AllowList()
        self.use_ner = use_ner

    def detect(self, text: str) -> list[Entity]:
        """Every identifying span in `text`, non-overlapping, in order."""
        found = [
            e for e in rules.find(text)
            if not any(p.start() < e.end and e.start < p.end() for p in PSEUDONYM.finditer(text))
        ]  # fmt: skip
        taken = [False] * len(text)
        for e in found:
            taken[e.start : e.end] = [True] * (e.end - e.start)
        for m in PSEUDONYM.finditer(text):
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        # «Askar_Nurlanov», «#АйгульСерикова»: names written together, read as their words
        for e in joined.find(text, self.detect, taken) if joined.maybe(text) else ():
            found.append(e)
            taken[e.start : e.end] = [True] * (e.end - e.start)
        # a Latin letter typed inside a Cyrillic name («Aйгерим»: the same keys as «Айгерим»)
        found += [
            replace(e, text=text[e.start : e.end]) for e in self._people(_cyrillic(text), taken)
        ]
        if key_names.ANY_LATIN.search(text):  # «Gulnara Serikbayeva»: a name in Latin
            for e in found:
                taken[e.start : e.end] = [True] * (e.end - e.start)
            found += latin_names.find(text, self.allow, taken)
        return sorted(found, key=lambda e: e.start)

    def _people(self, text: str, taken: list[bool]) -> list[Entity]:
        tokens = [t for t in analyzer("ru").tokens(text) if t.is_word]
        tagged = ner.spans(text, ("PER", "LOC")) if self.use_ner else []
        ner_spans = [x for x in tagged if x[2] == "PER"]
        places = _places(text, ner_spans, [x for x in tagged if x[2] == "LOC"])
        flags: list[tuple[bool, str, str]] = []
        russian = not names.KAZAKH_LETTER.search(text.lower())
        for t in tokens:
            if any(a <= t.start and t.end <= b for a, b in places) or any(
                taken[t.start : t.end]  # found already (a joined name): no neighbour's part
            ):
                flags.append((False, "", "place"))
                continue
            initial = _initial(text, t.start)
            ok, stem = names.name_part(_bare(t.text), initial)
            source = "name-form" if ok else ""
            if (not ok and names.capitalised(t.text)
                    and any(s <= t.start and t.end <= e for s, e, _ in ner_spans)):  # fmt: skip
                ok, source = True, "ner"
                stem = stem or names.stem(t.text)
                # «Маған Бекжан …»: NER's guess at a sentence-initial word, taken only where the
                # word is a name's form, or a noun no dictionary knows in a Russian text
                # («Айгулька пришла», «Кымбат сказала»); a name form found already stays found
                if initial and not (names.strong_form(t.text) or (
                        russian and names.unknown_noun(t.text))):  # fmt: skip
                    ok = False
            if not ok and diminutives.is_diminutive(t.text):  # «Айгульку», «Гулечка»
                ok, stem, source = True, names.stem(t.text), "name-form"
            flags.append((ok, stem, source))
        for i, t in enumerate(tokens):  # «Ерлан Бекович»: an unknown capitalised word joins
            if flags[i][0] or flags[i][2] == "place" or not names.unknown_capitalised(t.text):
                continue
            initial = _initial(text, t.start)
            for j in (i - 1, i + 1):
                if initial and not (  # at a sentence start only before a patronymic
                    j == i + 1
                    and j < len(tokens)
                    and names.PATRONYMIC.search(tokens[j].text.lower())
                ):
                    continue
                if (
                    0 <= j < len(tokens)
                    and flags[j][0]
                    and flags[j][2] != "joined"
                    and not any(taken[tokens[j].start : tokens[j].end])
                ):
                    a, b = sorted((tokens[i], tokens[j]), key=lambda x: x.start)
                    if b.start - a.end <= 1:
                        flags[i] = (True, names.stem(t.text), "joined")
        for i, t in enumerate(tokens):  # «Дана Серикова.», the label «Роза»: a listed name
            if (
                flags[i][0]
                or flags[i][2] == "place"
                or not (names.listed(t.text) or names.read_as_name(t.text))
            ):
                continue  # that is also a word (`names.common_word`: «Вера», «Надежда»), at a
            # sentence start: a name before a surname or a patronymic («Вера Павловна»)
            alone = len(tokens) == 1 and not text[t.end :].strip(" .:!?…")
            after = i + 1 < len(tokens) and flags[i + 1][0] and flags[i + 1][2] != "joined"
            if alone or (after and 0 < tokens[i + 1].start - t.end <= 1):
                flags[i] = (True, names.stem(t.text), "name-form")
        for i in lower_names.pairs(tokens, flags):  # «жанар сапаровой»: typed in lower case
            for k in (i, i + 1):
                flags[k] = (True, names.stem(tokens[k].text), "name-form")
        out: list[Entity] = []
        i = 0
        while i < len(tokens):
            if not flags[i][0] or any(taken[tokens[i].start : tokens[i].end]):
                i += 1
                continue
            j = i
            while (j + 1 < len(tokens) and flags[j + 1][0]
                   and 0 < tokens[j + 1].start - tokens[j].end <= 1
                   and not any(taken[tokens[j + 1].start : tokens[j + 1].end])):  # fmt: skip
                j += 1
            start, end = tokens[i].start, tokens[j].end
            parts = [tokens[k].text for k in range(i, j + 1)]
            i = j + 1
            if _NOT_A_PERSON_AFTER.search(text[max(0, start - 20) : start]):
                continue
            if _NOT_A_PERSON_BEFORE.match(text[end : end + 20]):
                continue
            if all(flags[k][2] == "joined" for k in range(i - len(parts), i)):
                continue
            if all(self.allow.allows(p) for p in parts):
                continue
            lone_guess = len(parts) == 1 and flags[j][2] == "ner" and _initial(text, start)
            if lone_guess and not (
                names.strong_form(parts[0]) or (russian and names.unknown_noun(parts[0]))
            ):
                continue  # «Мекенжайым …»: NER guesses at an unknown sentence-initial word
            words = range(j - len(parts) + 1, j + 1)
            key = " ".join(names.identity(_bare(tokens[k].text)) for k in words)
            legacy = " ".join(
                legacy_keys.old_key(tokens[k].text, _initial(text, tokens[k].start)) for k in words
            )
            source = "ner" if any(flags[k][2] == "ner" for k in words) else "name-form"
            start, end = _with_initials(text, start, end)  # «Ким Д.В.», «Д.В. Ким»
            out.append(Entity(Kind.PERSON, start, end, text[start:end], key, source, legacy))
        return out


# one or two initials right after a name, or right before it («Ким Д.В.», «Д. В. Ким»)
_INITIALS_AFTER = re.compile(r"\s?[А-ЯЁA-Z]\.(?:\s?[А-ЯЁA-Z]\.)?(?![\w])")
_INITIALS_BEFORE = re.compile(r"(?<![\w.])[А-ЯЁA-Z]\.\s?(?:[А-ЯЁA-Z]\.\s?)?$")


_GLUED_INITIALS = re.compile(r"^(?:[А-ЯЁ]\.){1,2}(?=[А-ЯЁ][а-яё])")
_MIXED_WORD = re.compile(r"[^\W\d_]*[а-яёА-ЯЁ][^\W\d_]*")
_HOMOGLYPHS = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")


def _bare(word: str) -> str:
    """A word without the initials glued to its front: «Д.Ким», «Д.В.Ким» are «Ким»'s."""
    return _GLUED_INITIALS.sub("", word)


def _cyrillic(text: str) -> str:
    """`text` with the Latin letters that look Cyrillic read as Cyrillic inside a word that
    has Cyrillic letters (one character for one: the offsets stay); a Latin word, an e-mail,
    stays as it is."""
    return _MIXED_WORD.sub(lambda m: m.group().translate(_HOMOGLYPHS), text)


def _with_initials(text: str, start: int, end: int) -> tuple[int, int]:
    """A person's span with the initials beside it: left in the text they name the person
    next to the pseudonym («Имя-1 Д.В.»)."""
    after = _INITIALS_AFTER.match(text, end)
    before = _INITIALS_BEFORE.search(text[max(0, start - 6) : start])
    return (start - len(before.group()) if before else start), (after.end() if after else end)


_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def _places(text: str, people: list[tuple[int, int, str]],
            locations: list[tuple[int, int, str]]) -> list[tuple[int, int]]:  # fmt: skip
    """Spans of hyphenated place names («Усть-Каменогорске»), whose parts would otherwise pass
    for first names and turn a city into a pseudonym. Never one NER calls a person or one a
    patronymic follows («Нур-Султан Абишевич»)."""
    out = []
    for m in _COMPOUND.finditer(text):
        a, b = m.span()
        if not m.group()[:1].isupper() or any(s < b and a < e for s, e, _ in people):
            continue
        after = _NEXT_WORD.match(text, b)
        if after and names.PATRONYMIC.search(after.group(1).lower()):
            continue
        located = any(s <= a and b <= e for s, e, _ in locations)
        if names.place_compound(m.group(), located):
            out.append((a, b))
    return out


def _initial(text: str, pos: int) -> bool:
    return not text[:pos].strip() or bool(re.search(r"[.!?…:—–\"«]\s*$", text[:pos]))


_default: Detector | None = None


def detect(text: str) -> list[Entity]:
    """With the built-in allow-list only (a study's own list: `Detector(allow.load(...))`)."""
    global _default
    if _default is None:
        _default = Detector()
    return _default.detect(text)
