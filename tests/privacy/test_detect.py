"""Detection: formats with their checks, Russian and Kazakh name forms, the allow-list."""

from __future__ import annotations

import pytest

from qualtool.privacy import rules
from qualtool.privacy.allow import AllowList
from qualtool.privacy.detect import Detector, Kind, detect
from qualtool.privacy.pseudonyms import Pseudonymiser

TEXT = (
    "Меня зовут Айгерим Нурлановна, мой ИИН 850101400123, телефон +7 (701) 123-45-67. "
    "Специалист Иванова мне нагрубила, а Ерлан Бекович помог. Живу на ул. Абая, д. 12, кв. 5. "
    "Пишите aigerim@mail.kz. Потом Иванову я больше не видела. Сотрудники ЦОНа были вежливы."
)


def test_detects_every_kind() -> None:
    found = {(e.kind, e.text) for e in detect(TEXT)}
    assert found == {
        (Kind.PERSON, "Айгерим Нурлановна"), (Kind.IIN, "850101400123"),
        (Kind.PHONE, "+7 (701) 123-45-67"), (Kind.PERSON, "Иванова"),
        (Kind.PERSON, "Ерлан Бекович"), (Kind.ADDRESS, "ул. Абая, д. 12, кв. 5"),
        (Kind.EMAIL, "aigerim@mail.kz"), (Kind.PERSON, "Иванову"),
    }  # fmt: skip


def test_iin_checksum() -> None:
    assert rules.iin_valid("850101400120")
    assert not rules.iin_valid("850101400123")
    assert [e.kind for e in detect("Номер заявки 123456789012 не проходил.")] == []
    assert [e.kind for e in detect("ИИН 850101400124, кажется")] == [Kind.IIN]  # cue word


@pytest.mark.parametrize("phone", ["87011234567", "8 701 123 45 67", "+7-701-123-45-67",
                                   "+7 (727) 2-123-456", "8 (7172) 55-55-55", "+77011234567",
                                   "8 727 272-12-34", "+7(701)1234567"])  # fmt: skip
def test_phone_formats(phone: str) -> None:
    assert [(e.kind, e.text) for e in detect(f"звоните {phone} вечером")] == [(Kind.PHONE, phone)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Я пошла к Нурлановой в акимат.", "Нурлановой"),
        ("Жалобу написала на имя Сейткалиева Бауыржана.", "Сейткалиева Бауыржана"),
        ("Маған Бекжан Тулегенұлы көмектесті.", "Бекжан Тулегенұлы"),
        ("Бөлім басшысы Айгүл Серікқызы бізді қабылдады.", "Айгүл Серікқызы"),
        ("С Гульнарой мы стояли в очереди вместе.", "Гульнарой"),
        ("Я передала документы Ерлану, а он их потерял.", "Ерлану"),
        ("Вопрос решила Әсел из соседнего окна.", "Әсел"),
    ],
)
def test_kazakh_and_declined_names(text: str, name: str) -> None:
    assert [(e.kind, e.text) for e in detect(text)] == [(Kind.PERSON, name)]


@pytest.mark.parametrize(
    "clean",
    [
        "Сотрудники ЦОНа были вежливы.",
        "Портал egov.kz завис, номер заявки 12345.",
        "Вера в систему пропала.",
        "Срок 10 дней, звонила в 1414.",
        "Я живу на ул. Абая, недалеко от ЦОНа.",
        "Проспект Назарбаева перекрыли, я опоздала.",
        "Школа имени Абая рядом с нашим домом.",
        "В акимате Алматы сказали ждать.",
        "Мекенжайым Абай көшесі, Алматы қаласы.",
        "Меня принимала Имя-1, телефон [телефон].",  # already pseudonymised
    ],
)
def test_leaves_ordinary_text_alone(clean: str) -> None:
    assert [(e.kind, e.text) for e in detect(clean)] == []


def test_study_allow_list() -> None:
    text = "Мы ездили в Каскелен к Жумабаеву."
    assert {e.text for e in detect(text)} == {"Каскелен", "Жумабаеву"} or {
        e.text for e in detect(text)
    } == {"Жумабаеву"}
    det = Detector(AllowList(["Каскелен"]))
    assert [e.text for e in det.detect(text)] == ["Жумабаеву"]


def test_keyed_stable_readable_pseudonyms() -> None:
    p = Pseudonymiser(b"k" * 32)
    out = p.apply(TEXT)
    assert out.count("Имя-2") == 2  # Иванова … Иванову: one person in two case forms
    assert "[ИИН]" in out and "[телефон]" in out and "[адрес]" in out and "[e-mail]" in out
    assert "ЦОНа" in out and "Айгерим" not in out
    again = Pseudonymiser(b"k" * 32, p.numbers).apply("Спросите Иванову.")
    assert again == "Спросите Имя-2."  # stable per study (same secret and numbering)
    other = Pseudonymiser(b"z" * 32)
    assert p.digest("person", "иванов") != other.digest(
        "person", "иванов"
    )  # keyed, not a plain hash
