"""Codebook edits from the tools keep what the coders wrote around them: removing a field
(an emptied definition, keyword list or examples) kept ruamel's habit of filing the comment
line under it with that field, so the coder's note about the next field vanished; and an edit
to the words the file already has rewrote it all the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.files.codebook_edit import edit_fields, move_code

BOOK = """\
codebook:
  name: Тест
codes:
  - id: A
    label_ru: Альфа  # метка
    definition: Определение   # о самом определении
    # ВАЖНО: ключевые слова согласованы с командой
    keywords: [один, два]
    examples:
      - text: пример
        source: s1
    # казахские — от полевой команды
    keywords_kk: [бір]
    # дальше раздел B
  - id: B
    label_ru: Бета
"""


@pytest.mark.parametrize(("field", "removed"), [
    ("definition", ["    definition: Определение   # о самом определении"]),
    ("keywords", ["    keywords: [один, два]"]),
    ("examples", ["    examples:", "      - text: пример", "        source: s1"]),
    ("keywords_kk", ["    keywords_kk: [бір]"])])  # fmt: skip
def test_removing_a_field_keeps_the_comment_lines_under_it(
    tmp_path: Path, field: str, removed: list[str]
) -> None:
    path = tmp_path / "cb.yml"
    path.write_text(BOOK, encoding="utf-8")
    edit_fields(path, "A", **{field: ""})
    # exactly the field's own lines go (its end-of-line comment with it); every comment line
    # stays where it was
    want = [line for line in BOOK.splitlines() if line not in removed]
    assert path.read_text(encoding="utf-8").splitlines() == want


def test_an_edit_to_what_the_file_says_does_not_write_it(tmp_path: Path) -> None:
    path = tmp_path / "cb.yml"
    path.write_text(BOOK, encoding="utf-8")
    inode = path.stat().st_ino
    edit_fields(path, "A", keywords="один\nдва", keywords_kk="бір, бір", definition="Определение")
    assert path.read_text(encoding="utf-8") == BOOK
    assert path.stat().st_ino == inode  # not replaced by an identical copy
    assert not list(tmp_path.glob("*.part"))


def test_moving_a_code_where_it_already_is_changes_nothing(tmp_path: Path) -> None:
    """`codebook move A.ONE A` (or m on F2 with its own parent) sent it to the end of its
    siblings and said «0 moved»."""
    path = tmp_path / "cb.yml"
    book = BOOK.replace("  - id: B\n", "    children:\n      - id: A.ONE\n        label_ru: Один\n"
                        "      - id: A.TWO\n        label_ru: Два\n  - id: B\n")  # fmt: skip
    path.write_text(book, encoding="utf-8")
    move_code(path, "A.ONE", "A")
    move_code(path, "B", None)
    assert path.read_text(encoding="utf-8") == book
