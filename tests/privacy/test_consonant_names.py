"""A Kazakh woman's name ending in a consonant, declined as colloquial Russian declines it
(«у Шолпаны», «Шолпане», «с Шолпаной»), is one person: «Шолпаны» and «Шолпан» were two
pseudonyms. Different names stay different («Александр», «Александра»), and a study anonymised
before keeps its numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, names_before, numbers, study_of, transcript

from qualtool.privacy import legacy_keys, names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Kind
from qualtool.privacy.pseudonyms import CASE_FOLDED, Pseudonymiser

# the last commit before consonant names folded to their stem: its case-folded keys are in
# the vaults of studies anonymised with it
BEFORE_STEMS = "bc6a6cc"

FORMS = {
    "Шолпан": ["Шолпан", "Шолпаны", "Шолпане", "Шолпану", "Шолпаной", "Шолпаною", "Шолпана"],
    "Гульнур": ["Гульнур", "Гульнуры", "Гульнуре", "Гульнуру", "Гульнурой", "Гульнура"],
    "Айгерим": ["Айгерим", "Айгеримы", "Айгериме", "Айгериму", "Айгеримой", "Айгерима"],
    "Жанар": ["Жанар", "Жанары", "Жанаре", "Жанару", "Жанарой", "Жанара"],
    "Ерназар": ["Ерназар", "Ерназара", "Ерназару", "Ерназаром", "Ерназаре"],
    "Динара": ["Динара", "Динары", "Динаре", "Динару", "Динарой"],
}
# a stem pymorphy3 knows as a man's name is his: her forms stay hers («Александра» alone is
# pymorphy3's genitive of Александр, as before: a word that cannot tell)
DIFFERENT = [("Александр", "Александры"), ("Александром", "Александрой"), ("Гульнар", "Гульнара")]
# names pymorphy3 knows keep the key they had: the stem rule is for the names it does not
KNOWN = ["Марины", "Ирины", "Динары", "Светланы", "Александры", "Романа", "Натальи", "Ольги",
         "Гульнары", "Асели", "Мадины", "Кармен"]  # fmt: skip


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_of_a_consonant_name_has_one_key(name: str) -> None:
    assert {f: names.identity(f) for f in FORMS[name]} == {
        f: names.identity(name) for f in FORMS[name]
    }


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert names.identity(a) != names.identity(b)


@pytest.mark.parametrize("word", KNOWN)
def test_a_name_pymorphy_knows_keeps_its_key(word: str) -> None:
    assert names.identity(word) == names.fold(legacy_keys.folded_key(word))  # the sign aside


def test_the_declined_forms_get_one_pseudonym_in_a_text() -> None:
    text = ("Я пришла вместе с Шолпан в ЦОН. У Шолпаны не было справки, документы отдали "
            "Шолпане, и мы с Шолпаной пошли в акимат. С Александром и Александрой тоже.")  # fmt: skip
    out = Pseudonymiser(b"k" * 32).apply(text, Detector().detect)
    assert out.count("Имя-1") == 4 and "Шолпан" not in out, out
    assert "С Имя-2 и Имя-3 тоже" in out, out


def test_a_study_keeps_the_numbers_the_release_before_gave() -> None:
    """A vault the release before wrote («#cases» keys): «Шолпан» Имя-1 and «Шолпаны» Имя-2 —
    the bug — and «Гульнура» Имя-5. «Шолпан» keeps its own entry; «Шолпане» (keyed «шолпаня»
    then, unnumbered) is her now: Имя-1; «Гульнуре» and «Гульнур», keyed «гульнура» and
    «гульнур» then, inherit Гульнура's 5; the old entries stay."""
    old = Pseudonymiser(b"s" * 32)
    folded = f"{Kind.PERSON}{CASE_FOLDED}"
    table = {old.digest(folded, k): n for k, n in (("шолпан", 1), ("шолпаны", 2), ("гульнура", 5))}
    numbers_ = {"person": dict(table)}
    p = Pseudonymiser(b"s" * 32, numbers_, taken={"person": 5})
    det = Detector()
    assert p.apply("Документы отдали Шолпане и Гульнуре.", det.detect) == (
        "Документы отдали Имя-1 и Имя-5."
    )
    assert p.apply("У Шолпаны и Гульнур всё готово.", det.detect) == "У Имя-1 и Имя-5 всё готово."
    assert all(numbers_["person"][d] == n for d, n in table.items())
    assert p.digest(folded, "гулнур") in numbers_["person"]  # the key now, no soft sign


def test_the_folded_keys_of_the_release_before_are_reproduced() -> None:
    """`legacy_keys.folded_key` against that release's own `names.py` (from git): a «fix» to
    it would lose the numbers its vaults hold."""
    before = names_before(BEFORE_STEMS)
    words = {w for forms in FORMS.values() for w in forms} | {w for p in DIFFERENT for w in p}
    for word in sorted(words | {*KNOWN, "Жумабаевой", "Сергеевичем", "Ивановым"}):
        assert legacy_keys.folded_key(word) == before.identity(word), word


def test_a_study_gives_her_one_number_and_keeps_no_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "int-01", [
        "Я пришла вместе с Шолпан в ЦОН.",
        "У Шолпаны не было справки о составе семьи.",
        "Документы потом отдали Шолпане в окне номер три.",
        "Мы с Шолпаной пошли в акимат, там Айгерима не приняли.",
        "Айгерим сказала, что придёт завтра.",
    ])  # fmt: skip
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    got = [numbers(x) for x in transcript(root, "int-01")]
    assert got == [[1], [1], [1], [1, 2], [2]], got
    forms = sorted({f for name in ("Шолпан", "Айгерим") for f in FORMS[name]})
    assert_no_name(root, forms)
