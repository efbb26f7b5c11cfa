"""Kazakh turns: keyword stems with Kazakh endings, the minimum stem, phrases, which turns count
as Kazakh, and the Kazakh words a suggestion's reason names."""

from __future__ import annotations

import pytest

from qualtool.autocode.candidate import Candidate
from qualtool.autocode.kazakh import KazakhMatcher, is_kazakh, keyword_stems, matches, stem, words
from qualtool.autocode.lexical import Matcher
from qualtool.domain import Code, Codebook
from qualtool.domain import reason as why


def book(**kk: tuple[str, ...]) -> Codebook:
    codes = [Code("A", "Группа")]
    codes += [Code(f"A.{k}", k.lower(), parent_id="A", keywords_kk=v, sort=n)
              for n, (k, v) in enumerate(kk.items())]  # fmt: skip
    return Codebook("t", tuple(codes))


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("кезек", "кезек"),  # nothing to strip
        ("құжаттар", "құжат"),  # plural
        ("кезекте", "кезек"),  # locative
        ("анықтамаларды", "анықтама"),  # plural + accusative
        ("қабылдамады", "қабылдама"),  # past, the negation kept
        ("тіркелу", "тіркел"),  # verbal noun
        ("дөрекі", "дөрек"),
    ],
)
def test_endings_are_stripped_from_a_keyword(keyword: str, expected: str) -> None:
    assert stem(keyword) == expected


def test_a_stem_keeps_at_least_four_letters() -> None:
    assert stem("пара") == "пара"  # not «па»
    assert stem("ақша") == "ақша"
    assert stem("ауылда") == "ауыл"  # 4 letters: stripped down to it, no further


def test_a_phrase_may_cut_a_verb_to_three_letters_but_not_a_case_ending() -> None:
    assert keyword_stems("кезекте тұрдық") == ("кезек", "тұр")
    assert keyword_stems("қайта бардық") == ("қайта", "бар")  # «қай» would be "which"


def test_a_word_matches_by_its_stem_with_any_endings() -> None:
    assert matches("кезек", "кезектерде")
    assert matches("кезек", "кезегі")  # к → г before a vowel
    assert matches("пара", "парасын")
    assert not matches("пара", "парақ")  # a short stem needs endings after it: «парақ» is a page
    assert not matches("қазақ", "қазақстанда")
    assert not matches("ашылма", "ашылды")  # «did not open» is not «opened»


def test_kazakh_lower_case_and_a_latin_i_inside_a_kazakh_word() -> None:
    assert words("ҚАБЫЛДАМАДЫ, Кезек!") == ["қабылдамады", "кезек"]
    assert words("кiлт Digital ID") == ["кілт", "digital", "id"]


def test_phrases_match_as_stems_in_a_row() -> None:
    m = KazakhMatcher(book(QUEUE=("кезекте тұрдық",), BRIBE=("ақша сұрады",)))
    assert m.score(["Кезекке", "үш", "сағат", "тұрдым"]) == {}  # two words apart
    found = m.score(["Біз", "кезекте", "тұрдық", ",", "ақша", "да", "сұрады"])
    assert found == {"A.QUEUE": (1.0, ["кезекте тұрдық"]), "A.BRIBE": (1.0, ["ақша да сұрады"])}


def test_a_keyword_shared_by_two_codes_counts_half() -> None:
    m = KazakhMatcher(book(ONE=("кезек",), TWO=("кезектер",)))
    assert m.score(["кезекте"]) == {"A.ONE": (0.5, ["кезекте"]), "A.TWO": (0.5, ["кезекте"])}


@pytest.mark.parametrize(
    ("text", "kazakh"),
    [
        ("Кезекте үш сағат тұрдық, ешкім көмектеспеді.", True),
        ("Справка керек болды, ЦОН-ға бардым.", True),  # Russian words in Kazakh speech
        ("Иә, болды.", True),
        ("Мне помог Ерлан Әбілов из акимата, спасибо ему.", False),  # one Kazakh name
        ("Через Digital ID вошёл без проблем.", False),
        ("В ЦОНе очередь была часа на три, Гүлнара Қасымқызы подтвердит.", False),
    ],
)
def test_a_turn_is_kazakh_when_one_word_in_five_is(text: str, kazakh: bool) -> None:
    assert is_kazakh(text) is kazakh


def test_the_recording_language_decides_first() -> None:
    assert is_kazakh("Очередь была огромная.", "kk")


def test_the_lexical_matcher_uses_kazakh_keywords_only_in_kazakh_turns() -> None:
    cb = book(QUEUE=("кезек",))
    m = Matcher(cb)
    forms = ["Кезекте", "ұзақ", "тұрдық"]
    lemmas = [f.lower() for f in forms]
    assert "A.QUEUE" not in m.score(lemmas)
    ev = m.score(lemmas, forms)["A.QUEUE"]
    assert ev.kazakh == ["Кезекте"] and ev.score == pytest.approx(1.0)
    assert "Kazakh words: Кезекте" in ev.reason()


def test_the_reason_names_the_kazakh_words_said() -> None:
    ev = Matcher(book(QUEUE=("кезек",))).score(["кезекке"], ["кезекке"])["A.QUEUE"]
    cand = Candidate("A.QUEUE", 0, 7, 0.5, 0.5, {"lex": 1.0}, ev, None, False, [], kazakh=True)
    parts = why.decode(cand.reason_data())
    assert parts is not None
    assert [why.KAZAKH_WORDS, {"words": "кезекке"}] in [p for part in parts for p in part]
    assert "Kazakh words: кезекке" in why.render(cand.reason_data())
