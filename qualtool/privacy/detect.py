"""Find and replace what identifies a person: names, phones, Kazakh IIN, e-mails, addresses.

Names come from pymorphy3's Name/Surn/Patr grammemes plus capitalisation and Russian/Kazakh
patronymic and surname endings (Kazakh first names are often missing from the dictionary, so a
capitalised unknown word next to a found name part joins it). The same person gets the same
pseudonym everywhere: the study database maps a hash of the normalised name to «[Имя 3]», so
the mapping itself reveals nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from qualtool.nlp import analyzer, normalise
from qualtool.store.db import Database


class Kind(StrEnum):
    PERSON = "person"
    PHONE = "phone"
    IIN = "iin"
    EMAIL = "email"
    ADDRESS = "address"


LABELS = {
    Kind.PERSON: "Имя",
    Kind.PHONE: "телефон",
    Kind.IIN: "ИИН",
    Kind.EMAIL: "e-mail",
    Kind.ADDRESS: "адрес",
}

_PATTERNS = [
    (Kind.EMAIL, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        Kind.PHONE,
        re.compile(r"(?<!\d)(?:\+7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"),
    ),
    (Kind.IIN, re.compile(r"(?<!\d)\d{6}[\s-]?\d{6}(?!\d)")),
    (
        Kind.ADDRESS,
        re.compile(
            r"\b(?:ул\.|улиц[аеыу]|пр\.|просп\.|проспект[аеу]?|мкр\.?|микрорайон[аеу]?|пер\.|"
            r"переул(?:ок|ке|ка)|бульвар[аеу]?)\s*[А-ЯЁA-Z0-9][\w-]*(?:\s+[А-ЯЁ][\w-]*)?"
            r"(?:,?\s*(?:д\.|дом)?\s*\d+[а-яА-Я]?(?:/\d+)?)?(?:,?\s*(?:кв\.|квартира)\s*\d+)?",
            re.IGNORECASE,
        ),
    ),
]
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|инична|[уұ]лы|[кқ]ызы)(?:а|у|ем|ой|е)?$")
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ская|ский|цкий|цкая|бек|баев|екова|ова|ева|ина)(?:а|у|ым|ой|е)?$"
)
_NAME_TAGS = ("Name", "Surn", "Patr")


@dataclass(frozen=True, slots=True)
class Entity:
    kind: Kind
    start: int
    end: int
    text: str
    key: str  # normalised identity: the same person in another case form has the same key


def _is_name_part(word: str, sentence_initial: bool) -> tuple[bool, str]:
    if not word[:1].isupper() or word.isupper() or len(word) < 2:
        return False, ""
    morph = analyzer("ru").morph()
    parses = morph.parse(word)
    for p in parses[:4] if not sentence_initial else parses[:1]:
        if any(tag in p.tag for tag in _NAME_TAGS) and p.score >= 0.1:
            return True, normalise(p.normal_form)
    low = normalise(word)
    shaped = _PATRONYMIC.search(low) or (not sentence_initial and _SURNAME.search(low))
    if shaped and (not parses[0].is_known or any(t in parses[0].tag for t in _NAME_TAGS)):
        return True, low
    return False, ""


def _unknown_capitalised(word: str) -> bool:
    if not word[:1].isupper() or word.isupper():
        return False
    return not analyzer("ru").morph().parse(word)[0].is_known


def detect(text: str) -> list[Entity]:
    """Every identifying span in `text`, non-overlapping, in order."""
    found: list[Entity] = []
    taken = [False] * len(text)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            digits = re.sub(r"\D", "", m.group())
            key = digits if kind in (Kind.PHONE, Kind.IIN) else normalise(m.group())
            found.append(Entity(kind, m.start(), m.end(), m.group(), key))
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    tokens = [t for t in analyzer("ru").tokens(text) if t.is_word]
    flags: list[tuple[bool, str]] = []
    prev_end_char = "."
    for t in tokens:
        initial = prev_end_char in ".!?…" or t.start == 0
        flags.append(_is_name_part(t.text, initial))
        prev_end_char = text[t.start - 2 : t.start].strip()[-1:] or prev_end_char
    for i, t in enumerate(tokens):  # «Ерлан Бекович»: an unknown capitalised word joins a name
        if not flags[i][0] and _unknown_capitalised(t.text):
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens) and flags[j][0]]
            if (near and abs(tokens[near[0]].start - t.end) <= 2) or (
                near and abs(t.start - tokens[near[0]].end) <= 2
            ):
                flags[i] = (True, normalise(t.text))
    i = 0
    while i < len(tokens):
        if not flags[i][0] or any(taken[tokens[i].start : tokens[i].end]):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and flags[j + 1][0] and tokens[j + 1].start - tokens[j].end <= 1:
            j += 1
        start, end = tokens[i].start, tokens[j].end
        key = " ".join(sorted(flags[k][1] for k in range(i, j + 1)))
        found.append(Entity(Kind.PERSON, start, end, text[start:end], key))
        i = j + 1
    return sorted(found, key=lambda e: e.start)


class Pseudonymiser:
    """Consistent replacements, remembered in the study database (by hash, never the original)."""

    def __init__(self, db: Database | None = None) -> None:
        self.db = db
        self.memory: dict[tuple[str, str], str] = {}

    def replacement(self, entity: Entity) -> str:
        digest = hashlib.sha256(f"{entity.kind}:{entity.key}".encode()).hexdigest()
        cache_key = (entity.kind.value, digest)
        if cache_key in self.memory:
            return self.memory[cache_key]
        value: str | None = None
        if self.db is not None:
            row = self.db.execute(
                "SELECT replacement FROM pseudonyms WHERE kind = ? AND original = ?", cache_key
            ).fetchone()
            value = row[0] if row else None
        if value is None:
            n = 1 + sum(1 for k in self.memory if k[0] == entity.kind.value)
            if self.db is not None:
                n = 1 + int(
                    self.db.execute(
                        "SELECT count(*) FROM pseudonyms WHERE kind = ?", [entity.kind.value]
                    ).fetchone()[0]
                )
                self.db.execute("INSERT INTO pseudonyms VALUES (?, ?, ?)", [*cache_key, ""])
            value = f"[{LABELS[entity.kind]} {n}]"
            if self.db is not None:
                self.db.execute(
                    "UPDATE pseudonyms SET replacement = ? WHERE kind = ? AND original = ?",
                    [value, *cache_key],
                )
                self.db.conn.commit()
        self.memory[cache_key] = value
        return value

    def apply(self, text: str) -> str:
        out, last = [], 0
        for e in detect(text):
            out.append(text[last : e.start])
            out.append(self.replacement(e))
            last = e.end
        out.append(text[last:])
        return "".join(out)
