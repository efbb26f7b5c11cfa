"""A study file rewritten by a step is journaled as the part that changed, and undo/redo put
exactly the old or new text back — or refuse when the file is no longer as the step left it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualtool.store import journal

texts = st.text(alphabet="ab\n€", max_size=30)


@given(st.tuples(texts, texts, texts, texts))
def test_a_change_is_put_back_exactly(parts: tuple[str, str, str, str]) -> None:
    head, old, new, tail = parts
    before, after = head + old + tail, head + new + tail
    entry = journal.Entry(1, "step", None, [journal._file_item("f.yml", before, after)])
    [redo] = entry.files(undo=False)
    [back] = entry.files(undo=True)
    assert redo.written(before) == after
    assert back.written(after) == before
    if before != after:
        assert len(entry.items[0][2]) + len(entry.items[0][3]) <= len(old) + len(new)
        with pytest.raises(journal.FileChanged):
            redo.written(None)
        try:  # changed outside since (a line pulled in front): replayed where it stands, once
            assert back.written("pulled\n" + after) == "pulled\n" + before
        except journal.FileChanged:
            text, part = "pulled\n" + after, back.around[0] + back.before + back.around[1]
            assert sum(text.startswith(part, i) for i in range(len(text) + 1)) != 1


LINES = [f"  - line {i:03d}\n" for i in range(100)]  # 15 characters a line


def test_a_change_is_replayed_where_it_stands_or_refused_when_its_own_text_changed() -> None:
    before = "".join(LINES)
    after = "".join([*LINES[:50], "  - new line\n", *LINES[50:]])
    entry = journal.Entry(1, "step", None, [journal._file_item("f.yml", before, after)])
    assert len(entry.items[0][3]) < 20 and len(entry.items[0][8]) <= journal.AROUND
    [back] = entry.files(undo=True)
    assert back.written(after) == before
    pulled = after.replace(LINES[2], LINES[2] + "  - pulled\n").replace(LINES[99], "")
    assert back.written(pulled) == before.replace(LINES[2], LINES[2] + "  - pulled\n").replace(
        LINES[99], ""
    )
    with pytest.raises(journal.FileChanged):  # the step's own line was edited since
        back.written(after.replace("new line", "new line, edited"))
    with pytest.raises(journal.FileChanged):  # the text around it too
        back.written(after.replace(LINES[45], "  - moved\n"))


@pytest.mark.parametrize(("before", "after"), [(None, "new\n"), ("old\n", None)])
def test_a_created_or_removed_file_keeps_its_whole_images(before: str | None,
                                                          after: str | None) -> None:  # fmt: skip
    entry = journal.Entry(1, "step", None, [journal._file_item("f.yml", before, after)])
    assert entry.items[0] == [journal.FILE, "f.yml", before, after]
    assert entry.files(undo=True)[0].written("anything") == before
    assert entry.files(undo=False)[0].written(None) == after


def test_an_entry_of_the_older_layout_still_replays() -> None:
    entry = journal.Entry(1, "step", None, [[journal.FILE, "f.yml", "a\n", "b\n"]])
    assert entry.files(undo=True)[0].written("changed since\n") == "a\n"


@given(st.text(alphabet="ab", max_size=40), st.text(alphabet="ab", max_size=40),
       st.integers(1, 5))  # fmt: skip
def test_the_common_head_is_found_block_by_block(a: str, b: str, block: int) -> None:
    head = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    assert journal._common(a, b, block) == head
