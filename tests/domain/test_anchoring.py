"""Re-anchoring a coded span when the text under it changes: the edit-script path, the fuzzy
path (the quote's own words were corrected), and the refusal when the quote is gone."""

from __future__ import annotations

from qualtool.domain.anchoring import find_quote, reanchor, shift_span

OLD = "Мне пришлось три раза приходить в цун, потому что требовали справки."


def test_an_edit_before_the_span_shifts_it() -> None:
    new = "Да. " + OLD
    start = OLD.index("требовали")
    s, e = reanchor(OLD, new, start, start + len("требовали справки"), "требовали справки")
    assert new[s:e] == "требовали справки"


def test_a_correction_inside_the_quote_is_found_fuzzily() -> None:
    # the reviewer fixed the ASR error «цун» → «ЦОН» inside the coded words
    new = OLD.replace("в цун", "в ЦОН")
    quote = "три раза приходить в цун"
    start = OLD.index(quote)
    span = reanchor(OLD, new, start, start + len(quote), quote)
    assert span is not None
    assert new[span[0] : span[1]] == "три раза приходить в ЦОН"


def test_the_fuzzy_path_finds_a_moved_and_retyped_quote() -> None:
    # the sentence moved (edit script maps the span elsewhere) and one word was corrected
    old = "Справки требовали каждый раз. Потом портал завис."
    new = "Потом портал завис. Справки требовали каждый раз!"
    quote = "Справки требовали каждый раз."
    span = reanchor(old, new, 0, len(quote), quote)
    assert span is not None
    assert new[span[0] : span[1]].startswith("Справки требовали каждый раз")


def test_a_deleted_quote_is_reported_not_placed() -> None:
    new = "Всё было хорошо, никаких проблем."
    quote = "требовали справки"
    start = OLD.index(quote)
    assert reanchor(OLD, new, start, start + len(quote), quote) is None
    assert find_quote(quote, new) is None


def test_find_quote_is_case_insensitive_and_trims_spaces() -> None:
    assert find_quote("ЦОН", "ходила в цон три раза") == (9, 12)
    text = "ходила  в  центр   обслуживания"
    s, e = find_quote("в центр обслуживания", text) or (0, 0)
    assert not text[s].isspace() and not text[e - 1].isspace()


def test_shift_span_through_a_deletion() -> None:
    old, new = "один два три четыре", "один три четыре"
    assert shift_span(old, new, old.index("три"), old.index("три") + 3) == (5, 8)
