"""Every export to a folder that does not exist says so by the user's path, in Russian for a
Russian study — not by the `.part` scratch file the user never typed — and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO

from qualtool.cli.main import main
from qualtool.i18n import set_language


@pytest.mark.parametrize("args", [
    ("report", "--by", "code", "--format", "md", "-o", "{out}/r.md"),
    ("report", "--by", "code", "--format", "docx", "-o", "{out}/r.docx"),
    ("report", "--format", "csv", "-o", "{out}/q.csv"),
    ("report", "--format", "xlsx", "-o", "{out}/q.xlsx"),
    ("refi", "export", "{out}/s.qdpx"),
    ("refi", "export", "{out}/c.qdc"),
    ("tables", "matrix", "-o", "{out}/m.csv"),
    ("export-coder", "dana", "-o", "{out}/d.json"),
])  # fmt: skip
def test_export_into_a_missing_folder_names_it(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    missing = tmp_path / "отчёты"
    argv = [a.format(out=missing) for a in args]
    try:
        with pytest.raises(SystemExit) as stop:
            main(["-s", str(root), *argv])
    finally:
        set_language("en")
    err = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 1
    assert err[-1] == f"ошибка: не удаётся записать {argv[-1]}: {missing}: нет такой папки", err
    assert ".part" not in "\n".join(err) and not missing.exists()
