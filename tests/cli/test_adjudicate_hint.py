"""The disagreements listing names each passage and ends with the command that settles the
first one; run as printed, that command works. The listing used to lead with a database row
id («seg 7») beside the KEY#INDEX every other command takes, and `adjudicate` accepted only
the row id — which also differs between two clones of the study."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from qualtool.cli.main import cli, main


@pytest.fixture
def study(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    return root


def qt(study: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(study), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_printed_hint_runs_and_settles_the_first_disagreement(
    study: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", lang)
    out = qt(study, "disagreements")
    first = out.splitlines()[0].split()
    assert first[0] == "idi-01#2" and first[1] == "BUR.DELAY", out  # the key the command takes
    hint = next(line for line in out.splitlines() if "qualtool adjudicate" in line)
    command = shlex.split(hint.split("qualtool ", 1)[1].split(" (")[0])
    assert command == ["adjudicate", "idi-01#2", "BUR.DELAY", "--yes"], hint
    said = qt(study, *command)
    assert "BUR.DELAY" in said, said
    assert "qualtool adjudicate" not in qt(study, "disagreements")  # nothing left to settle
    consensus = (study / "codings" / "consensus.json").read_text(encoding="utf-8")
    assert '"BUR.DELAY"' in consensus


def test_a_bad_key_is_one_line(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--study", str(study), "adjudicate", "idi-01", "BUR.DELAY", "--yes"])
    err = capsys.readouterr().err
    assert ended.value.code != 0 and "KEY#INDEX" in err and len(err.splitlines()) == 1, err
