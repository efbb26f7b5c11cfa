"""`qualtool show` in the interface's language: the Russian one printed English labels
(«file:», «consent: yes», «transcript: done»), `ls` the stored «auto», and `rm` asked
«remove … from the study?»."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from qualtool.cli.main import cli


@pytest.fixture
def study(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    root.mkdir()
    for name in ("study.toml", "audio", "codebooks", "transcripts", "codings"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    return root


def test_show_and_rm_speak_russian(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    out = CliRunner().invoke(cli, ["--study", str(study), "show", "fg-01"]).output
    labels = [line.split(":")[0].strip() for line in out.splitlines()]
    assert labels[:4] == ["ключ", "файл", "длит.", "формат"], out
    assert "язык: авто" in out and "согласие: да" in out and "транскрипт: готово" in out
    assert "участник: P2 (предприниматель, m, 35-44)" in out
    assert not {"file", "consent", "transcript", "participant", "language"} & set(labels)
    result = CliRunner().invoke(cli, ["--study", str(study), "rm", "ms-01"], input="n\n")
    assert "убрать ms-01 из исследования?" in result.output
    listed = CliRunner().invoke(cli, ["--study", str(study), "ls"]).output
    assert "авто" in listed and "auto" not in listed
    assert "ms-01" in (study / "audio" / "recordings.yml").read_text(encoding="utf-8")
