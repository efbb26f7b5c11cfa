"""Re-anchoring a coded span when the text under it changes: the edit-script path, the fuzzy
path (the quote's own words were corrected), and the refusal when the quote is gone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


def test_a_changed_sentence_break_keeps_the_first_word() -> None:
    # the sample's own case: re-transcription turned «нарушены. Я ждал» into «нарушены, я ждал»;
    # the edit script separates «Я» from «я», the span must still start on the word
    old = "Сроки оказания услуги были нарушены. Я ждал больше месяца."
    new = "Сроки оказания услуги были нарушены, я ждал больше месяца."
    quote = "Я ждал больше месяца."
    start = old.index(quote)
    span = reanchor(old, new, start, start + len(quote), quote)
    assert span is not None
    assert new[span[0] : span[1]] == "я ждал больше месяца."


def test_a_word_lengthened_at_the_end_of_the_quote_is_kept_whole() -> None:
    old = "Нет, подпись не срабатывала. Приходилось заново запускать."
    new = "Нет, подпись не срабатывало. Приходилось заново запускать."
    quote = "подпись не срабатывала"
    start = old.index(quote)
    span = reanchor(old, new, start, start + len(quote), quote)
    assert span is not None
    assert new[span[0] : span[1]] == "подпись не срабатывало"


def test_a_repeated_phrase_stays_on_the_occurrence_the_coder_chose() -> None:
    old = "Долго ждал. Потом опять долго ждал."
    new = "Очень долго ждал. Потом опять долго ждал."
    start = old.rindex("долго ждал")
    span = reanchor(old, new, start, start + len("долго ждал"), "долго ждал")
    assert span == (new.rindex("долго ждал"), len(new) - 1)


def test_identical_text_keeps_the_span_as_it_is() -> None:
    assert reanchor(OLD, OLD, 3, 7, "anything") == (3, 7)
    assert shift_span(OLD, OLD, 3, 7) == (3, 7)


def test_a_span_whose_words_were_deleted_collapses_in_shift_span() -> None:
    old, new = "один два три", "один три"
    s, e = shift_span(old, new, old.index("два"), old.index("два") + 3)
    assert s == e


def test_a_span_at_the_very_end_follows_an_insertion_before_it() -> None:
    old, new = "ждал месяц", "я долго ждал месяц"
    assert shift_span(old, new, 5, 10) == (13, 18)


def test_find_quote_refuses_empty_input_and_weak_matches() -> None:
    assert find_quote("", "текст") is None
    assert find_quote("текст", "") is None
    assert find_quote("совсем другие слова", "ходила в цон три раза") is None
    # a near miss is accepted at the default threshold and refused at a strict one
    assert find_quote("ходила в цон три раз", "ходила в цон три раза!") is not None
    assert find_quote("ходила в цен тре раз", "ходила в цон три раза", min_score=99.0) is None


def test_a_fuzzy_match_never_starts_or_ends_mid_word() -> None:
    text = "Нет, подпис часть они срабатывала. Приходилось заново запускать программу."
    span = find_quote("подписчастье не срабатывало", text)
    assert span is not None
    s, e = span
    assert (s == 0 or not text[s - 1].isalnum()) and not text[e - 1].isspace()
    assert e == len(text) or not text[e].isalnum()


WORDS = ["очередь", "ЦОН", "справка", "портал", "ждал", "месяц", "акимат", "снова", "да", "нет"]


@given(
    before=st.lists(st.sampled_from(WORDS), max_size=6),
    quoted=st.lists(st.sampled_from(WORDS), min_size=2, max_size=5),
    after=st.lists(st.sampled_from(WORDS), max_size=6),
    inserted=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    at_start=st.booleans(),
)
def test_edits_outside_the_span_keep_its_words(
    before: list[str], quoted: list[str], after: list[str], inserted: list[str], at_start: bool
) -> None:
    quote = " ".join(quoted)
    old = " ".join([*before, quote, *after])
    start = len(" ".join(before)) + (1 if before else 0)
    extra = " ".join(inserted)
    new = f"{extra} {old}" if at_start else f"{old} {extra}"
    span = reanchor(old, new, start, start + len(quote), quote)
    assert span is not None
    assert new[span[0] : span[1]] == quote


def test_words_inserted_at_either_edge_of_a_span_stay_outside_it() -> None:
    old = "ждал месяц"
    assert shift_span(old, "ждал долго месяц", 5, 10) == (11, 16)  # right before the start
    assert shift_span(old, "ждал месяц долго", 5, 10) == (5, 10)  # right after the end


def test_a_replaced_word_maps_to_its_replacement() -> None:
    assert shift_span("один два три", "один ДВА три", 5, 8) == (5, 8)


def test_an_exact_quote_is_its_first_occurrence() -> None:
    assert find_quote("Мне", "Мне пришлось") == (0, 3)
    assert find_quote("ЦОН", "в ЦОН и снова в ЦОН") == (2, 5)
