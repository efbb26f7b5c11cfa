"""One person written in two spellings — «Айгерим» in a Russian turn, «Айгерім» in a Kazakh one
— is one person: one pseudonym, both spellings replaced (they were two people, Имя-1 and
Имя-2). A person's key is in Russian letters (`names.fold`), and a study anonymised
before keeps its numbers: the key each spelling had then is still found (`legacy_keys`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import add_recording, cli, names_before, numbers, study_of, transcript

from qualtool.privacy import key_names, legacy_keys, names, outside_names
from qualtool.privacy.apply import study_vault
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Kind
from qualtool.privacy.pseudonyms import CASE_FOLDED, Pseudonymiser
from qualtool.workspace.study import open_workspace

# the last commit before the Kazakh letters folded: its keys are in the vaults of studies
# anonymised with it
BEFORE_FOLD = "da0c581"

# (Kazakh spelling, Russian spelling) of one name, in some case form each
PAIRS = [("Айгерім", "Айгерим"), ("Айгерімнің", "Айгериму"), ("Әйгерім", "Айгерим"),
         ("Жұмабаева", "Жумабаевой"), ("Жұмабаевқа", "Жумабаеву"), ("Серікқызы", "Сериккызы"),
         ("Нұрлан", "Нурлана"), ("Дәурен", "Даурен"), ("Талғат", "Талгатом"),
         ("Шыңғыс", "Шынгыс"), ("Ботагөз", "Ботагоз"), ("Гауһар", "Гаухар"),
         ("Ұлжан", "Улжан"), ("Нұрсұлтан", "Нурсултан")]  # fmt: skip
TURNS = [
    "Меня зовут Айгерим Жумабаева, я пришла в ЦОН за справкой.",
    "Айгерім келді, құжаттары жоқ.",
    "Айгерімнің анасы да келді, Жұмабаеваның әпкесі де.",
    "Потом Айгериму перезвонили из акимата.",
]
SPELLINGS = ["Айгерим", "Айгерім", "Жумабаев", "Жұмабаев"]


@pytest.mark.parametrize(("kazakh", "russian"), PAIRS)
def test_both_spellings_have_one_key(kazakh: str, russian: str) -> None:
    spelt = legacy_keys.spelt_key(kazakh)  # its key before: as spelt
    assert names.identity(kazakh) == names.identity(russian) == names.fold(spelt)


def test_the_fold_is_of_the_letters_only() -> None:
    """Different names stay different: «Алия» is not «Әлия»'s husband «Алиев»."""
    assert names.identity("Әлия") == names.identity("Алия") != names.identity("Алиев")
    assert names.identity("Айгерім") != names.identity("Айгүл")


def test_one_pseudonym_for_both_spellings_in_a_text() -> None:
    out = Pseudonymiser(b"k" * 32).apply(
        "Айгерим пришла. Айгерім келді, Айгерімнің анасы да. Нұрлан и Нурлан тоже.",
        Detector().detect,
    )
    assert out == "Имя-1 пришла. Имя-1 келді, Имя-1 анасы да. Имя-2 и Имя-2 тоже.", out


def test_a_study_gives_her_one_number_and_keeps_no_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "int-01", TURNS)
    listing = cli(root, "anonymise", env=env)
    assert listing.returncode == 0, listing.stderr
    listed = {line.split("→")[1].split()[0] for line in listing.stdout.splitlines()
              if line.startswith("int-01#") and " person " in line}  # fmt: skip
    assert len(listed) == 1, listing.stdout  # one person in the listing as well
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    got = [numbers(x) for x in transcript(root, "int-01")]
    assert got == [[1], [1], [1, 1], [1]], got
    assert listed == {"Имя-1"}
    assert_no_name(root, SPELLINGS)


def test_a_study_anonymised_before_keeps_its_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The release before numbered «Айгерім» (key «айгерім») Имя-3 and «Нурлан» Имя-5, and
    «Нұрлан» (key «нұрлан») Имя-4 apart from him: a recording imported since that names them
    in either spelling gives «Айгерім» and «Айгерим» her 3, «Нұрлан» and «Нурлан» his own 5
    (the key he has now is his); the old entries stay."""
    root, env = study_of(tmp_path, monkeypatch, "int-01", ["Айгерім келді.", "Айгерим пришла."])
    add_recording(root, "int-02", ["Нұрлан келді.", "Нурлан пришёл."])
    ws = open_workspace(root)
    vault = study_vault(ws)
    folded = f"{Kind.PERSON}{CASE_FOLDED}"
    old = Pseudonymiser(vault.secret)
    table = {old.digest(folded, k): n for k, n in (("айгерім", 3), ("нұрлан", 4), ("нурлан", 5))}
    vault.numbers.setdefault(Kind.PERSON.value, {}).update(table)
    vault.save()
    ws.close()
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert [numbers(x) for x in transcript(root, "int-01")] == [[3], [3]]
    assert [numbers(x) for x in transcript(root, "int-02")] == [[5], [5]]
    ws = open_workspace(root)
    kept = study_vault(ws, create=False).numbers[Kind.PERSON.value]
    ws.close()
    assert all(kept[d] == n for d, n in table.items())
    assert_no_name(root, ["Айгерим", "Айгерім", "Нурлан", "Нұрлан"])


def test_an_earlier_apply_in_kazakh_letters_is_read_in_russian_ones() -> None:
    """The vault's record of an apply of the release before keyed «Айгерім Бекова» as spelt:
    read now she is «айгерим беков», so a key written either way, in Latin too, is her; a
    listed name met in Latin letters is keyed as its Cyrillic spelling is («serikbol»)."""
    known = outside_names.known_from([["айгерім бекова", "person", "айгерім беков", ""]])
    assert [e.key for by in known.values() for e in by.values()] == ["айгерим беков"]
    for key in ("интервью-айгерим-бековой", "интервью-айгерім-бековой", "aigerim-bekova"):
        assert [e.key for e in key_names.find(key, known)] == ["айгерим беков"], key
    assert [e.key for e in key_names.find("serikbol_notes", {})] == [names.identity("Серікбол")]


def test_the_keys_of_the_release_before_are_reproduced() -> None:
    """`legacy_keys.spelt_key` against that release's own `names.py` (from git): a «fix» to
    it would lose the numbers its vaults hold."""
    before = names_before(BEFORE_FOLD)
    words = {w for pair in PAIRS for w in pair} | {w for t in TURNS for w in t.split()}
    words |= {"Кенжебаеваға", "Кенжебаевамен", "Кенжебаевой", "Шолпанның", "Гүлнараның"}
    for word in sorted(w.strip(".,") for w in words if w[:1].isupper()):
        assert legacy_keys.spelt_key(word) == before.identity(word), word
