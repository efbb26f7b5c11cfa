"""`pseudonym.anonymised_from`: a pulled text is a local one with words replaced by pseudonyms
(a colleague's `--apply` that also renamed the text source) — and nothing else changed."""

from __future__ import annotations

from qualtool.domain.pseudonym import anonymised_from

LOCAL = ["Меня принимала Гульнара Серикбаева в ЦОНе.", "Звоните  87011234567."]


def test_names_and_marks_replaced_are_the_same_text() -> None:
    assert anonymised_from(["Меня принимала Имя-1 в ЦОНе.", "Звоните [телефон]."], LOCAL)


def test_an_edit_beside_the_replacement_is_another_text() -> None:
    assert not anonymised_from(["Меня принимала Имя-1 в банке.", "Звоните [телефон]."], LOCAL)
    assert not anonymised_from(["Меня принимала Имя-1 в ЦОНе."], LOCAL)  # a segment fewer


def test_the_same_text_without_a_replacement_is_not_an_apply() -> None:
    assert not anonymised_from(LOCAL, LOCAL)
