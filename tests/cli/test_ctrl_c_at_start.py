"""Ctrl+C while `qualtool` starts — its modules loading (~1.5 s), or the study's database being
built from the files on a fresh clone — used to print a Python traceback (the import's), and
could leave a half-built qualtool.db the next command took for a synced one. It now exits 130
with one line at most, and leaves the study as it was: no database, no scratch file; the next
command builds the same database an uninterrupted one would have."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, child_env

from qualtool.cli.main import main
from qualtool.files.writing import write_if_changed
from qualtool.workspace import layers

# `python -m qualtool`, interrupted while qualtool.cli.main (spaCy, numpy …) is being imported
INTERRUPTED_IMPORT = """
import builtins, runpy
real = builtins.__import__
def slow(name, *args, **kw):
    if name == "qualtool.cli.main":
        raise KeyboardInterrupt
    return real(name, *args, **kw)
builtins.__import__ = slow
runpy.run_module("qualtool", run_name="__main__")
"""


def test_ctrl_c_while_the_modules_load_is_quiet(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", INTERRUPTED_IMPORT], capture_output=True,
                          text=True, env=child_env(tmp_path), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) <= 1, done.stderr


def study_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The sample study as a fresh clone has it: transcripts and coder layers, no database."""
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    return root


@pytest.mark.parametrize("command", [[], ["ls"]], ids=["tui", "ls"])
def test_ctrl_c_while_a_fresh_database_is_built_leaves_nothing_half_done(
    clone: Path, command: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    before = study_files(clone)

    def interrupted(*args: object, **kw: object) -> None:  # transcripts in, layers not yet
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(layers, "reconcile", interrupted)
        with pytest.raises(SystemExit) as ended:
            main(["--study", str(clone), *command])
    err = capsys.readouterr().err
    assert ended.value.code == 130
    # click ends the terminal's «^C» line first; then ours, the one line
    assert err == "\ncancelled\n", repr(err)
    assert study_files(clone) == before  # no qualtool.db*, no scratch file, nothing rewritten
    main(["--study", str(clone), "ls"])  # the next command builds it whole
    capsys.readouterr()
    main(["--study", str(clone), "agreement", "--coders", "aigerim,dana"])
    assert "BUR.DELAY" in capsys.readouterr().out  # the layers were read this time


def test_a_write_cut_short_leaves_no_scratch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "speakers.yml"

    def interrupted(self: Path, other: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_if_changed(target, "idi-01:\n  R: respondent\n")
    assert os.listdir(tmp_path) == []
