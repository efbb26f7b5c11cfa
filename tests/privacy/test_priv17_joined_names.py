"""Session 17 (PRIV17 item 2): names written together — «Askar_Nurlanov», «Айгуль_Серикова» (a
chat handle, a file name quoted in a turn), «AskarNurlanov», «#АйгульСерикова» — were read as
one unknown word: not found at all (the underscores), or keyed as a word of their own (a number
of their own, NER's guess taking in the word before). Found now in segments, memos, notes and
the metadata, the whole joined name replaced, with the spaced name's pseudonym."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import apply, cli, numbers, study_of, transcript

from qualtool.domain import Participant
from qualtool.privacy.detect import Detector
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace

TURNS = [
    "Расскажите.",
    "Меня зовут Айгуль Серикова, а в чате я Айгуль_Серикова и ставлю #АйгульСерикова.",
    "Мне писал Askar_Nurlanov, потом AskarNurlanov, это Askar Nurlanov из ЦОНа.",
    "Я переслала файл Zhanar_Saparova_2025.ogg и написала на aigul.serikova@mail.kz.",
]
NAMES = ["Айгуль", "Серикова", "Askar", "Nurlanov", "Zhanar", "Saparova", "aigul.serikova"]


@pytest.mark.parametrize(("text", "span", "key"), [
    ("Мне написал Askar_Nurlanov в чате.", "Askar_Nurlanov", "аскар нурланов"),
    ("Пишите Айгуль_Серикова, она ответит.", "Айгуль_Серикова", "айгул сериков"),
    ("Мой ник AskarNurlanov в телеграме.", "AskarNurlanov", "аскар нурланов"),
    ("Хэштег #АйгульСерикова везде.", "АйгульСерикова", "айгул сериков"),
])  # fmt: skip
def test_a_joined_name_is_found_keyed_as_the_spaced_one(text: str, span: str, key: str) -> None:
    got = [(e.text, e.key) for e in Detector().detect(text)]
    assert got == [(span, key)]


def test_brands_written_together_are_no_names() -> None:
    text = "Пришёл WhatsApp от КазПочта, PayPal, YouTube, iPhone и snake_case_word."
    assert Detector().detect(text) == []


def test_joined_names_leave_no_trace_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    r = cli(root, "code", "idi-01#2", "STAFF.CONDUCT", "--coder", "dana", "--memo",
            "Askar_Nurlanov грубил; спросить #АйгульСерикова", env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    ws = open_workspace(root, sync=True)
    rec = next(x for x in rec_store.list_recordings(ws.db) if x.key == "idi-01")
    rec_store.update_recording(ws.db, rec, notes="Перезвонить Айгуль_Серикова",
                               interviewer="Zhanar_Saparova",
                               participants=(Participant("AskarNurlanov"),))  # fmt: skip
    ws.save_manifest()
    ws.close()
    apply(root, env)
    lines = transcript(root, "idi-01")
    assert len(set(numbers(lines[1]))) == 1 and len(numbers(lines[1])) == 3, lines[1]
    assert len(set(numbers(lines[2]))) == 1 and len(numbers(lines[2])) == 3, lines[2]
    assert_no_name(root, NAMES)
