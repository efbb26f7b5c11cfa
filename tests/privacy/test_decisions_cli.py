"""`qualtool anonymise --reject A --reject B --add C` is all-or-nothing: a bad span among them
is one line, exit 1, and privacy/decisions.yml is not written. The first decisions used to be
saved before the bad one was found."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Гульнара Серикбаевна, очень вежливая."


@pytest.mark.parametrize("bad", [["--reject", "idi-d#0:0:4"], ["--add", "idi-d#0:0:400:person"],
                                 ["--add", "idi-d#0:0:4:nickname"], ["--add", "nope#0:0:4"],
                                 ["--accept", "idi-d:0:4"]])  # fmt: skip
def test_a_bad_decision_among_several_saves_none(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: list[str]
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(empty_study.db, "idi-d", [("R01", TEXT)])
    root = empty_study.study.root
    start = TEXT.index("Гульнара")
    good = f"idi-d#0:{start}:{start + len('Гульнара Серикбаевна')}"
    listed = CliRunner().invoke(cli, ["--study", str(root), "anonymise"])
    assert good in listed.output, listed.output
    result = CliRunner().invoke(cli, ["--study", str(root), "anonymise", "--reject", good,
                                      "--add", "idi-d#0:0:4:person", *bad])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not (root / "privacy" / "decisions.yml").exists()
    ok = CliRunner().invoke(cli, ["--study", str(root), "anonymise", "--reject", good,
                                  "--add", "idi-d#0:0:4:person"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert (root / "privacy" / "decisions.yml").read_text().count("{where:") == 2
