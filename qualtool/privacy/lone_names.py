"""A first name said alone is the person of the recording's full name that has it.

A respondent introduced as «Гульнара Жумабаева» is «Гульнара» for the rest of the interview;
keyed word by word («гульнара жумабаев», «гульнара») she got two pseudonyms, Имя-1 and Имя-2,
and a report's reader counted two women. So, within one recording, a finding that is a first
name alone takes the key of the one full name found in that recording with that first name
(in any case form: «Гульнаре» alone is «Гульнара Жумабаева»'s too), and so that person's
pseudonym — in the listing, `--apply`, the review screen and every export, which all read the
findings from `review.segment_findings`.

Only when exactly one person fits. «Гульнара» in a recording that names «Гульнара Серикбаевна»
and «Гульнара Жумабаева» could be either (two keys: they may be two women, or one named two
ways — the text cannot tell): it keeps a pseudonym of its own, as before. A surname or a
patronymic alone is not folded (a husband and wife share a surname's key), nor is a full name
rejected in the review: it is not replaced, so it stands for nobody's pseudonym.

The scope is the recording, not the study: a recording is one interview, where a respondent's
name is one person, while the same first name in another interview is most likely someone
else — the study's most common names (Гульнара, Айгерим) would otherwise merge strangers, and
whether a lone name joined a person would depend on which other interviews were imported. It
also keeps `anonymise KEY` (some recordings) numbering the same as the whole study's run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from qualtool.nlp import analyzer, normalise
from qualtool.privacy import names
from qualtool.privacy.entity import Entity, Kind

People = dict[tuple[str, str], Entity]  # (recording, first name's key) → the full name's entity


def first_name(word: str) -> bool:
    """A first name, not a surname or a patronymic: a listed one, or one pymorphy3 reads as a
    first name likelier than as a surname (Kazakh names it does not know: likelier a name)."""
    low = normalise(word)
    if names._lexicon_base(low):
        return True
    if names.PATRONYMIC.search(low):
        return False
    parses = analyzer("ru").morph().parse(word)
    given = sum(p.score for p in parses if "Name" in p.tag)
    family = sum(p.score for p in parses if "Surn" in p.tag or "Patr" in p.tag)
    return given > family


def people(found: Iterable[tuple[str, Entity]]) -> People:
    """Per recording, each first name that exactly one full name found there holds (a person's
    key of two or more words): `found` is every span that will be replaced, with its recording."""
    fits: dict[tuple[str, str], dict[str, Entity]] = {}
    for recording, e in found:
        words = e.key.split()
        if e.kind is Kind.PERSON and len(words) > 1:
            for w in words:
                fits.setdefault((recording, w), {}).setdefault(e.key, e)
    return {at: next(iter(by.values())) for at, by in fits.items() if len(by) == 1}


def as_person(recording: str, e: Entity, known: People) -> Entity:
    """`e` keyed as the recording's one full name with its first name, when it is that first
    name alone; else `e` as it is."""
    if e.kind is not Kind.PERSON or " " in e.key or " " in e.text.strip():
        return e
    person = known.get((recording, e.key))
    if person is None or not first_name(e.text.strip()):
        return e
    return dataclasses.replace(e, key=person.key, legacy=person.legacy)
