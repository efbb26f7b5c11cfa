"""Session 16 (PRIV16 item 3): a diminutive of a person the study knows got a pseudonym of its
own («Айгулька», «Гулечка» beside «Айгуль»; «Верочка» beside «Вера»; «Серёжа» beside
«Сергей»): two numbers for one person, and «Айгульку» in a recording's notes was not found at
all where NER missed it. Linked when exactly one person's name fits; else kept apart, listed
«check» with who it could be."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import apply, cli, numbers, study_of, transcript

from qualtool.privacy import diminutives
from qualtool.privacy.detect import Detector


def test_links_a_diminutive_to_its_one_person() -> None:
    one, several = diminutives.links(["айгул серикбаевн", "айгулк", "верочка", "вера",
                                      "сережа", "сергей иванов"])  # fmt: skip
    assert one == {"айгулк": "айгул серикбаевн", "верочка": "вера", "сережа": "сергей иванов"}
    assert several == {}
    one, several = diminutives.links(["айгул серикбаевн", "гулнара жумабаев", "гулечк"])
    assert one == {} and several == {"гулечк": ("айгул серикбаевн", "гулнара жумабаев")}
    # a first name of its own, and words, are no one's diminutive
    assert diminutives.links(["серик", "сергей иванов"]) == ({}, {})


@pytest.mark.parametrize("word", ["Ручка", "Бабушка", "Девочка", "Собачка", "Кошечка"])
def test_common_diminutive_words_are_not_names(word: str) -> None:
    assert not diminutives.is_diminutive(word)
    assert Detector(use_ner=False).detect(f"Потом {word} пришла.") == []


def test_a_diminutive_is_found_without_ner() -> None:
    got = Detector(use_ner=False).detect("перезвонить: через Айгульку; Гулечка знает")
    assert [e.text for e in got] == ["Айгульку", "Гулечка"]


TURNS = [
    "Расскажите.",
    "Меня зовут Айгуль Серикбаевна, я пришла за справкой.",
    "Мама звала меня Айгулька, а соседка Верочка. Тётя Вера Павловна помогла.",
    "Сергей Иванов отказал, Серёжа вообще грубый.",
]


def test_one_person_keeps_one_pseudonym(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    apply(root, env)
    lines = transcript(root, "idi-01")
    aigul = numbers(lines[1])[0]
    vera, sergey = numbers(lines[2])[2], numbers(lines[3])[0]
    assert numbers(lines[2])[:2] == [aigul, vera]  # «Айгулька» is Айгуль, «Верочка» Вера
    assert numbers(lines[3]) == [sergey, sergey]  # «Серёжа» is Сергей Иванов
    assert_no_name(root, ["Айгул", "Верочк", "Серёж", "Серикбаев"])


def test_a_diminutive_of_several_is_listed_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns = ["Расскажите.", "Айгуль Серикбаевна и Гульнара Жумабаева пришли. Гулечка ушла."]
    root, env = study_of(tmp_path, monkeypatch, "idi-01", turns)
    r = cli(root, "anonymise", env=env)
    assert r.returncode == 0, r.stderr
    row = next(x for x in r.stdout.splitlines() if "⟦Гулечка⟧" in x)
    assert " check " in row and "Айгуль Серикбаевна" in row and "Гульнара Жумабаева" in row
