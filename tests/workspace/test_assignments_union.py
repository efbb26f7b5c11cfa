"""codings/assignments.yml on two laptops at once (session-15 team hunt, r7): it had no
`merge=union`, so two coders assigning or finishing transcripts at once stopped `git pull` with
a conflict and every command after it refused the file."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

from qualtool.team import assignments
from qualtool.workspace.study import open_workspace


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def _listed(study: Path) -> list[assignments.Assignment]:
    ws = open_workspace(study)
    try:
        return assignments.load(ws)
    finally:
        ws.close()


def test_two_laptops_assign_and_finish_at_once(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "assign", "ms-01", "anna")
    _commit(a, "a0")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    qt(a, "assign", "idi-01", "anna")
    qt(a, "done", "idi-01", "--coder", "anna")
    qt(a, "done", "ms-01", "--coder", "anna")
    qt(b, "assign", "idi-02", "boris")
    qt(b, "assign", "idi-01", "anna")  # the same assignment, not finished on this laptop
    _commit(a, "a")
    git(a, "push", "-q")
    _commit(b, "b")
    git(b, "pull", "-q", "--no-rebase")  # no conflict
    done = {(x.recording, x.coder, x.done) for x in _listed(b)}
    assert done == {("idi-01", "anna", True), ("idi-02", "boris", False), ("ms-01", "anna", True)}
    qt(b, "agreement")
    qt(b, "assign", "fg-01", "boris")
    text = (b / assignments.FILE).read_text(encoding="utf-8")
    assert text.count("idi-01") == 1 and text.count("- {") == 4
    _commit(b, "merge")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    assert _listed(a) == _listed(b) and status(a) == ""


def test_an_older_study_gains_the_union_line(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "a")
    (a / ".gitattributes").write_text("codings/*.json merge=union\n", encoding="utf-8")
    qt(a, "assign", "idi-01", "anna")
    attrs = (a / ".gitattributes").read_text(encoding="utf-8")
    assert "codings/assignments.yml merge=union" in attrs.splitlines()
