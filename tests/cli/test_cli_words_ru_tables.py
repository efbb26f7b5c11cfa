"""Words the CLI printed in English in a Russian study: the headers of `tables` (code, label,
total), `model info`'s «local, no network», `transcribe`'s line per recording."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AUDIO, SCRIPT, FakeEngine

from qualtool.cli import transcribe_cmd
from qualtool.cli.main import cli
from qualtool.domain import Recording
from qualtool.files.study import init_study
from qualtool.recordings.importing import import_file
from qualtool.workspace.study import open_workspace


def test_tables_headers_in_russian(sample_study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    for kind, words in (("frequency", ["код", "название", "всего"]), ("cooccurrence", ["код"]),
                        ("matrix", ["код", "всего"])):  # fmt: skip
        out = CliRunner().invoke(cli, ["--study", str(sample_study), "tables", kind])
        assert out.exit_code == 0, out.output
        header = out.output.splitlines()[0].split()
        assert header[0] == "код", out.output
        assert all(w in header for w in words), header
        assert not {"code", "label", "total"} & set(header), header
    csv = sample_study / "f.csv"
    out = CliRunner().invoke(
        cli, ["--study", str(sample_study), "tables", "frequency", "-o", str(csv)]
    )
    assert out.exit_code == 0, out.output
    assert csv.read_text("utf-8-sig").startswith("код,название,")


def test_model_info_in_russian(sample_study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    out = CliRunner().invoke(cli, ["--study", str(sample_study), "model", "info"]).output
    assert "локально, без сети" in out or "имя на хабе" in out, out
    assert "no network" not in out and "hub name" not in out


def test_transcribe_summary_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study = init_study(tmp_path / "study", name="Т", year=2025, coder="anna")
    ws = open_workspace(study.root, sync=True)
    import_file(ws.study, ws.db, AUDIO / "idi-01.flac", Recording(key="idi-01"))
    ws.close()
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    monkeypatch.setattr(transcribe_cmd, "make_engine", lambda _study: FakeEngine(SCRIPT))
    out = CliRunner().invoke(cli, ["--study", str(study.root), "transcribe", "idi-01"])
    assert out.exit_code == 0, out.output
    assert "idi-01: сегментов: 5, язык ru, на проверку помечено:" in out.output, out.output
    assert "segments" not in out.output and "flagged for review" not in out.output
