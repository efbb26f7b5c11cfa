"""study.toml's comments in the new study's interface language: a Russian study's file was
explained in English. Only the comments change: the settings parse the same, the same arguments
give the same bytes, and an existing study's file is never rewritten."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.files.study import init_study, load_study
from qualtool.files.study_template import render
from qualtool.workspace.study import open_workspace

ARGS = {"study_id": "0" * 32, "name": "Тест", "year": 2025, "languages": ["ru", "kk"],
        "coder": "anna"}  # fmt: skip
EN_HEAD = "# qualtool study settings. Edit freely; qualtool reads this file on every start.\n"


def test_the_comments_are_russian_and_the_settings_the_same() -> None:
    ru, en = render("ru", **ARGS), render("en", **ARGS)
    assert ru == render("ru", **ARGS) and en == render("en", **ARGS)  # deterministic
    assert ru.startswith("# Настройки исследования qualtool") and en.startswith(EN_HEAD)
    assert tomllib.loads(ru) == tomllib.loads(en)
    assert '# ui_language = "ru"' in ru and "cpu_threads = 0        # 0 = все ядра" in ru
    comments = [line for line in ru.splitlines() if line.startswith("#")]
    english = [c for c in comments if "Edit freely" in c or "Interface language" in c]
    assert not english and all(len(line) <= 100 for line in ru.splitlines())
    assert render("xx", **ARGS) == en  # a language without a catalogue: the English source


@pytest.mark.parametrize(("env", "russian"), [({"QUALTOOL_LANG": "ru"}, True),
                                              ({"QUALTOOL_LANG": "en"}, False),
                                              ({"LANG": "en_US.UTF-8"}, True)])  # fmt: skip
def test_init_writes_the_language_the_study_will_be_shown_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], russian: bool
) -> None:
    """Chosen as the interface's language is: QUALTOOL_LANG, else Russian for a study spoken in
    Russian (a new study's languages are ru and kk), whatever the locale."""
    for var in ("QUALTOOL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    study = init_study(tmp_path / "s", name="Тест", year=2025, coder="anna")
    text = (study.root / "study.toml").read_text(encoding="utf-8")
    assert text.startswith("# Настройки" if russian else EN_HEAD), text[:120]
    assert load_study(study.root).config.default_coder == "anna"


def test_qualtool_init_in_a_russian_interface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "s"), "--year", "2025"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "s" / "study.toml").read_text(encoding="utf-8")
    assert "# Язык интерфейса:" in text and "# year" not in text
    assert load_study(tmp_path / "s").config.year == 2025


def test_an_existing_studys_file_is_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A study made before (English comments) opened in Russian keeps its file byte for byte."""
    study = init_study(tmp_path / "s", name="Старое", year=2024, coder="anna")  # English: conftest
    path = study.root / "study.toml"
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    os.utime(path, ns=(stamp - 10**9, stamp - 10**9))
    stamp = path.stat().st_mtime_ns
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    ws = open_workspace(study.root, sync=True)
    ws.close()
    assert CliRunner().invoke(cli, ["--study", str(study.root), "ls"]).exit_code == 0
    assert path.read_bytes() == before and before.startswith(EN_HEAD.encode())
    assert path.stat().st_mtime_ns == stamp
