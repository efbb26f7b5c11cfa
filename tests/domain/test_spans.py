"""Spans snap to whole words and lose stray punctuation; overlapping spans of one code by one
coder are one coding; merging two speakers' segments is refused unless forced."""

from __future__ import annotations

import pytest

from qualtool.coding import actions, editing, history
from qualtool.domain.errors import InvalidInput
from qualtool.domain.spans import snap
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TEXT = "Мне пришлось три раза приходить в ЦОН, каждый раз из-за справки."


def quote(start: int, end: int) -> str:
    a, b = snap(TEXT, start, end)
    return TEXT[a:b]


def test_snap_widens_to_words_and_trims_punctuation() -> None:
    i = TEXT.index("пришлось")
    assert quote(i + 3, i + 6) == "пришлось"  # mid-word both ends
    assert quote(i - 1, i + 8) == "пришлось"  # the space before is dropped
    j = TEXT.index(", каждый")
    assert quote(j, j + 8) == "каждый"  # leading comma and space dropped
    k = TEXT.index("ЦОН")
    assert quote(k, k + 5) == "ЦОН"  # trailing comma dropped
    m = TEXT.index("из-за")
    assert quote(m + 1, m + 3) == "из-за"  # a hyphenated word is one word
    assert quote(m, len(TEXT)) == "из-за справки."  # the full stop ending a sentence stays
    a, b = snap(TEXT, j, j + 2)  # only a comma and a space selected
    assert a == b  # empty: refused by the service
    assert quote(5, 2) == "Мне пришлось"  # a backwards selection


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", [("I", "Вопрос?"), ("R01", TEXT), ("R01", "Да."),
                                                 ("I", "Понятно.")])  # fmt: skip
    return empty_study


def seg(ws: Workspace, idx: int) -> int:
    return int(ws.db.execute("SELECT id FROM segments WHERE idx = ?", [idx]).fetchone()[0])


def rows(ws: Workspace) -> list[tuple[str, str, str | None, int]]:
    return [
        tuple(r)
        for r in ws.db.execute(  # type: ignore[misc]
            "SELECT code_id, quote, memo, key_quote FROM codings ORDER BY id"
        )
    ]


def test_overlapping_spans_of_one_code_merge(ws: Workspace) -> None:
    s = seg(ws, 1)
    i = TEXT.index("три")
    actions.apply_codes(ws, s, (0, i + 3), ["BUR.REPEAT_VISIT"], "anna", "первая")
    actions.apply_codes(ws, s, (i, TEXT.index("ЦОН") + 3), ["BUR.REPEAT_VISIT"], "anna", "вторая")
    assert rows(ws) == [("BUR.REPEAT_VISIT", "Мне пришлось три раза приходить в ЦОН",
                         "первая\nвторая", 0)]  # fmt: skip
    actions.apply_codes(ws, s, (i, i + 3), ["BUR.REPEAT_VISIT"], "boris")  # another coder
    actions.apply_codes(ws, s, (i, i + 3), ["BUR.EXTRA_DOCS"], "anna")  # another code
    assert len(rows(ws)) == 3
    # recoding onto a code the coder already has on overlapping words: one coding
    extra = ws.db.execute("SELECT id FROM codings WHERE code_id = 'BUR.EXTRA_DOCS'").fetchone()[0]
    actions.recode(ws, extra, "BUR.REPEAT_VISIT")
    mine = [r for r in ws.db.execute(
        "SELECT code_id, quote FROM codings WHERE coder_id = 'anna'")]  # fmt: skip
    assert mine == [("BUR.REPEAT_VISIT", "Мне пришлось три раза приходить в ЦОН")]
    history.undo(ws)
    assert len(rows(ws)) == 3
    with pytest.raises(InvalidInput, match="select some words"):
        actions.apply_codes(ws, s, (TEXT.index(","), TEXT.index(",") + 1), ["BUR"], "anna")


def test_merging_different_speakers_is_refused_unless_forced(ws: Workspace) -> None:
    with pytest.raises(editing.SpeakerMismatch, match="different speakers"):
        editing.merge_with_next(ws, seg(ws, 2))  # R01 then I
    assert ws.db.execute("SELECT count(*) FROM segments").fetchone()[0] == 4
    editing.merge_with_next(ws, seg(ws, 1))  # R01 + R01: fine
    assert ws.db.execute("SELECT text FROM segments WHERE idx = 1").fetchone()[0] == TEXT + " Да."
    editing.merge_with_next(ws, seg(ws, 1), force=True)  # the coder said yes
    assert ws.db.execute("SELECT speaker FROM segments WHERE idx = 1").fetchone()[0] == "R01"
    md = (ws.study.transcripts_dir / "idi-x.md").read_text(encoding="utf-8")
    assert "Понятно." in md and md.count("R01") >= 1  # the transcript file followed


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("приходить в ЦОН", 3, 9, (0, 9)),  # from the middle of a long word
        ("в ЦОН, а", 2, 6, (2, 5)),  # one trailing comma
        ("Ответ: из-", 7, 10, (7, 9)),  # a hyphen at the very end joins nothing
        ("а-б да", 0, 1, (0, 3)),  # a hyphen right after the first letter joins
        ("да а-б", 3, 4, (3, 6)),  # …and right before the last one
        ("file_name да", 0, 4, (0, 9)),  # underscores are word characters
        ("да", 2, 2, (2, 2)),  # a caret at the end selects nothing
    ],
)
def test_snap_edges(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert snap(text, start, end) == expected
