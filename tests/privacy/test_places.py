"""A hyphenated city is not a person: «Усть-Каменогорске» became a pseudonym because its
parts pass for first names (Усть → Устя, Нур, Султан) and an unknown capitalised word next to
a name part joins it. Hyphenated surnames, patronymics and Kazakh names next to those cities
are still found."""

from __future__ import annotations

import pytest

from qualtool.privacy.detect import Detector

CASES = [
    ("Я живу в Усть-Каменогорске уже десять лет, в ЦОН хожу часто.", []),
    ("Мы ездили в Усть-Каменогорск за справкой, там очередь меньше.", []),
    ("Потом переехали в Нур-Султан, а справку ждали из Нур-Султана месяц.", []),
    ("В Петропавловске нам отказали, сказали ехать в Усть-Каменогорск.", []),
    ("Мне помогла Анна Петрова-Водкина из Усть-Каменогорска.", ["Анна Петрова-Водкина"]),
    ("Картину Петров-Водкин написал давно, а в Нур-Султане её видел Ерлан Сейткалиев.",
     ["Петров-Водкин", "Ерлан Сейткалиев"]),
    ("В Усть-Каменогорске меня принял Сергей Петрович, очень вежливо.", ["Сергей Петрович"]),
    ("Жанар Бекқызы работает в ЦОНе Нур-Султана уже пятый год.", ["Жанар Бекқызы"]),
    ("Из Петропавловска приехала Айгерим Нурлановна, а из Усть-Каменогорска Асель Маратқызы.",
     ["Айгерим Нурлановна", "Асель Маратқызы"]),
    ("Нур-Султан Абишевич из Усть-Каменогорска помог с документами.", ["Нур-Султан Абишевич"]),
    ("Сестра Гульнара Сейткалиева-Нурланова живёт в Усть-Каменогорске.",
     ["Гульнара Сейткалиева-Нурланова"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


@pytest.mark.parametrize(("text", "people"), CASES)
def test_cities_stay_people_are_found(detector: Detector, text: str, people: list[str]) -> None:
    assert [e.text for e in detector.detect(text)] == people


def test_without_ner_the_declined_city_is_still_a_place() -> None:
    rules_only = Detector(use_ner=False)
    assert rules_only.detect("Я живу в Усть-Каменогорске и езжу в Нур-Султан.") == []
    found = rules_only.detect("Картину Петрова-Водкина я видела с Асель Маратқызы в Нур-Султане.")
    assert [e.text for e in found] == ["Петрова-Водкина", "Асель Маратқызы"]
