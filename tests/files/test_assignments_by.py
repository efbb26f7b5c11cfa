"""Who gave a transcript (`by:`) in codings/assignments.yml: read with or without it, kept when
the coder marks it done, and kept by a union merge that left a «done» line without it."""

from __future__ import annotations

from pathlib import Path

from qualtool.files import assignments as af
from qualtool.files.assignments import Assignment


def test_by_is_written_read_and_optional(tmp_path: Path) -> None:
    items = [
        Assignment("idi-01", "aigerim", False, "dana"),
        Assignment("idi-02", "dana", True, "dana"),
    ]
    assert af.write(tmp_path, items)
    text = (tmp_path / af.FILE).read_text(encoding="utf-8")
    assert "- {recording: idi-01, coder: aigerim, done: false, by: dana}\n" in text
    assert "- {recording: idi-02, coder: dana, done: true}\n" in text  # took it herself: no by
    assert af.read(tmp_path) == [items[0], Assignment("idi-02", "dana", True, "")]


def test_a_union_keeps_done_and_who_gave_it(tmp_path: Path) -> None:
    (tmp_path / "codings").mkdir()
    lines = ["- {recording: idi-01, coder: aigerim, done: true}",  # her laptop, before the pull
             '- {recording: idi-01, coder: aigerim, done: false, by: "Дана Л."}']  # fmt: skip
    for order in (lines, lines[::-1]):
        (tmp_path / af.FILE).write_text(af.HEADER + "assignments:\n" + "\n".join(order) + "\n",
                                        encoding="utf-8")  # fmt: skip
        assert af.read(tmp_path) == [Assignment("idi-01", "aigerim", True, "Дана Л.")]
