"""hunt18: `git pull --rebase` (or pull.rebase set, common) stopped on a recording renamed two
ways. The settle knew only a stopped merge, so every qualtool command failed on the manifest's
conflict markers with a many-line parse error, the rebase left stopped. Now the rebase is
undone (the laptop as before the pull) and one line says to pull with `--no-rebase`, after
which the merge is settled as usual."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitstudy import clone, db_codings, git, qt, seed_sample, status
from laptops import ENV
from test_renamed_twice import _commit

from qualtool.domain.errors import InvalidInput


@pytest.fixture(autouse=True)
def _committer(monkeypatch: pytest.MonkeyPatch) -> None:
    """qualtool's own `git commit` of the settled merge runs as the laptop's user."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _pull(study: Path, how: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "pull", "-q", how], cwd=study, capture_output=True,
                          text=True, env={**ENV, "PATH": "/usr/bin:/bin"})  # fmt: skip


def test_a_rebase_stopped_so_is_undone_and_said_then_the_merge_settles(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(b, "code", "idi-01b#2", "ACC.QUEUE", "--coder", "boris")
    _commit(a, "a")
    _commit(b, "b")
    git(a, "push", "-q")
    head = git(b, "rev-parse", "HEAD")
    assert _pull(b, "--rebase").returncode
    with pytest.raises(InvalidInput, match="--no-rebase") as said:
        qt(b, "sync", ok=False)
    assert "\n" not in str(said.value)
    assert git(b, "rev-parse", "HEAD") == head and status(b) == ""
    assert not (b / ".git" / "rebase-merge").exists()
    assert "idi-01b" in qt(b, "ls")  # the laptop as before the pull
    assert _pull(b, "--no-rebase").returncode  # as told: the merge stops, qualtool settles it
    qt(b, "sync")
    assert status(b) == ""
    assert ("boris", "idi-01a", 2, "ACC.QUEUE") in {x[:4] for x in db_codings(b)}
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    c = clone(bare, tmp_path / "c")
    assert db_codings(a) == db_codings(b) == db_codings(c)
    assert status(a) == "" and status(c) == ""
