"""Exports are written through a scratch `<name>.part` the user never typed: every failure
names the user's own path (in the interface language), and leaves no file behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import export_file
from qualtool.i18n import set_language


def test_a_missing_folder_is_named_not_the_part_file(tmp_path: Path) -> None:
    out = tmp_path / "нет-такой" / "report.docx"
    with pytest.raises(InvalidInput) as err, export_file(out) as tmp:
        tmp.write_text("never")
    message = str(err.value)
    assert message == f"cannot write {out}: {out.parent}: no such folder"
    assert ".part" not in message and not out.parent.exists()


def test_the_message_is_translated(tmp_path: Path) -> None:
    set_language("ru")
    try:
        missing = tmp_path / "x"
        with pytest.raises(InvalidInput) as err, export_file(missing / "r.md"):
            pass
        assert (
            str(err.value) == f"не удаётся записать {missing / 'r.md'}: {missing}: нет такой папки"
        )
        (tmp_path / "file").write_text("")
        with (
            pytest.raises(InvalidInput, match="это не папка"),
            export_file(tmp_path / "file" / "r.md"),
        ):
            pass
    finally:
        set_language("en")


def test_a_failed_write_leaves_neither_the_file_nor_the_scratch(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    with export_file(out) as tmp:
        tmp.write_text("a,b\n")
    assert out.read_text() == "a,b\n" and not tmp.exists()
    taken = tmp_path / "t2.csv"
    taken.mkdir()  # the name is a folder's
    with (
        pytest.raises(InvalidInput, match=re.escape(f"cannot write {taken}: a folder has")),
        export_file(taken) as tmp2,
    ):
        tmp2.write_text("x")
    assert not tmp2.exists()
    with pytest.raises(ZeroDivisionError), export_file(out) as tmp3:
        tmp3.write_text("half")
        _ = 1 / 0
    assert out.read_text() == "a,b\n" and not tmp3.exists()
