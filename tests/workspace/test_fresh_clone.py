"""A fresh clone opened by commands and by the TUI changes no tracked file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitstudy import REPO, clone, git, qt, seed_sample, status

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import open_workspace


async def test_fresh_clone_commands_and_tui_leave_git_clean(tmp_path: Path) -> None:
    study = clone(seed_sample(tmp_path), tmp_path / "A")
    for args in (["ls"], ["sync"], ["show", "idi-01"], ["search", "ЦОН"], ["agreement"],
                 ["disagreements"], ["quotes", "ls"], ["codebook", "show"],
                 ["report", "--by", "code", "--format", "md", "-o", str(tmp_path / "r.md")]):  # fmt: skip
        qt(study, *args)
        assert status(study) == "", f"`qualtool {' '.join(args)}` changed tracked files"
    ws = open_workspace(study)
    app = QualtoolApp(ws, coder="aigerim")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # open a transcript
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("q")
    ws.close()
    assert status(study) == "", "opening and closing the TUI changed tracked files"


def test_readme_main_job_on_a_fresh_clone_of_the_repo(tmp_path: Path) -> None:
    """The repository is itself the sample study: clone it, run the README's report."""
    if not (REPO / ".git").exists():
        return
    dest = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(REPO), str(dest))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for args in (["ls"], ["sync"],
                 ["report", "--by", "code", "--format", "md", "-o", str(tmp_path / "r.md")]):  # fmt: skip
        out = subprocess.run([sys.executable, "-m", "qualtool", *args], cwd=dest, env=env,
                             capture_output=True, text=True)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert status(dest) == "", f"`qualtool {' '.join(args)}` changed tracked files"
    assert (tmp_path / "r.md").read_text(encoding="utf-8").strip()
