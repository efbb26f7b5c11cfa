"""Overlapping spans are replaced as one covering them all: the first by start used to win and
the rest were skipped, so a reviewer's «ерлан сериков» beside an earlier «ерлан» left «сериков»
in the text after --apply (and in exports). Found by the session-9 walkthrough (walk-fixes)."""

from __future__ import annotations

from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser, merge_overlapping


def test_merge_overlapping_keeps_apart_what_only_touches() -> None:
    text = "А мой сосед ерлан сериков ходил трижды."
    spans = [Entity(Kind.PERSON, a, b, text[a:b], text[a:b]) for a, b in
             [(12, 17), (12, 25), (6, 17), (26, 31), (18, 25)]]  # fmt: skip
    assert [(e.start, e.end, e.text) for e in merge_overlapping(text, spans)] == [
        (6, 25, "сосед ерлан сериков"), (26, 31, "ходил")]  # fmt: skip


def test_an_added_longer_name_over_a_shorter_one_leaves_nothing() -> None:
    text = "Потом ерлан сериков пришёл."
    pseud = Pseudonymiser(b"k" * 32)
    short = Entity(Kind.PERSON, 6, 11, "ерлан", "ерлан")
    full = Entity(Kind.PERSON, 6, 19, "ерлан сериков", "ерлан сериков")
    new, _edits = pseud.replace(text, [short, full])
    assert "сериков" not in new and "ерлан" not in new, new
    assert new.startswith("Потом Имя-") and new.endswith(" пришёл."), new
