"""What a finding is: its kind, where it sits in the text, and the identity behind it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qualtool.domain.pseudonym import LABEL_WORDS
from qualtool.i18n import N_


class Kind(StrEnum):
    PERSON = "person"
    PHONE = "phone"
    IIN = "iin"
    EMAIL = "email"
    ADDRESS = "address"


LABELS = {kind: LABEL_WORDS[kind.value] for kind in Kind}


# a kind in the viewer's words (the stored values are the CLI's tokens: --add …:person)
KIND_WORDS = {Kind.PERSON: N_("name"), Kind.PHONE: N_("phone"), Kind.IIN: N_("IIN"),
              Kind.EMAIL: N_("e-mail"), Kind.ADDRESS: N_("address")}  # fmt: skip


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
