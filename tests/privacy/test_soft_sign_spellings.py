"""A name written with or without the soft sign Kazakh spelling leaves out — «Гульнара»,
«Гүлнара», «Гулнара»; «Айгуль», «Айгүл»; «Асель», «Әсел» — is one person: one key, one
pseudonym, every spelling found (a spelling not on the list, «Гулнара», was no name at all,
and stayed when «Гульнара» was decided). Genuinely different names keep their own keys. A
study anonymised before keeps its numbers: the key each spelling had then is still found
(`legacy_keys.lettered_key`, `with_soft_signs`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, names_before, numbers, study_of, transcript

from qualtool.privacy import legacy_keys, names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Kind
from qualtool.privacy.pseudonyms import CASE_FOLDED, Pseudonymiser

# the last commit before the soft sign folded: its keys are in the vaults of studies
# anonymised with it
BEFORE_SOFT = "f6a6e09"

# one name, in some case form each: must be one key
SAME = [("Гульнара", "Гүлнара"), ("Гульнара", "Гулнара"), ("Гүлнара", "Гулнары"),
        ("Гульнары", "Гүлнараның"), ("Гульнаре", "Гулнараға"), ("Айгуль", "Айгүл"),
        ("Айгулю", "Айгүлге"), ("Асель", "Әсел"), ("Асели", "Асел"), ("Гульмира", "Гүлмира"),
        ("Гулмира", "Гульмиры"), ("Назгуль", "Назгүл"), ("Нургуль", "Нұргүл"),
        ("Гульжан", "Гүлжан"), ("Дильназ", "Ділназ"), ("Гульшат", "Гүлшат"),
        ("Кульпаш", "Күлпаш")]  # fmt: skip
# different names (or a name and a surname): must stay apart. Only letters fold, never an
# ending, and a soft sign before a vowel is a sound, not a spelling (Наталья, Наталия)
APART = [("Гульнара", "Гульнар"), ("Гульнара", "Гульмира"), ("Гульнар", "Гульнур"),
         ("Асель", "Асем"), ("Айгуль", "Айгерим"), ("Алия", "Алиев"), ("Наталья", "Наталия"),
         ("Сергеевич", "Сергеев"), ("Гульнара", "Гулим"), ("Гулжан", "Гулим"),
         # «-им» is no case of a first name: «Айгулим» was «Айгүл»'s «-им» form, one key
         ("Айгулим", "Айгүл"), ("Айгулим", "Айгуль"), ("Айгүлім", "Айгүл"),
         ("Айгулим", "Айгулю")]  # fmt: skip


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spellings_with_and_without_the_soft_sign_are_one_key(one: str, other: str) -> None:
    assert names.identity(one) == names.identity(other)
    assert names.name_part(one, False)[0] and names.name_part(other, False)[0]


@pytest.mark.parametrize(("one", "other"), APART)
def test_different_names_keep_their_keys(one: str, other: str) -> None:
    assert names.identity(one) != names.identity(other)


def test_a_name_apart_is_still_found_and_its_own_pseudonym() -> None:
    """«Айгулим» has a key of its own and is still found as a name (it was only as a form of
    «Айгүл»): two women, two pseudonyms."""
    text = "Мы говорили с Айгуль, потом пришла Айгулим."
    assert [e.text for e in Detector().detect(text)] == ["Айгуль", "Айгулим"]
    out = Pseudonymiser(b"k" * 32).apply(text, Detector().detect)
    assert out == "Мы говорили с Имя-1, потом пришла Имя-2.", out


def test_a_spelling_not_listed_is_found_and_one_pseudonym() -> None:
    text = ("Гулнара пришла рано. Потом Гүлнараның анасы келді, а Гульнаре позвонили. "
            "Гулнары не было. Айгүл и Айгуль тоже.")  # fmt: skip
    found = Detector().detect(text)
    assert [e.text for e in found] == ["Гулнара", "Гүлнараның", "Гульнаре", "Гулнары", "Айгүл",
                                       "Айгуль"]  # fmt: skip
    out = Pseudonymiser(b"k" * 32).apply(text, Detector().detect)
    assert out == ("Имя-1 пришла рано. Потом Имя-1 анасы келді, а Имя-1 позвонили. "
                   "Имя-1 не было. Имя-2 и Имя-2 тоже."), out  # fmt: skip


def _vault_of(entries: dict[str, int]) -> Pseudonymiser:
    """A numbering as the release before left it: `entries` (key → number) case-folded."""
    old = Pseudonymiser(b"s" * 32)
    folded = f"{Kind.PERSON}{CASE_FOLDED}"
    table = {old.digest(folded, k): n for k, n in entries.items()}
    return Pseudonymiser(b"s" * 32, {Kind.PERSON.value: table})


def test_a_study_anonymised_before_keeps_its_numbers() -> None:
    """The release before numbered «Гульнара» (key «гульнара») Имя-3 and «Айгуль» Имя-5:
    every spelling of them now, in any case, gets that number; the old entries stay."""
    pseud = _vault_of({"гульнара": 3, "айгуль": 5, "ерлан": 1})
    before = dict(pseud.numbers[Kind.PERSON.value])
    out = pseud.apply("Гулнара и Гүлнараның анасы, Гульнаре; Айгүл, Айгулю. Ерлан тоже.",
                      Detector().detect)  # fmt: skip
    assert out == "Имя-3 и Имя-3 анасы, Имя-3; Имя-5, Имя-5. Имя-1 тоже.", out
    kept = pseud.numbers[Kind.PERSON.value]
    assert all(kept[d] == n for d, n in before.items())


def test_both_spellings_numbered_before_keep_the_one_without_the_sign() -> None:
    """Two people then («Гульнара» Имя-3, «Гулнара» Имя-7), one now: the key without the soft
    sign is the new key's own entry, as the Russian spelling's is for the Kazakh letters."""
    pseud = _vault_of({"гульнара": 3, "гулнара": 7})
    assert pseud.apply("Гульнара и Гүлнара.", Detector().detect) == "Имя-7 и Имя-7."


def test_the_keys_of_the_release_before_are_reproduced() -> None:
    """`legacy_keys.lettered_key` against that release's own `names.py` (from git): a «fix»
    to it would lose the numbers its vaults hold."""
    before = names_before(BEFORE_SOFT)
    words = {w for pair in SAME + APART for w in pair}
    words |= {"Кенжебаеваға", "Шолпаны", "Жұмабаевқа", "Гульнару", "Игорь", "Ольги"}
    for word in sorted(words):
        assert legacy_keys.lettered_key(word) == before.identity(word), word
    assert legacy_keys.with_soft_signs("гулнара") == ("гулнара", "гульнара")


def test_a_study_gives_her_one_number_and_keeps_no_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns = ["Меня зовут Гульнара Жумабаева, я пришла в ЦОН.", "Гүлнара келді, құжаттары жоқ.",
             "Потом Гулнаре перезвонили из акимата."]  # fmt: skip
    root, env = study_of(tmp_path, monkeypatch, "int-01", turns)
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    got = [numbers(x) for x in transcript(root, "int-01")]
    assert got == [[1], [1], [1]], got
    assert_no_name(root, ["Гульнар", "Гүлнар", "Гулнар", "Жумабаев"])
