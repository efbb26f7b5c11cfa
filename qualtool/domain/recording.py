"""Recordings and the pseudonymous people in them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from qualtool.i18n import N_, _, translate


class Method(StrEnum):
    """Fieldwork method; the reports group quotes by it (IDI → mystery shopper → focus group)."""

    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    MYSTERY_SHOPPER = "mystery_shopper"
    OTHER = "other"

    @property
    def label_ru(self) -> str:
        """The reports' word (a report is written in Russian whatever the interface speaks)."""
        return _METHOD_RU[self]

    @property
    def label(self) -> str:
        """The interface's word: the stored value («interview») read as English in Russian."""
        return _(_METHOD_LABEL[self])

    @property
    def short(self) -> str:
        return {"interview": "IDI", "focus_group": "FG", "mystery_shopper": "MS"}.get(
            self.value, _("other")
        )

    @classmethod
    def parse(cls, value: str) -> Method:
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        return _METHOD_ALIASES.get(key) or cls(key)


_METHOD_RU = {
    Method.INTERVIEW: "глубинное интервью",
    Method.FOCUS_GROUP: "фокус-группа",
    Method.MYSTERY_SHOPPER: "тайный покупатель",
    Method.OTHER: "другое",
}
_METHOD_LABEL = {
    Method.INTERVIEW: N_("in-depth interview"),
    Method.FOCUS_GROUP: N_("focus group"),
    Method.MYSTERY_SHOPPER: N_("mystery shopper"),
    Method.OTHER: N_("other"),
}
_METHOD_ALIASES = {
    "idi": Method.INTERVIEW,
    "in_depth_interview": Method.INTERVIEW,
    "fg": Method.FOCUS_GROUP,
    "focus": Method.FOCUS_GROUP,
    "ms": Method.MYSTERY_SHOPPER,
    "mystery": Method.MYSTERY_SHOPPER,
}


class Language(StrEnum):
    """Recording language. AUTO means: detect, but only among the study's languages."""

    RU = "ru"
    KK = "kk"
    AUTO = "auto"

    @property
    def label(self) -> str:
        """The interface's word: «ru» and «kk» are codes in any language, «auto» is English."""
        return _("auto") if self is Language.AUTO else self.value


class Role(StrEnum):
    RECIPIENT = "recipient"
    EXPERT = "expert"
    CIVIL_SERVANT = "civil_servant"
    ENTREPRENEUR = "entrepreneur"
    INTERVIEWER = "interviewer"
    OTHER = "other"

    @property
    def label_ru(self) -> str:
        return _ROLE_RU[self]

    @property
    def label(self) -> str:
        """The interface's word for the role."""
        return _(_ROLE_LABEL[self])


_ROLE_RU = {
    Role.RECIPIENT: "услугополучатель",
    Role.EXPERT: "эксперт",
    Role.CIVIL_SERVANT: "государственный служащий",
    Role.ENTREPRENEUR: "предприниматель",
    Role.INTERVIEWER: "интервьюер",
    Role.OTHER: "участник",
}

_ROLE_LABEL = {
    Role.RECIPIENT: N_("service recipient"),
    Role.EXPERT: N_("expert"),
    Role.CIVIL_SERVANT: N_("civil servant"),
    Role.ENTREPRENEUR: N_("entrepreneur"),
    Role.INTERVIEWER: N_("interviewer"),
    Role.OTHER: N_("participant"),
}

AGE_BANDS = ("16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")


@dataclass(frozen=True, slots=True)
class Participant:
    """A pseudonymous respondent; the real identity never enters the study."""

    pseudonym: str
    role: Role = Role.RECIPIENT
    gender: str | None = None  # "f" / "m" / None
    age_band: str | None = None
    region: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Recording:
    """One audio or video file of an interview, focus group or mystery-shopper visit.

    Before import only the study metadata is known: the file facts (path, checksum, duration,
    format) stay empty until `recordings.import_file` probes the file, and an empty key asks
    for one made from the file name. One record for both, so metadata is never mapped twice.
    """

    key: str = ""  # short, stable, human id ("idi-01"); used on the command line
    path: str = ""  # relative to the study folder when inside it
    checksum: str = ""  # sha256 of the file: duplicates are refused
    duration: float = 0.0  # seconds
    format: str = ""
    method: Method = Method.INTERVIEW
    service: str | None = None
    region: str | None = None
    language: Language = Language.AUTO
    date: date | None = None
    interviewer: str | None = None
    consent: bool = False
    notes: str | None = None
    participants: tuple[Participant, ...] = ()
    id: int | None = None

    @property
    def text_only(self) -> bool:
        """An interview without audio (written notes, a transcript from elsewhere): there is
        nothing to transcribe or play, and its path `text:<key>` is no file."""
        return self.path.startswith(TEXT_SOURCE)


