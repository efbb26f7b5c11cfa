"""Readable, stable replacements: «Имя-3» for a person, «[ИИН]», «[телефон]», «[e-mail]»,
«[адрес]» for the rest.

A person's number is looked up by HMAC-SHA256(vault secret, kind + normalised name): the
numbering (kept in the encrypted vault) reveals nothing without the secret, unlike a plain
hash of a name, which a list of names reverses in seconds. The same person gets the same
number in every recording of the study and on every later run.

Numbers are given per laptop (each has its own vault), so a new number starts after the
highest «Имя-N» already in the study's text (`taken`): a colleague's laptop that anonymised and
pushed first has used those numbers, and its «Имя-3» must not become a second person here.
This vault cannot learn the other laptop's mapping (it never saw the original behind «Имя-3»,
only the pseudonym), so the same person first named on two laptops gets two numbers: distinct
people never share one, which is what a reader of the study must be able to trust.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable

from qualtool.domain.pseudonym import NUMBERED
from qualtool.privacy import legacy_keys
from qualtool.privacy.detect import detect as default_detect
from qualtool.privacy.entity import LABELS, Entity, Kind

Detect = Callable[[str], list[Entity]]
# A person's number is stored under this key version since keys fold every case form together
# (`names.identity`); entries without it are an earlier release's, read by `_inherited`.
CASE_FOLDED = "#cases"


def numbers_in_use(texts: Iterable[str | None]) -> dict[str, int]:
    """The highest pseudonym number per numbered kind found in `texts` (the study's text)."""
    found = [int(m) for t in texts if t for m in NUMBERED.findall(t)]
    return {Kind.PERSON.value: max(found)} if found else {}


class Pseudonymiser:
    def __init__(self, secret: bytes | None = None,
                 numbers: dict[str, dict[str, int]] | None = None,
                 taken: dict[str, int] | None = None,
                 earlier: dict[str, dict[str, Entity]] | None = None) -> None:  # fmt: skip
        # no secret: a throw-away one (numbering consistent within this run only)
        self.secret = secret or secrets.token_bytes(32)
        # the people the vault's earlier applies replaced (`outside_names.Known`, originals:
        # only with the vault open), so a key or file name that still names one is found
        self.earlier = earlier or {}
        self.numbers = numbers if numbers is not None else {}
        self.taken = taken or {}  # highest number per kind already in the study (any laptop)
        # a diminutive's key → its one person's (`diminutives.links`, set by the apply's plan):
        # «Айгульку» in a memo is the Айгуль Серикбаевна the segments name
        self.aliases: dict[str, str] = {}

    def digest(self, kind: Kind | str, key: str) -> str:
        return hmac.new(self.secret, f"{kind}\x00{key}".encode(), hashlib.sha256).hexdigest()

    def replacement(self, entity: Entity) -> str:
        if entity.kind != Kind.PERSON:
            return f"[{LABELS[entity.kind]}]"
        table = self.numbers.setdefault(entity.kind.value, {})
        if entity.key in self.aliases:
            entity = dataclasses.replace(entity, key=self.aliases[entity.key])
        d = self.digest(f"{entity.kind}{CASE_FOLDED}", entity.key)
        if d not in table:
            table[d] = self._inherited(entity, table) or 1 + max(
                max(table.values(), default=0), self.taken.get(entity.kind, 0)
            )
        return f"{LABELS[entity.kind]}-{table[d]}"

    def _inherited(self, entity: Entity, table: dict[str, int]) -> int | None:
        """The number an earlier release gave this person under another key: the old entry of
        the new key itself if there is one, else the lowest of its forms' entries (the first
        one given) — those of the release before case-folding («Гульнара» → «гульнара»,
        «Гульнары» → «гульнар»), the case-folded ones of the release before a woman's
        consonant name folded to its stem («Шолпан» → «шолпан», «Шолпаны» → «шолпаны»), and
        those of the release before the Kazakh letters folded, one per spelling («Айгерім» →
        «айгерім» then, «айгерим» now: the Russian spelling's entry is the new key's own, so
        where both were numbered she keeps the Russian one's).
        Order-independent, so every laptop and every run picks the same; the choice is then
        stored under the new key, and the old entries stay as they were. (The forms of the
        two releases before that are asked for in the span's own spelling and in Russian
        letters, not in every spelling: a name spelt both ways, last anonymised by one of
        those, takes the number its first spelling met finds.)

        Each of those is asked with every key the release before `names.fold` may have given
        the person (`legacy_keys.with_soft_signs`: «гулнара» was «гульнара» or «гулнара»), the
        lowest number found winning; where the key without the soft sign was numbered, that is
        the new key's own entry and she keeps it, as the Russian spelling's above."""
        if not table:
            return None  # a new vault: nothing to inherit
        found = [
            n for key in legacy_keys.with_soft_signs(entity.key)
            if (n := self._inherited_as(entity, key, table)) is not None
        ]  # fmt: skip
        return min(found, default=None)

    def _inherited_as(self, entity: Entity, key: str, table: dict[str, int]) -> int | None:
        """`_inherited` for one key the release before `names.fold` may have given `entity`."""
        own = table.get(self.digest(entity.kind, key))
        if own is not None:
            return own
        old = [entity.legacy] if entity.legacy else []
        spelt = legacy_keys.spelt_of(entity.text, key)
        folded = f"{entity.kind}{CASE_FOLDED}"
        found = [
            table[d]
            for k in {*old, *legacy_keys.paradigm(key, spelt)}
            if (d := self.digest(entity.kind, k)) in table
        ] + [
            table[d]
            for k in {*legacy_keys.folded_paradigm(key, spelt),
                      *legacy_keys.spelt_paradigm(key, spelt)}
            if (d := self.digest(folded, k)) in table
        ]  # fmt: skip
        return min(found, default=None)

    def replace(self, text: str, entities: Iterable[Entity]) -> tuple[str, list[Edit]]:
        """The new text and the edits made (old span → new span), left to right."""
        out, edits, last, shift = [], [], 0, 0
        for e in merge_overlapping(text, entities):
            new = self.replacement(e)
            out.append(text[last : e.start])
            out.append(new)
            edits.append(Edit(e.start, e.end, e.start + shift, e.start + shift + len(new)))
            shift += len(new) - (e.end - e.start)
            last = e.end
        out.append(text[last:])
        return "".join(out), edits

    def apply(self, text: str, detect: Detect | None = None) -> str:
        if detect is None:
            detect = default_detect
        return self.replace(text, detect(text))[0] if text else text


def merge_overlapping(text: str, entities: Iterable[Entity]) -> list[Entity]:
    """Spans that overlap become one, covering all of them (the identity of the longest that
    starts first): the first by start used to win and the rest were skipped, so a reviewer's
    «ерлан сериков» beside an earlier «ерлан» left «сериков» in the text, and an added
    «Сериковна Кенжебаева» overlapping a found «Гульнара Сериковна» left «Кенжебаева»."""
    out: list[Entity] = []
    for e in sorted(entities, key=lambda x: (x.start, -x.end)):
        if out and e.start < out[-1].end:
            if e.end > out[-1].end:
                m = out[-1]
                out[-1] = dataclasses.replace(m, end=e.end, text=text[m.start : e.end])
            continue
        out.append(e)
    return out


class Edit:
    __slots__ = ("new_end", "new_start", "old_end", "old_start")

    def __init__(self, old_start: int, old_end: int, new_start: int, new_end: int) -> None:
        self.old_start, self.old_end = old_start, old_end
        self.new_start, self.new_end = new_start, new_end


def map_pos(edits: list[Edit], pos: int, inside: str = "start") -> int:
    """Where old position `pos` lands in the new text. A position strictly inside a replaced
    span goes to the replacement's start (`inside="start"`) or end (`"end"`)."""
    shift = 0
    for e in edits:
        if pos <= e.old_start:
            break
        if pos < e.old_end:
            return e.new_start if inside == "start" else e.new_end
        shift = e.new_end - e.old_end
    return pos + shift
