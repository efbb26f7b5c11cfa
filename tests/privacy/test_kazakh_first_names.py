"""Kazakh first names the detector did not know: «Шолпан» alone was found nowhere (not listed,
natasha misses it), so it survived `anonymise --apply` in segments, speaker labels and memos;
its Kazakh case forms («Шолпанның», «Айгерімнің», «Гүлнараның») were missed or numbered apart.
A listed name that is also a common word («Дана», «Роза», «Бақыт») counts only where its
capital says a name: mid-sentence, beside a surname, or as a whole text (a label)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import cli, env_vault

from qualtool.coding.actions import apply_codes, write_memo
from qualtool.domain import Memo
from qualtool.files.study import init_study
from qualtool.privacy import first_names, legacy_keys, names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Kind
from qualtool.privacy.pseudonyms import CASE_FOLDED, Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

REPO = Path(__file__).resolve().parents[2]
NEEDLES = ["шолпан", "айгерім", "гүлнар", " әсел", "серік"]  # «мәселе» is a word
KAZAKH_FORMS = ["Шолпанның", "Шолпанға", "Шолпанмен", "Шолпанды", "Шолпанда", "Шолпаннан",
                "Шолпанға", "Шолпаны", "Шолпане"]  # fmt: skip


def _people(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.key) for e in Detector().detect(text) if e.kind.value == "person"]


@pytest.mark.parametrize("text", ["Шолпан.", "Шолпан: я пришла в ЦОН.", "Со слов Шолпан, всё.",
                                  "Мы были с Шолпан.", "Айгерім келді.", "Серік пен Берік."])  # fmt: skip
def test_a_lone_kazakh_first_name_is_found(text: str) -> None:
    found = _people(text)
    assert found and all(k for _t, k in found), text


def test_a_first_name_and_surname_are_one_person() -> None:
    assert _people("Шолпан Кенжебаева пришла.") == [("Шолпан Кенжебаева", "шолпан кенжебаев")]


@pytest.mark.parametrize("word", KAZAKH_FORMS)
def test_kazakh_case_endings_fold_to_the_name(word: str) -> None:
    assert names.identity(word) == "шолпан"
    assert _people(f"Мен {word} сөйлестім.") == [(word, "шолпан")]


def test_other_names_with_kazakh_endings() -> None:
    assert names.identity("Айгерімнің") == "айгерим"  # in Russian letters: Айгерим's too
    assert names.identity("Гүлнараның") == "гулнара"
    assert names.identity("Асельмен") == "асел"  # and without the soft sign: Әсел's too
    out = Pseudonymiser(b"k" * 32).apply(
        "Шолпан айтты. Шолпанның құжаты, Шолпанға айттым, Шолпанмен бірге.", Detector().detect
    )
    assert "Шолпан" not in out and out.count("Имя-1") == 4, out


def test_a_name_that_is_also_a_word_needs_its_capital_to_say_name() -> None:
    assert _people("Дана справка о доходах.") == []  # «дана»: given
    assert _people("Мне дана справка.") == []
    assert _people("Бақыт деген жақсы нәрсе.") == []
    assert _people("Вчера Дана пришла.") == [("Дана", "дана")]
    assert _people("Дана Серикова пришла.") == [("Дана Серикова", "дана сериков")]
    assert _people("Роза") == [("Роза", "роза")]  # a speaker label alone
    assert _people("Мы говорили с Бақыт вчера.") == [("Бақыт", "бакыт")]
    assert names.common_word("дана") and names.common_word("роза")
    assert not names.common_word("шолпан") and not names.common_word("динара")


def test_the_list_is_long_and_names_each_spelling() -> None:
    for n in ("Шолпан", "Айгерим", "Айгерім", "Гульнур", "Жанар", "Динара", "Асель", "Әсел",
              "Ботагоз", "Ботагөз", "Мадина", "Салтанат", "Жулдыз", "Жұлдыз", "Айжан", "Меруерт",
              "Назерке", "Айдана", "Дана", "Нурлан", "Нұрлан", "Ержан", "Бауыржан", "Серик",
              "Серік", "Асхат", "Ерлан", "Даурен", "Дәурен", "Мурат", "Канат", "Қанат", "Берик",
              "Берік", "Айбек", "Талгат", "Талғат"):  # fmt: skip
        assert names.listed(n), n
    assert len(names.FIRST_NAMES - first_names.LEGACY_FIRST_NAMES) >= 100


def test_apply_leaves_no_kazakh_name_anywhere(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Кейсы", year=2025, coder="anna")
    shutil.copy(REPO / "codebooks" / "barriers.yml", study.codebooks_dir / "barriers.yml")
    ws = open_workspace(study.root, sync=True)
    turns = [
        ("I", "Расскажите, пожалуйста."),
        ("Шолпан", "Шолпан."),
        ("Шолпан", "Со слов Шолпан, справку не дали."),
        ("R01", "Шолпанның құжаты жоқ, Айгерімнің де. Гүлнараның анасы келді."),
        ("R01", "Мен Шолпанға айттым, Шолпанмен бірге барып, Шолпанды күттім."),
        ("R01", "Сосын Әсел мен Серік те келді."),
    ]
    rec = add_text_recording(ws.db, "idi-01", turns)
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 3").fetchone()[0]
    apply_codes(ws, seg, (0, 10), ["STAFF.CONDUCT"], "anna", memo="Шолпанда справки не было")
    write_memo(ws, Memo("recording", "idi-01", "Перезвонить Шолпан.", "anna"))
    write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    assert "transcripts/idi-01.json" in names_left(study.root, NEEDLES)  # the check sees them
    r = cli(study.root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(study.root, NEEDLES)
    again = cli(study.root, "anonymise", "--apply", env=env)
    assert again.returncode == 0, again.stderr
    assert_no_name(study.root, NEEDLES)


def test_a_kazakh_form_numbered_on_its_own_before_keeps_its_number() -> None:
    """A vault of the release before numbered «Шолпанның» apart (its own «#cases» key): the
    name, now one key for all its forms, inherits that number; the old entry stays."""
    old = Pseudonymiser(b"s" * 32)
    folded = f"{Kind.PERSON}{CASE_FOLDED}"
    assert legacy_keys.folded_key("Шолпанның") != names.identity("Шолпанның")
    table = {old.digest(folded, legacy_keys.folded_key("Шолпанның")): 7}
    numbers = {"person": dict(table)}
    p = Pseudonymiser(b"s" * 32, numbers, taken={"person": 7})
    assert p.apply("Мен Шолпанға айттым.", Detector().detect) == "Мен Имя-7 айттым."
    assert all(numbers["person"][d] == n for d, n in table.items())
