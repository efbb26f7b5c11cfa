"""A timestamped .txt with a turn that has a speaker but no words (found in a walkthrough)."""

from __future__ import annotations

from qualtool.files.transcript_formats import parse


def test_a_speaker_with_no_words_is_no_segment_and_never_text() -> None:
    text = (
        "[00:00:00] Интервьюер: Расскажите, как всё было?\n"
        "[00:00:30] Респондент:    \n"
        "[00:00:40] Респондент: Очередь была огромная.\n"
        "[00:01:00] Интервьюер:\n"
        "а потом?\n"
        "[00:01:10] Респондент: Потом ждали месяц. См. http://egov.kz: там пусто.\n"
    )
    segs, _ = parse(text, "txt")
    assert [(s.speaker, s.text) for s in segs] == [
        ("Интервьюер", "Расскажите, как всё было?"),
        ("Респондент", "Очередь была огромная."),
        ("Интервьюер", "а потом?"),  # a label alone, continued on the next line
        ("Респондент", "Потом ждали месяц. См. http://egov.kz: там пусто."),
    ]
    assert all(s.text != "Респондент:" for s in segs)
    assert segs[0].end == segs[1].start  # a turn ends where the next real one starts
