"""hunt18: a `git pull` in another terminal stops on a recording renamed two ways while the
study is open here (the TUI, or any open workspace). The open study settles it as opening
would — before, the manifest's conflict markers refused every write («cannot parse
audio/recordings.yml») until qualtool was started again — and a transcript screen open on
this laptop's name shows the kept one."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, db_codings, git, qt, seed_sample, status
from laptops import ENV
from test_renamed_twice import _commit, _pull

from qualtool.coding.actions import apply_codes
from qualtool.store import transcripts as tr_store
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.workspace.study import open_workspace


@pytest.fixture(autouse=True)
def _committer(monkeypatch: pytest.MonkeyPatch) -> None:
    """qualtool's own `git commit` of the settled merge runs as the laptop's user."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _renamed_both_ways(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A renames idi-01 → idi-01a and codes in it, B → idi-01b; both commit, A pushes. B's
    database is built (B's study is open before its pull)."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(a, "code", "idi-01a#1", "ACC.QUEUE", "--coder", "anna")
    _commit(a, "a")
    _commit(b, "b")
    git(a, "push", "-q")
    return bare, a, b


def _agree(bare: Path, a: Path, b: Path, tmp_path: Path) -> None:
    """B's second sync changes nothing; B pushes, A pulls: A, B and a fresh clone agree."""
    qt(b, "sync")
    assert status(b) == "", status(b)
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    c = clone(bare, tmp_path / "c")
    assert db_codings(a) == db_codings(b) == db_codings(c)
    assert status(a) == "" and status(c) == ""


def test_a_write_in_the_open_study_settles_the_stopped_pull(tmp_path: Path) -> None:
    bare, a, b = _renamed_both_ways(tmp_path)
    ws = open_workspace(b)  # open before the pull, as the TUI is
    try:
        assert _pull(b).returncode  # stopped: rename/rename
        said = ws.catch_up()  # what every write does first
        assert said is not None and any("idi-01a" in s for s in said.settled), said
        seg = tr_store.find_segment(ws.db, "idi-01a", 2)
        apply_codes(ws, seg.id or 0, (0, 5), ["ACC.QUEUE"], "boris")
    finally:
        ws.close()
    assert not (b / ".git" / "MERGE_HEAD").exists()
    got = {c[:4] for c in db_codings(b)}
    assert {("boris", "idi-01a", 2, "ACC.QUEUE"), ("anna", "idi-01a", 1, "ACC.QUEUE")} <= got
    _commit(b, "boris")
    _agree(bare, a, b, tmp_path)


async def test_the_idle_tui_on_the_renamed_transcript_settles_and_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QualtoolApp, "WATCH_SECONDS", 3600.0)  # the tick called by hand
    bare, a, b = _renamed_both_ways(tmp_path)
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.push_screen(TranscriptScreen("idi-01b"))
        await pilot.pause()
        assert _pull(b).returncode
        app._watch_files()  # the interval's tick, at once: no waiting on the clock
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("idi-01b" in m and "idi-01a" in m for m in said), said
        assert not [n for n in app._notifications if n.severity == "error"], said
        assert isinstance(app.screen, TranscriptScreen) and app.screen.key == "idi-01a"
        assert app.screen.sub_title.startswith("idi-01a ·"), app.screen.sub_title
        await pilot.press("q")
    ws.close()
    assert status(b) == ""
    _agree(bare, a, b, tmp_path)


async def test_the_idle_tui_says_a_stopped_pull_it_undid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pull also stopped on a file both sides added: too much to settle, so the open study
    undoes the pull — and the idle TUI says so once (its tick used to swallow the line)."""
    monkeypatch.setattr(QualtoolApp, "WATCH_SECONDS", 3600.0)
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    for study, side in ((a, "a"), (b, "b")):
        qt(study, "rename", "idi-01", f"idi-01{side}")
        (study / "notes.md").write_text(f"{side}\n", encoding="utf-8")
        _commit(study, side)
    git(a, "push", "-q")
    head = git(b, "rev-parse", "HEAD")
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert _pull(b).returncode
        app._watch_files()
        app._watch_files()  # the next tick: said once, not on every tick
        await pilot.pause()
        errors = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "pull was undone" in errors[0], errors
        await pilot.press("q")
    ws.close()
    assert git(b, "rev-parse", "HEAD") == head and status(b) == ""
    assert "idi-01b" in qt(b, "ls")
