"""Session 16 (PRIV16 items 1 and 2): names written in Latin letters («Gulnara Serikbayeva» in
a passport line, «Yerzhan Tulegenov» in a chat) and full names typed in lower case («жанар
сапаровой», «у айгуль сериковны») were not detected, so they stayed in every file after
`--apply`. Brands, services and lone lower-case words are not names."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import apply, study_of, transcript

from qualtool.privacy import known_forms, latin_names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind

TURNS = [
    "Представьтесь, пожалуйста.",
    "Меня зовут Гульнара Серикбаева, в паспорте Gulnara Serikbayeva. Мой начальник Yerzhan "
    "Tulegenov.",
    "Оплатила через Kaspi Gold, потом Halyk Bank, WhatsApp Business, Enbek и Damumed, eGov.",
    "я говорила с жанар сапаровой, потом у айгуль сериковны спросила.",
    "Serik Nurlanovich тоже помог.",
]
NAMES = ["Serikbay", "Gulnara", "Tulegen", "Yerzhan", "сапаров", "сериковн", "Nurlanov"]


def _people(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.key) for e in Detector(use_ner=False).detect(text) if e.kind is Kind.PERSON]


def test_a_latin_full_name_is_the_cyrillic_one() -> None:
    got = _people("Меня зовут Гульнара Серикбаева, в паспорте Gulnara Serikbayeva.")
    assert got == [("Гульнара Серикбаева", "гулнара серикбаев"),
                   ("Gulnara Serikbayeva", "гулнара серикбаев")]  # fmt: skip
    assert _people("Serik Nurlanovich сказал") == [("Serik Nurlanovich", "серик нурланович")]
    assert latin_names.cyrillic("Aigerim") == "Айгерим"
    assert latin_names.cyrillic("Yerzhan") == "Ержан"


@pytest.mark.parametrize("text", [
    "Оплатила через Kaspi Gold, потом Halyk Bank и WhatsApp Business.",
    "Зашла в Enbek, Damumed и eGov, потом в Google Meet.",
    "Написала в Telegram, ответил Kaspi.",
    "Aigul сказала, что придёт.",  # one Latin word alone: not the detector's
])  # fmt: skip
def test_brands_and_a_lone_latin_word_are_no_one(text: str) -> None:
    assert _people(text) == []


def test_a_lower_case_full_name() -> None:
    assert _people("я говорила с жанар сапаровой вчера") == [("жанар сапаровой", "жанар сапаров")]
    assert _people("спросить у айгуль сериковны") == [("айгуль сериковны", "айгул сериковн")]


@pytest.mark.parametrize("text", [
    "вера ушла, надежды нет, дана справка",
    "роза ветров и лилия в саду",
    "марат пришёл",  # a lone lower-case first name: too unsure
    "сотрудница нагрубила мне",
])  # fmt: skip
def test_lower_case_words_are_not_names(text: str) -> None:
    assert _people(text) == []


def test_a_known_person_in_latin_alone() -> None:
    known = known_forms.reviewed([Entity(Kind.PERSON, 0, 6, "Айгуль", "айгул", "name-form")])
    got = [(e.text, e.key) for e in known_forms.missed("Потом Aigul сказала.", [], known)]
    assert got == [("Aigul", "айгул")]


def test_latin_and_lower_case_names_leave_no_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    assert names_left(root, NAMES)  # the check sees them before
    apply(root, env)
    assert_no_name(root, NAMES)
    lines = transcript(root, "idi-01")
    assert "Kaspi Gold" in lines[2] and "Halyk Bank" in lines[2] and "Damumed" in lines[2]
    assert lines[1].count("Имя-1") == 2  # one person in both alphabets
