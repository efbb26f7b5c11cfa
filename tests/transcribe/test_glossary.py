"""Glossary post-correction: near-miss domain terms fixed only where the recogniser doubted,
every change flagged for review; the runner applies the study's glossary."""

from __future__ import annotations

from qualtool.domain import Segment, Word
from qualtool.nlp import analyzer
from qualtool.transcribe.glossary import build_terms, correct_segment

TERMS = ["ЦОН", "ЕНПФ", "акимат", "справка о несудимости", "eGov", "1414", "ИП"]


def seg(words: list[tuple[str, float]]) -> Segment:
    ws = tuple(Word(float(i), i + 0.9, " " + w, p) for i, (w, p) in enumerate(words))
    return Segment(0, 0.0, float(len(words)), "".join(w.text for w in ws).strip(), "R", ws)


def fix(words: list[tuple[str, float]]) -> Segment:
    ana = analyzer("ru")
    return correct_segment(seg(words), build_terms(TERMS, ana), ana)


def test_low_confidence_near_misses_become_the_term_and_are_flagged() -> None:
    out = fix([("Пошла", 0.9), ("в", 0.9), ("цона,", 0.3), ("там", 0.9)])
    assert out.text == "Пошла в ЦОНа, там"
    assert out.flags == ("glossary:цона→ЦОНа",)
    assert [w.text for w in out.words] == [" Пошла", " в", " ЦОНа,", " там"]
    assert fix([("в", 0.9), ("акимад", 0.2)]).text == "в акимат"


def test_a_doubtful_acronym_in_lower_case_gets_its_capitals() -> None:
    out = fix([("в", 0.9), ("цон,", 0.4), ("потому", 0.9)])
    assert out.text == "в ЦОН, потому"
    assert out.flags == ("glossary:цон→ЦОН",)
    assert fix([("в", 0.9), ("цон", 0.95)]).flags == ()  # the recogniser was sure
    # only acronyms: a sentence may start with a capital that the term does not have
    assert fix([("Акимат", 0.3), ("закрыт", 0.9)]).flags == ()


def test_multi_word_terms_keep_the_words_that_were_right() -> None:
    out = fix([("справку", 0.9), ("о", 0.4), ("несудимасти.", 0.3)])
    assert out.text == "справку о несудимости."
    assert out.flags == ("glossary:несудимасти→несудимости",)


def test_confident_or_distant_words_are_left_alone() -> None:
    for words in (
        [("в", 0.9), ("акимад", 0.95)],  # the recogniser was sure
        [("сон", 0.3), ("был", 0.9)],  # too far from «ЦОН»
        [("позвонила", 0.9), ("1515", 0.2)],  # numbers are not fuzzy-matched
        [("в", 0.9), ("ЦОН", 0.2)],  # already right
    ):
        out = fix(words)
        assert out.flags == () and out.text == seg(words).text


def test_corrector_only_works_on_doubtful_segments() -> None:
    from qualtool.transcribe.glossary import Corrector

    fix_ = Corrector(TERMS)
    sure = seg([("в", 0.9), ("акимад", 0.95)])
    assert fix_(sure) is sure and fix_._built is None  # nothing doubtful: no lemmatiser loaded
    assert fix_(seg([("в", 0.9), ("акимад", 0.2)])).text == "в акимат"
    assert Corrector(())(seg([("акимад", 0.2)])).text == "акимад"
