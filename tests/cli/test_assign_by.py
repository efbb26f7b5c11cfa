"""`qualtool assign KEY CODER --by NAME` records who gave it (the coder's «My recordings» says
so); without --by it is the study's default coder, and no `by:` when that is the coder; `done`
keeps who gave it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.files import assignments as af


def test_assign_by(sample_study: Path) -> None:
    def run(*args: str) -> None:
        out = CliRunner().invoke(cli, ["--study", str(sample_study), *args])
        assert out.exit_code == 0, out.output

    run("assign", "idi-01", "dana", "--by", "Лейла")
    run("assign", "idi-02", "dana")  # the sample's default coder, aigerim, gives it
    run("assign", "ms-01", "aigerim")  # aigerim takes it herself
    run("done", "idi-01", "--coder", "dana")
    assert af.read(sample_study) == [af.Assignment("idi-01", "dana", True, "Лейла"),
                                     af.Assignment("idi-02", "dana", False, "aigerim"),
                                     af.Assignment("ms-01", "aigerim", False, "")]  # fmt: skip
    assert "ms-01, coder: aigerim, done: false}\n" in (sample_study / af.FILE).read_text("utf-8")
