"""What a finding is: its kind, where it sits in the text, and the identity behind it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qualtool.domain.pseudonym import PERSON_LABEL


class Kind(StrEnum):
    PERSON = "person"
    PHONE = "phone"
    IIN = "iin"
    EMAIL = "email"
    ADDRESS = "address"


LABELS = {
    Kind.PERSON: PERSON_LABEL,
    Kind.PHONE: "телефон",
    Kind.IIN: "ИИН",
    Kind.EMAIL: "e-mail",
    Kind.ADDRESS: "адрес",
}


@dataclass(frozen=True, slots=True)
class Entity:
    kind: Kind
    start: int
    end: int
    text: str
    key: str  # normalised identity: the same person in another case form has the same key
    source: str = "rule"  # rule, ner, name-form, manual: shown in review
    # the key the release before case-folding gave this span (a vault may number it)
    legacy: str = ""