TEXT_SOURCE = "text:"  # the path of a recording whose transcript came as text

EDITABLE_FIELDS = (
    "method",
    "service",
    "region",
    "language",
    "date",
    "interviewer",
    "consent",
    "notes",
)


def plain_fields(rec: Recording) -> dict[str, Any]:
    """The recording as plain values (str, float, bool, None): the one mapping behind both its
    database row and its entry in audio/recordings.yml."""
    return {
        "key": rec.key,
        "path": rec.path,
        "checksum": rec.checksum,
        "duration": rec.duration,
        "format": rec.format,
        "method": rec.method.value,
        "service": rec.service,
        "region": rec.region,
        "language": rec.language.value,
        "date": rec.date.isoformat() if rec.date else None,
        "interviewer": rec.interviewer,
        "consent": rec.consent,
        "notes": rec.notes,
    }


def parse_participant(value: str) -> Participant:
    """PSEUDONYM[:role[:gender[:age_band[:region]]]], e.g. R01:recipient:f:35-44:ВКО;
    ValueError with the reason otherwise (the CLI and the TUI share this format)."""
    parts = [p.strip() or None for p in value.split(":")]
    parts += [None] * (5 - len(parts))
    pseudonym, role, gender, age, region = parts[:5]
    if not pseudonym:
        raise ValueError(_("a participant needs a pseudonym"))
    try:
        role_v = Role(role) if role else Role.RECIPIENT
    except ValueError:
        raise ValueError(
            _("role {role!r}: use one of {roles}").format(
                role=role, roles=", ".join(r.value for r in Role)
            )
        ) from None
    if gender not in (None, "f", "m"):
        raise ValueError(_("gender {gender!r}: use f or m").format(gender=gender))
    if age and age not in AGE_BANDS:
        raise ValueError(
            _("age band {age!r}: use one of {bands}").format(age=age, bands=", ".join(AGE_BANDS))
        )
    return Participant(pseudonym=pseudonym, role=role_v, gender=gender, age_band=age, region=region)


def method_label(value: str | None) -> str:
    """A stored method («focus_group») in the interface's words; an unknown value as stored."""
    try:
        return Method(value).label if value else ""
    except ValueError:
        return str(value)


def role_label(value: str | None) -> str:
    """A stored role («recipient») in the interface's words; an unknown value as stored."""
    try:
        return Role(value).label if value else ""
    except ValueError:
        return str(value)


def find_role(word: str) -> Role | None:
    """A participant role as a coder types it after `--role`: its stored value
    («civil_servant»), its word in the interface or in Russian («эксперт», «государственный
    служащий»), as `typed_role` folds it; None for anything else."""
    typed = typed_role(word)
    for role in Role:
        words = {role.value, role.label, role.label_ru, _ROLE_LABEL[role],
                 translate(_ROLE_LABEL[role], "ru")}  # fmt: skip
        if typed in {typed_role(w) for w in words}:
            return role
    return None


# Kazakh letters as the Russian ones a Kazakh keyboard puts them for («участнік»)
_KAZAKH_LETTERS = str.maketrans("әіөүұқғңһ", "аиоуукгнх")
_TRAILING = ":;,.!?…"  # a label's colon, a sentence's stop: not part of the word


def typed_role(word: str) -> str:
    """A role word as a coder typed it, folded for comparison: any case, «ё» as «е», Kazakh
    letters as Russian ones, «_» or «-» a space, spaces collapsed, a trailing «:» or other
    stop dropped — «Интервьюер:», «INTERVIEWER», «civil-servant». The one fold of both places a
    role is typed, a speaker's (`files.speaker_map.parse_role`) and a participant's
    (`find_role`): they folded differently, and «Интервьюер:» was a role in one only."""
    low = word.casefold().replace("ё", "е").translate(_KAZAKH_LETTERS)
    spaced = " ".join(low.replace("_", " ").replace("-", " ").split())
    return spaced.rstrip(_TRAILING).strip()


def text_identity(texts: Iterable[str]) -> str:
    """A transcript's identity by its words (segments in order, spacing ignored): a text source
    renamed on one laptop is the same text under the new key on the other, which has nothing
    else to know it by (its `text:<key>` path is the key)."""
    words = "\n".join(" ".join(t.split()) for t in texts if t.strip())
    return hashlib.sha256(words.encode()).hexdigest()
