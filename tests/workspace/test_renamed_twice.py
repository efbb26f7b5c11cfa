"""One recording renamed to two different keys on two laptops (`qualtool rename` on each, both
commit, A pushes, B pulls): the pull stops on git rename/rename conflicts. The next qualtool
command on B settles them itself — the pushed name kept, B's an alias, every coder's work under
either key carried —, commits the merge, and A (after a pull) and a fresh clone agree. A merge
that also stops on something else is aborted: B as it was before the pull, told what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status
from laptops import ENV

from qualtool.coding.editing import edit_segment_text
from qualtool.domain.errors import InvalidInput
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import open_workspace

QUOTE = "Каждый год я сдаю одни и те же документы."


@pytest.fixture(autouse=True)
def _committer(monkeypatch: pytest.MonkeyPatch) -> None:
    """qualtool's own `git commit` of the settled merge runs as the laptop's user."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def _pull(study: Path) -> subprocess.CompletedProcess[str]:
    """`git pull` that may stop on conflicts (gitstudy's `git` requires success)."""
    return subprocess.run(["git", "pull", "-q", "--no-rebase"], cwd=study, capture_output=True,
                          text=True, env={**ENV, "PATH": "/usr/bin:/bin"})  # fmt: skip


def _renamed_both_ways(
    tmp_path: Path, also: str = ""
) -> tuple[Path, Path, Path, set[tuple[str, str, int, str, str]]]:
    """A renames idi-01 → idi-01a, B → idi-01b; each codes in it under its name (and B under
    the old key before); A pushes, B's pull stops. `also`: a file both add, each with its own text."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(b, "code", "idi-01#1", "BUR.RESUBMIT", "--coder", "boris", "--quote", "Каждый год")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(a, "code", "idi-01a#1", "ACC.QUEUE", "--coder", "anna", "--quote", QUOTE)
    qt(b, "code", "idi-01b#2", "ACC.QUEUE", "--coder", "boris")
    qt(b, "assign", "idi-01b", "boris")
    ws = open_workspace(b)  # B also edits a word in its transcript after its rename
    seg = tr_store.find_segment(ws.db, "idi-01b", 0)
    edit_segment_text(ws, seg.id or 0, seg.text.replace("по особее", "пособие"))
    ws.close()
    for study, side in ((a, "a"), (b, "b")):
        if also:
            (study / also).write_text(f"{side}\n", encoding="utf-8")
        _commit(study, side)
    work = db_codings(a) | {c for c in db_codings(b) if c[0] == "boris"}
    git(a, "push", "-q")
    stopped = _pull(b)
    assert stopped.returncode != 0 and "rename/rename" in stopped.stdout + stopped.stderr
    return bare, a, b, work


def _keys_in_files(study: Path, key: str) -> list[str]:
    """The study's shared files that name `key` (the database cache aside)."""
    shared = [p for p in study.rglob("*") if p.is_file() and ".git" not in p.parts
              and not p.name.startswith("qualtool.db")]  # fmt: skip
    return sorted(str(p.relative_to(study)) for p in shared
                  if p.stem == key or key.encode() in p.read_bytes())  # fmt: skip


def test_the_pushed_name_is_kept_and_every_coders_work_carried(tmp_path: Path) -> None:
    bare, a, b, before = _renamed_both_ways(tmp_path)
    said = qt(b, "sync")
    assert status(b) == "", status(b)  # the merge settled and committed
    assert not (b / ".git" / "MERGE_HEAD").exists()
    assert "idi-01b" in said and "idi-01a" in said, said  # said once, by the opening
    assert _keys_in_files(b, "idi-01b") == []
    assert sorted(p.name for p in (b / "transcripts").glob("idi-01*")) == [
        f"idi-01a.{s}" for s in ("json", "md", "srt", "vtt")]  # fmt: skip
    settled = db_codings(b)
    assert {(c[0], "idi-01a" if c[1].startswith("idi-01") else c[1], *c[2:])
            for c in before} <= settled  # fmt: skip
    assert ("boris", "idi-01a", 1, "BUR.RESUBMIT", "Каждый год") in settled
    assert ("anna", "idi-01a", 1, "ACC.QUEUE", QUOTE) in settled
    assert settled == {c for c in file_codings(b)}
    assert "получить пособие," in (b / "transcripts" / "idi-01a.json").read_text(encoding="utf-8")
    assigned = (b / "codings" / "assignments.yml").read_text(encoding="utf-8")
    assert "idi-01a" in assigned and "boris" in assigned, assigned
    ws = open_workspace(b)
    try:
        assert rec_store.renamed_to(ws.db, "idi-01b") == "idi-01a"  # B's name: an alias now
    finally:
        ws.close()
    qt(b, "sync")  # a second sync changes nothing
    assert status(b) == ""
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    assert status(a) == "" and db_codings(a) == settled
    c = clone(bare, tmp_path / "c")
    assert db_codings(c) == settled and status(c) == ""
    for study in (a, b, c):  # B's edit made under its own name is everyone's text
        ws = open_workspace(study)
        try:
            assert "получить пособие," in tr_store.find_segment(ws.db, "idi-01a", 0).text
        finally:
            ws.close()


def test_a_merge_stopped_on_more_is_undone_and_said(tmp_path: Path) -> None:
    _bare, _a, b, _work = _renamed_both_ways(tmp_path, also="notes.md")
    head = git(b, "rev-parse", "HEAD^{commit}")
    with pytest.raises(InvalidInput, match="pull"):
        qt(b, "sync", ok=False)
    assert git(b, "rev-parse", "HEAD") == head and status(b) == ""
    assert not (b / ".git" / "MERGE_HEAD").exists()
    assert "idi-01b" in qt(b, "ls")  # the laptop as before the pull


async def test_the_tui_opened_on_the_stopped_pull_says_what_it_settled(tmp_path: Path) -> None:
    _bare, _a, b, _work = _renamed_both_ways(tmp_path)
    ws = open_workspace(b)  # as `qualtool` with no command opens it
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("idi-01b" in m and "idi-01a" in m for m in said), said
        await pilot.press("q")
    ws.close()
    assert status(b) == ""
