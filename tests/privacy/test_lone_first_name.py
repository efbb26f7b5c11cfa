"""A first name alone and the same first name with a surname get one pseudonym within a
recording: «Гульнара» in one turn and «Гульнара Жумабаева» in another were Имя-1 and Имя-2.
Through the real `qualtool anonymise` (the listing) and `--apply` on a study: the listing
shows the number the apply gives, and no form of the names is left in any file's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import add_recording, cli, listed_replacements, numbers, study_of, transcript

from qualtool.privacy import lone_names
from qualtool.privacy.entity import Entity, Kind

ONE = [
    "Меня зовут Гульнара Жумабаева, я мама двоих детей.",
    "Гульнара, скажите, куда вы обращались сначала?",
    "Гульнаре в ЦОНе сказали прийти завтра.",
]
# another interview: its «Гульнара» is someone else, whatever the first one says
OTHER = ["Гульнара пришла в ЦОН уже после обеда."]
# two people with that first name in one interview: a lone one could be either
TWO = [
    "Нас принимали Гульнара Серикбаевна и Гульнара Ахметова из ЦОНа.",
    "Гульнара потом сказала, что справки нет.",
]
FORMS = ["Гульнара", "Гульнары", "Гульнаре", "Жумабаева", "Серикбаевна", "Ахметова"]


def test_a_lone_first_name_is_the_recordings_one_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "int-01", ONE)
    add_recording(root, "int-02", OTHER)
    add_recording(root, "int-03", TWO)
    listing = cli(root, "anonymise", env=env)
    assert listing.returncode == 0, listing.stderr
    listed = listed_replacements(listing.stdout)
    person = listed["int-01#0"][0]
    assert listed["int-01#1"] == [person] and listed["int-01#2"] == [person], listed
    assert listed["int-02#0"] != [person], listed  # another interview: another Гульнара
    both, alone = listed["int-03#0"], listed["int-03#1"]
    assert len(set(both)) == 2 and alone[0] not in both, listed  # ambiguous: its own

    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    n = int(person.removeprefix("Имя-"))
    assert [numbers(x) for x in transcript(root, "int-01")] == [[n], [n], [n]]
    applied = {f"int-0{k}#{i}": [f"Имя-{x}" for x in numbers(line)]
               for k in (1, 2, 3) for i, line in enumerate(transcript(root, f"int-0{k}"))}  # fmt: skip
    assert applied == listed  # the listing said what the apply did
    assert_no_name(root, FORMS)


def test_a_lone_name_joins_its_first_name_or_surname_only() -> None:
    """A surname alone is her too (of a gender its form allows: a husband's «Жумабаевым» is
    not), and so is a patronymic alone (a brother's «Серикбаевич» is not); a first name in
    another recording or one two full names of the recording have stays a name of its own."""
    full = Entity(Kind.PERSON, 0, 18, "Гульнара Жумабаева", "гульнара жумабаев", "ner",
                  "гульнара жумабаев")  # fmt: skip
    known = lone_names.people([("a", full)])
    lone = Entity(Kind.PERSON, 30, 38, "Гульнаре", "гульнара", "ner", "гульнар")
    got = lone_names.as_person("a", lone, known)
    assert (got.key, got.legacy, got.text) == (full.key, full.legacy, "Гульнаре")
    assert lone_names.as_person("b", lone, known) == lone  # another recording
    for form in ("Жумабаева", "Жумабаевой", "Жумабаеву"):
        surname = Entity(Kind.PERSON, 40, 40 + len(form), form, "жумабаев", "ner", "жумабаев")
        assert lone_names.as_person("a", surname, known).key == full.key, form
    for form in ("Жумабаев", "Жумабаевым"):  # a man's: her husband, her son
        his = Entity(Kind.PERSON, 40, 40 + len(form), form, "жумабаев", "ner", "жумабаев")
        assert lone_names.as_person("a", his, known) == his, form
    named = Entity(Kind.PERSON, 0, 20, "Гульнара Серикбаевна", "гульнара серикбаевн", "ner")
    patronymic = Entity(Kind.PERSON, 30, 41, "Серикбаевна", "серикбаевн", "ner")
    assert lone_names.as_person("a", patronymic, lone_names.people([("a", named)])).key == (
        named.key
    )  # fmt: skip
    brother = Entity(Kind.PERSON, 30, 41, "Серикбаевич", "серикбаевич", "ner")
    assert lone_names.as_person("a", brother, lone_names.people([("a", named)])) == brother
    both = lone_names.people([("a", full), ("a", named)])
    assert lone_names.as_person("a", lone, both) == lone
    assert lone_names.people([]) == {}
