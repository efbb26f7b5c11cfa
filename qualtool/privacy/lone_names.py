"""A first name or a surname said alone is the person of the recording's full name that has it.

A respondent introduced as «Гульнара Жумабаева» is «Гульнара» for the rest of the interview;
keyed word by word («гульнара жумабаев», «гульнара») she got two pseudonyms, Имя-1 and Имя-2,
and a report's reader counted two women. So, within one recording, a finding that is a first
name alone takes the key of the one full name found in that recording with that first name
(in any case form: «Гульнаре» alone is «Гульнара Жумабаева»'s too), and so that person's
pseudonym — in the listing, `--apply`, the review screen and every export, which all read the
findings from `review.segment_findings`.

A surname alone the same way: «Кенжебаева сказала…», «у Кенжебаевой» in an interview that
names «Шолпан Кенжебаева» are her. A surname's key is the same for a husband and a wife
(«Кенжебаев», «Кенжебаева» → «кенжебаев»), so it joins only a full name of a gender its form
allows (`genders`): «её муж Кенжебаев», «с Кенжебаевым» stay someone of their own beside
«Шолпан Кенжебаева»; «Кенжебаева», «Кенжебаеву» (a man's genitive or dative, a woman's
nominative or accusative) can be either and join.

A patronymic alone too: a respondent decided as «Айгуль Серикбаевна» is «Серикбаевна сказала…»,
«к Серикбаевне» later (a Russian interviewer addresses her so). Its form tells the gender
(«Серикбаевна» hers, «Серикбаевич» her brother's), so a brother never joins a sister; two
sisters in one interview share it and are two fits, so it keeps a pseudonym of its own. Where
its recording names no one with it (the interviewer calls her «Серикбаевна» in the second
interview with her), it is the study's one person with it (`STUDY`, filed for the segments and notes by
`review.recording_people`), if exactly one — a patronymic said alone is a form of
address to someone already introduced, so a bearer elsewhere in the study is a fair reading,
which a first name alone (the study's many Гульнара) is not. The replacement is a pseudonym
(«Имя-3»), which has no case to keep: «к Серикбаевне» becomes «к Имя-3», as a surname's forms do.

Only when exactly one person fits. «Гульнара» in a recording that names «Гульнара Серикбаевна»
and «Гульнара Жумабаева» could be either (two keys: they may be two women, or one named two
ways — the text cannot tell): it keeps a pseudonym of its own, as before; so does «Кенжебаевой»
beside «Шолпан Кенжебаева» and «Айгерим Кенжебаева». A full name rejected in the review is not
replaced, so it stands for nobody's pseudonym.

The scope is the recording, not the study: a recording is one interview, where a respondent's
name is one person, while the same first name in another interview is most likely someone
else — the study's most common names (Гульнара, Айгерим) would otherwise merge strangers, and
whether a lone name joined a person would depend on which other interviews were imported. It
also keeps `anonymise KEY` (some recordings) numbering the same as the whole study's run.

Except for the texts no one recording owns — memos, speaker labels (`in_study`): there a
surname alone («Кенжебаева грубила» in a coder's memo) is the one person of the whole study
with that surname in a gender its form allows (`study_people`: every full name the apply
knows). A surname is rarer than a first name, so one bearer in the study is a fair reading;
where several fit («Кенжебаева» beside «Шолпан Кенжебаева» and «Айгерим Кенжебаева») it keeps
a pseudonym of its own, and `doubtful` says so for the listing and the review screen — a
reader should write the full name there, qualtool does not guess. A first name alone is not
joined study-wide (the strangers above). A patronymic alone there the same way as a surname.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from qualtool.i18n import N_, _
from qualtool.nlp import analyzer, normalise
from qualtool.privacy import names
from qualtool.privacy.entity import Entity, Kind

_M, _F, _EITHER = frozenset("m"), frozenset("f"), frozenset("mf")
# a surname's case ending after -ов/-ев/-ин/-ын (`names._SURNAME_FORM`): the genders it allows
# (the plural's -ы, -ых, -ыми: a family, either)
_ENDING_GENDERS = {"": _M, "а": _EITHER, "у": _EITHER, "ым": _M, "ом": _M, "е": _M, "ой": _F,
                   "ою": _F, "ы": _EITHER, "ых": _EITHER, "ыми": _EITHER}  # fmt: skip
# … and after -ск-/-цк-
_ADJ_GENDERS = {"ий": _M, "ого": _M, "ому": _M, "им": _M, "ом": _M, "ая": _F, "ой": _F,
                "ою": _F, "ую": _F, "ие": _EITHER, "их": _EITHER, "ими": _EITHER}  # fmt: skip
_FEMININE_PATRONYMIC = re.compile(r"(?:овн|евн|ичн|инична|[кқ]ызы)")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_GIVEN, _PATRONYMIC, _SURNAME = "given", "patronymic", "surname"
# why a patronymic alone is listed «check» (`doubtful`), a message id translated when shown
DOUBTFUL_PATRONYMIC = N_("several people have this patronymic: replaced on its own; write the "
                         "full name to make it theirs")  # fmt: skip
# … and a surname alone in a text no one recording owns (memos, labels, the metadata)
DOUBTFUL_SURNAME = N_("several people in the study have this surname: replaced on its own; "
                      "write the full name to make it theirs")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """A full name found in a recording: its entity (the first found), the keys of its words
    that are a surname, and the genders all its forms there allow; the keys of its words that
    are a patronymic (last: a Person made before they were joined still reads)."""

    entity: Entity
    surnames: frozenset[str]
    genders: frozenset[str]
    patronymics: frozenset[str] = frozenset()


People = dict[tuple[str, str], dict[str, Person]]  # (recording, a word's key) → full key → person
STUDY = ""  # the «recording» the study's people are filed under (`study_people`)


def role(word: str) -> str:
    """What part of a name `word` is: a first name (a listed one, or one pymorphy3 reads as a
    first name likelier than as a surname — Kazakh names it does not know: likelier a name), a
    patronymic, else a surname. A surname's form pymorphy3 reads as a first name's plural
    («Сейткалиев», «Нурланов») is a surname."""
    low = normalise(word)
    if names._lexicon_base(low):
        return _GIVEN
    if names.PATRONYMIC.search(low):
        return _PATRONYMIC
    parses = analyzer("ru").morph().parse(word)
    family = sum(p.score for p in parses if "Surn" in p.tag or "Patr" in p.tag)
    if names._SURNAME_FORM.match(low):
        given = sum(p.score for p in parses if "Name" in p.tag and "plur" not in p.tag)
        return _GIVEN if given > family else _SURNAME
    given = sum(p.score for p in parses if "Name" in p.tag)
    return _GIVEN if given > family else _SURNAME


def genders(word: str) -> frozenset[str]:
    """The genders a surname's or patronymic's form allows: «Кенжебаевой» a woman's,
    «Кенжебаевым» and «Кенжебаевқа» a man's, «Кенжебаеваға» a woman's, «Кенжебаева» either
    (her nominative, his genitive); «Нурлановна» a woman's, «Нурланович» a man's. Any other
    word: either."""
    low = normalise(word)
    if names.PATRONYMIC.search(low):
        return _F if _FEMININE_PATRONYMIC.search(low) else _M
    if names._KK_AFTER_FEMININE.search(low):
        return _F  # «Кенжебаеваға»
    if names._KK_AFTER_SURNAME.search(low):
        return _M  # «Кенжебаевқа»
    m = names._SURNAME_FORM.match(low)
    if m and m.group("root"):
        return _ENDING_GENDERS.get(low[len(m.group("root")) :], _EITHER)
    if m and m.group("adj"):
        return _ADJ_GENDERS.get(low[len(m.group("adj")) :], _EITHER)
    return _EITHER


def _given_genders(word: str) -> frozenset[str]:
    """The gender pymorphy3 knows a first name by, where all its readings as a name agree (a
    name it does not know, it guesses at: «Ерлан» a woman's)."""
    found = {
        g for p in analyzer("ru").morph().parse(word)
        if "Name" in p.tag and p.is_known and p.score >= 0.1
        for tag, g in (("masc", "m"), ("femn", "f")) if tag in p.tag
    }  # fmt: skip
    return frozenset(found) if len(found) == 1 else _EITHER


def _full(e: Entity) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """A full name's surname keys, the genders its words allow together, its patronymic keys. A surname ending
    «-а» or «-у» beside a first name in its nominative is a woman's («Шолпан Кенжебаева»,
    «Шолпан Кенжебаеву»): a man's genitive or dative declines his first name too («Ерлана
    Кенжебаева»)."""
    words, keys = _NAME_WORD.findall(e.text), e.key.split()
    if len(words) != len(keys):
        return frozenset(), _EITHER, frozenset()
    roles = [role(w) for w in words]
    nominative = any(
        r == _GIVEN and names.fold(normalise(w)) == k
        for w, k, r in zip(words, keys, roles, strict=True)
    )
    allowed = _EITHER
    for w, r in zip(words, roles, strict=True):
        g = _given_genders(w) if r == _GIVEN else genders(w)
        if r == _SURNAME and g == _EITHER and nominative and normalise(w)[-1:] in ("а", "у"):
            g = _F if names._SURNAME_FORM.match(normalise(w)) else g
        allowed &= g
    surnames = frozenset(k for k, r in zip(keys, roles, strict=True) if r == _SURNAME)
    patronymics = frozenset(k for k, r in zip(keys, roles, strict=True) if r == _PATRONYMIC)
    return surnames, allowed, patronymics


def people(found: Iterable[tuple[str, Entity]], study: bool = False) -> People:
    """Per recording, each word's key of every full name found there (a person's key of two
    or more words): `found` is every span that will be replaced, with its recording. With
    `study`, each is filed under `STUDY` too (a patronymic alone whose recording names no
    one with it: `as_person`)."""
    persons: dict[tuple[str, str], Person] = {}
    read: dict[tuple[str, str], tuple[frozenset[str], ...]] = {}  # a name's text read once
    for recording, e in found:
        if e.kind is not Kind.PERSON or len(e.key.split()) < 2:
            continue
        if (e.key, e.text) not in read:
            read[e.key, e.text] = _full(e)
        surnames, allowed, patronymics = read[e.key, e.text]
        for where in (recording, STUDY) if study and recording != STUDY else (recording,):
            was = persons.get((where, e.key))
            persons[where, e.key] = (
                Person(e, surnames, allowed, patronymics) if was is None
                else Person(was.entity, was.surnames | surnames, was.genders & allowed,
                            was.patronymics | patronymics)
            )  # fmt: skip
    out: People = {}
    for (recording, key), person in persons.items():
        for w in key.split():
            out.setdefault((recording, w), {})[key] = person
    return out


def fitting(recording: str, e: Entity, known: People, given: bool = True) -> list[Person]:
    """The full names of `recording` that `e` may be, when it is a first name (`given`), a
    surname or a patronymic alone (of a gender its form allows)."""
    if e.kind is not Kind.PERSON or " " in e.key or " " in e.text.strip():
        return []
    persons = known.get((recording, e.key))
    if not persons:
        return []
    word = e.text.strip()
    kind = role(word)
    if kind == _GIVEN and given:
        return list(persons.values())
    if kind == _SURNAME:
        allowed = genders(word)
        return [p for p in persons.values() if e.key in p.surnames and p.genders & allowed]
    if kind == _PATRONYMIC:
        allowed = genders(word)
        return [p for p in persons.values() if e.key in p.patronymics and p.genders & allowed]
    return []


def patronymic_alone(e: Entity) -> bool:
    """`e` is a patronymic said alone («Серикбаевна», «к Серикбаевне»): `role`'s reading,
    without asking pymorphy3 (this is asked of every finding)."""
    word = e.text.strip()
    if e.kind is not Kind.PERSON or " " in e.key or " " in word:
        return False
    low = normalise(word)
    return bool(names.PATRONYMIC.search(low)) and not names._lexicon_base(low)


def as_person(recording: str, e: Entity, known: People, given: bool = True) -> Entity:
    """`e` keyed as the recording's one full name with its first name, its surname or its
    patronymic (of a gender its form allows), when it is that word alone; else `e` as it is.
    A patronymic no one of the recording has: the study's one person with it, when `known`
    files the study's people (`STUDY`)."""
    fit = fitting(recording, e, known, given)
    if not fit and recording != STUDY and patronymic_alone(e):
        fit = fitting(STUDY, e, known, given)
    if len(fit) != 1:
        return e
    return dataclasses.replace(e, key=fit[0].entity.key, legacy=fit[0].entity.legacy)


def joined(recording: str, found: Iterable[Entity], known: People) -> list[Entity]:
    """`found` in a text of `recording` (its notes), each lone name keyed as its person."""
    return [as_person(recording, e, known) for e in found]


def study_people(found: Iterable[Entity]) -> People:
    """The full names of the whole study, filed under `STUDY`: `found` is every person the
    apply knows (`metadata.Plan.people`: the segments', the metadata's, the memos', notes' and
    labels', the earlier applies')."""
    return people((STUDY, e) for e in found)


def in_study(found: Iterable[Entity], known: People) -> list[Entity]:
    """`found` in a memo or a speaker label: a surname alone keyed as the study's one person
    with it (`study_people`); a first name alone as it is."""
    return [as_person(STUDY, e, known, given=False) for e in found]


def doubtful(e: Entity, known: People, recording: str = STUDY) -> bool:
    """`e` is a surname or a patronymic alone that several of the study's people may be
    (`in_study` left it a pseudonym of its own) — or, with `recording`, several of that
    recording's (a patronymic none of them has: of the study's): the listing flags it for a
    reader to check."""
    return len(_fit(e, known, recording)) > 1


def _fit(e: Entity, known: People, recording: str) -> list[Person]:
    """The people `e` may be: the recording's, else (a patronymic none of them has) the
    study's — what `doubtful` counts and `candidates` names."""
    fit = fitting(recording, e, known, given=False)
    if not fit and recording != STUDY and patronymic_alone(e):
        fit = fitting(STUDY, e, known, given=False)
    return fit


def candidates(e: Entity, known: People, recording: str = STUDY) -> tuple[str, ...]:
    """The full names `e` may be where it is `doubtful` (each as first found), for the reader
    who checks it: which people it could be."""
    fit = _fit(e, known, recording)
    return tuple(sorted({p.entity.text for p in fit})) if len(fit) > 1 else ()


def doubt(found: Iterable[Entity], known: People) -> tuple[str, tuple[str, ...]]:
    """Why a text no one recording owns (a memo, a label, an interviewer, a participant) is
    listed «check»: the note of its first surname or patronymic alone that several of the
    study's people may be (`doubtful`), a message id translated when shown, and who they are
    (`candidates`); ("", ()) for none."""
    for e in found:
        if doubtful(e, known):
            note = DOUBTFUL_PATRONYMIC if patronymic_alone(e) else DOUBTFUL_SURNAME
            return note, candidates(e, known)
    return "", ()


def said(note: str, could: tuple[str, ...] = ()) -> str:
    """A «check» row's note as the listing and F10 say it, in the viewer's language: why, and
    which people it could be."""
    if not note:
        return ""
    who = _("could be: {people}").format(people=", ".join(could)) if could else ""
    return f"{_(note)}; {who}" if who else _(note)
