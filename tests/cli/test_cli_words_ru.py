"""The CLI's words in the interface's language: the Russian `show` printed English labels
(«file:», «consent: yes», «transcript: done»), `ls` the stored «auto», `rm` asked «remove …
from the study?», `anonymise` listed «pending»/«reject» and summed up «(person: 1)», and
`quotes pin` said «pinned 1»."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli


def test_show_and_rm_speak_russian(sample_study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    out = CliRunner().invoke(cli, ["--study", str(sample_study), "show", "fg-01"]).output
    labels = [line.split(":")[0].strip() for line in out.splitlines()]
    assert labels[:4] == ["ключ", "файл", "длит.", "формат"], out
    assert "язык: авто" in out and "согласие: да" in out and "транскрипт: готово" in out
    assert "участник: P2 (предприниматель, m, 35-44)" in out
    assert not {"file", "consent", "transcript", "participant", "language"} & set(labels)
    result = CliRunner().invoke(cli, ["--study", str(sample_study), "rm", "ms-01"], input="n\n")
    assert "убрать ms-01 из исследования?" in result.output
    listed = CliRunner().invoke(cli, ["--study", str(sample_study), "ls"]).output
    assert "авто" in listed and "auto" not in listed
    assert "ms-01" in (sample_study / "audio" / "recordings.yml").read_text(encoding="utf-8")


def test_anonymise_and_pins_speak_russian(
    sample_study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")

    def qt(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--study", str(sample_study), *args])
        assert result.exit_code == 0, result.output
        return result.output

    listed = qt("anonymise")
    assert "fg-01#1:30:38   person   отклонено" in listed, listed
    assert " reject " not in listed
    qt("anonymise", "--add", "fg-01#0:0:10:person")  # «Сотрудники», as a test name
    assert "fg-01#0:0:10   person   добавлено" in qt("anonymise")
    applied = qt("anonymise", "--apply", "--passphrase", "пароль-для-теста")
    assert "анонимизировано (имя: 1)" in applied and "person" not in applied, applied
    assert qt("quotes", "pin", "1").strip().endswith("закреплена 1 цитата")
