"""Session 15's leak hunt (r8, r7): a word the study knows as a person's name — found and
replaced in one place, «тётя Вера» → «тётя Имя-1» — stayed as written in its other capitalised
whole-word occurrences, at a sentence start above all («Вера сказала…», «Вера потом ещё раз
ходила»), in the next segment and in a coder's memo: the output paired the pseudonym with the
real name, and the review after `--apply` listed nothing. Privacy over precision: once the
study knows the person, a capitalised occurrence of her name is hers, even where it is a
common word; a lower-case common word stays a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import apply, env_vault, new_study, transcript

from qualtool.coding.actions import write_memo
from qualtool.domain import Memo
from qualtool.privacy import known_forms
from qualtool.privacy.entity import Entity, Kind
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

TURNS = [
    "Расскажите.",
    "Со мной пришла тётя Вера. Вера сказала, что справку не дадут.",
    "Вера потом ещё раз ходила, Гулечка тоже.",
    "Моя соседка Гулечка всё знает.",
    "Гулечка и тётя Надежда пришли. Надежда Ким тоже.",
    "Надежде потом отказали. Вера опять ходила.",
]
NAMES = ["Вера", "Гулечк", "Надежд"]  # «Вере» is in «доверенность» of the codebook


def test_a_known_name_is_found_wherever_it_is_capitalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    rec = add_text_recording(ws.db, "idi-01", [("R01", t) for t in TURNS], region="ВКО",
                             service="Пособие")  # fmt: skip
    write_memo(ws.db, Memo("recording", str(rec.id), "Вера и Гулечка — соседки. Надежде звонить.",
                           "dana"))  # fmt: skip
    write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    assert names_left(root, NAMES)  # the check sees them before
    apply(root, env)
    assert_no_name(root, NAMES)
    lines = transcript(root, "idi-01")
    assert any("Имя-" in line and "тоже" in line for line in lines)


def test_a_known_common_word_name_at_a_sentence_start() -> None:
    known = known_forms.reviewed([Entity(Kind.PERSON, 0, 4, "Вера", "вера", "ner")])
    text = "Вера сказала. Потом Вера ушла; вера ушла. Вере звонили! Веру ждали, а надежды нет."
    got = [e.text for e in known_forms.missed(text, [], known)]
    assert got == ["Вера", "Вера", "Вере", "Веру"]  # «вера» in lower case is a word


def test_a_known_person_in_lower_case_and_a_known_diminutive_at_a_segment_start() -> None:
    """r7's «жанар сапаровой» and «Гулечка» are found once the study knows them (a person the
    study names nowhere else is the detector's alone)."""
    known = known_forms.reviewed([
        Entity(Kind.PERSON, 0, 14, "Жанар Сапарова", "жанар сапаров", "name-form"),
        Entity(Kind.PERSON, 0, 7, "Гулечка", "гулечк", "ner"),
    ])  # fmt: skip
    text = "я говорила с жанар сапаровой. Гулечка и тётя пришли."
    got = [(e.text, e.key) for e in known_forms.missed(text, [], known)]
    assert got == [("жанар сапаровой", "жанар сапаров"), ("Гулечка", "гулечк")]
