"""Word timings kept across an outside text edit: the unchanged words keep theirs."""

from __future__ import annotations

from qualtool.domain.transcript import Segment, Word
from qualtool.domain.word_timings import keep_word_timings


def _seg(idx: int, text: str, words: tuple[Word, ...] = ()) -> Segment:
    return Segment(idx, float(idx), float(idx + 1), text, "R01", words)


OLD = [_seg(0, "Чтобы получить по особее, мне", (
    Word(0.0, 0.5, " Чтобы", 0.4), Word(0.5, 1.0, " получить", 0.9), Word(1.0, 1.3, " по", 0.8),
    Word(1.3, 1.8, " особее,", 0.5), Word(2.1, 2.3, " мне", 0.99)))]  # fmt: skip


def test_changed_words_lose_their_timing_the_others_keep_it() -> None:
    new = keep_word_timings(OLD, [_seg(0, "Чтобы получить пособие, мне")])
    words = new[0].words
    assert [(w.text, w.start, w.end) for w in words] == [
        (" Чтобы", 0.0, 0.5), (" получить", 0.5, 1.0), (" мне", 2.1, 2.3)]  # fmt: skip
    assert words[0].probability == 0.4


def test_a_segment_untouched_reads_like_its_text_again() -> None:
    new = keep_word_timings(OLD, [_seg(0, "Чтобы получить"), _seg(1, "по особее. Мне")])
    assert "".join(w.text for w in new[0].words).strip() == new[0].text
    assert "".join(w.text for w in new[1].words).strip() == new[1].text  # case, punctuation
    assert new[1].words[0].start == 1.0


def test_nothing_to_keep_from() -> None:
    plain = [_seg(0, "Чтобы получить")]
    assert keep_word_timings([_seg(0, "Чтобы получить")], plain) == plain
