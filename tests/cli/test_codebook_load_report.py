"""A code renamed in the codebook file (`replaces:`) is re-keyed by the sync every command
runs when it opens the study; `codebook load` then loaded the file again and reported its own
second pass — «0 re-keyed» — and `sync --all` printed a second codebook line saying the same.
Both now say what was done: one line, «1 re-keyed», and which codings moved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO

from qualtool.cli.main import cli


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    """The sample study opened once, then BUR.DELAY renamed BUR.SLOW in the file by hand."""
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    assert qt(root, "ls").exit_code == 0
    book = root / "codebooks" / "barriers.yml"
    text = book.read_text(encoding="utf-8")
    assert "      - id: BUR.DELAY\n" in text
    book.write_text(text.replace("      - id: BUR.DELAY\n",
                                 "      - id: BUR.SLOW\n        replaces: [BUR.DELAY]\n"),
                    encoding="utf-8")  # fmt: skip
    return root


def qt(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--study", str(root), *args], catch_exceptions=False)


def test_codebook_load_reports_the_rekeying_the_opening_sync_did(renamed: Path) -> None:
    out = qt(renamed, "codebook", "load").output
    assert "1 re-keyed" in out and "0 re-keyed" not in out, out
    assert "codings of BUR.DELAY now belong to BUR.SLOW" in out, out


def test_sync_all_says_it_once(renamed: Path) -> None:
    out = qt(renamed, "sync", "--all").output
    lines = [line for line in out.splitlines() if line.startswith("codebook:")]
    assert len(lines) == 1 and "1 re-keyed" in lines[0], out
