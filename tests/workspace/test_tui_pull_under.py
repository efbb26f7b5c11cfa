"""A `git pull` in another terminal while the TUI is open on the pulled transcript: the next
edit made in the TUI reads the pulled files first (`Workspace.catch_up`), so the colleague's
text edit and coding stay, the edit goes on top, and the TUI says the files were read again."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status

from qualtool.i18n import _
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.workspace.study import open_workspace

OLD, NEW = "Сотрудники отвечают резко", "Сотрудники АННА отвечают резко"


def _anna_edits_and_codes(tmp_path: Path, a: Path) -> None:
    text = (a / "transcripts" / "fg-01.json").read_text(encoding="utf-8")
    assert OLD in text
    edited = tmp_path / "fg.json"
    edited.write_text(text.replace(OLD, NEW), encoding="utf-8")
    qt(a, "transcript", "import", "fg-01", str(edited))
    qt(a, "code", "fg-01#2", "CORR.CONNECTIONS", "--coder", "anna", "--quote", "через знакомых",
       "--memo", "anna memo")  # fmt: skip
    git(a, "add", "-A")
    git(a, "commit", "-qm", "anna")
    git(a, "push", "-q")


def _laptops(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The bare repo and anna's (A) and boris's (B) clones; B's database already built."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(b, "ls")
    return bare, a, b


def _anna_pushes_and_boris_pulls(tmp_path: Path, a: Path, b: Path) -> None:
    """anna's text edit and coding, pulled into B from another terminal (B's TUI stays open)."""
    _anna_edits_and_codes(tmp_path, a)
    git(b, "pull", "-q", "--no-rebase", "--no-edit")


async def test_an_edit_after_a_pull_under_the_tui_keeps_the_pulled_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QualtoolApp, "WATCH_SECONDS", 3600.0, raising=False
    )  # the write-time check alone
    bare, a, b = _laptops(tmp_path)
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first recording: fg-01
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen) and app.screen.key == "fg-01"
        _anna_pushes_and_boris_pulls(tmp_path, a, b)  # another terminal; focus stayed
        await pilot.press("down", "down", "e")  # boris edits segment 2 (anna coded it)
        await pilot.pause()
        await pilot.press(*" ТУИ", "enter")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert _("The study's files changed on disk — read again") in said
        assert not [n for n in app._notifications if n.severity == "error"], said
        shown = [s.text for s in app.screen.segments]  # the view shows the pulled text
        assert shown[0].startswith(NEW) and shown[2].endswith("ТУИ")
        await pilot.press("q")
    ws.close()
    text = (b / "transcripts" / "fg-01.json").read_text(encoding="utf-8")
    assert NEW in text and "ТУИ" in text
    anna = {c for c in file_codings(b) if c[0] == "anna"}
    assert ("anna", "fg-01", 2, "CORR.CONNECTIONS", "через знакомых") in anna
    assert anna <= db_codings(b)
    # every coding on the pulled words keeps them in the files (none put back on the old text)
    quotes = {c[4] for c in file_codings(b) if c[1] == "fg-01" and c[2] == 0}
    assert quotes and not [q for q in quotes if q.startswith(OLD)]
    git(b, "add", "-A")
    git(b, "commit", "-qm", "boris")
    git(b, "push", "-q")
    c = clone(bare, tmp_path / "C")
    assert ("anna", "fg-01", 2, "CORR.CONNECTIONS", "через знакомых") in db_codings(c)
    assert status(c) == ""  # a fresh clone reads them as they are: nothing rewritten


async def test_the_idle_tui_reads_a_pull_and_shows_it(tmp_path: Path) -> None:
    _bare, a, b = _laptops(tmp_path)
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        _anna_pushes_and_boris_pulls(tmp_path, a, b)
        app._watch_files()  # the interval's tick, called at once: no waiting on the clock
        await pilot.pause()
        assert _("The study's files changed on disk — read again") in [
            str(n.message) for n in app._notifications
        ]
        assert app.screen.segments[0].text.startswith(NEW)
        await pilot.press("q")
    ws.close()
    assert status(b) == ""


async def test_an_edit_of_a_segment_the_pull_changed_is_refused_with_the_typed_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QualtoolApp, "WATCH_SECONDS", 3600.0)
    _bare, a, b = _laptops(tmp_path)
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        _anna_pushes_and_boris_pulls(tmp_path, a, b)
        await pilot.press("e")  # segment 0, the one anna's pull changed
        await pilot.pause()
        await pilot.press(*" БОРИС", "enter")
        await pilot.pause()
        errors = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "БОРИС" in errors[0], errors  # what he typed, said back
        assert app.screen.segments[0].text.startswith(NEW)  # the view shows anna's text
        await pilot.press("escape", "q")
    ws.close()
    text = (b / "transcripts" / "fg-01.json").read_text(encoding="utf-8")
    assert NEW in text and "БОРИС" not in text
    assert status(b) == ""


async def test_quitting_after_a_pull_under_the_tui_writes_nothing_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No edit at all: leaving the TUI saves the layers, which reads the pull first."""
    monkeypatch.setattr(QualtoolApp, "WATCH_SECONDS", 3600.0)
    _bare, a, b = _laptops(tmp_path)
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris", language="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        _anna_pushes_and_boris_pulls(tmp_path, a, b)
        await pilot.press("q")
    ws.close()
    assert status(b) == ""  # nothing put back over the pulled files
    assert ("anna", "fg-01", 2, "CORR.CONNECTIONS", "через знакомых") in db_codings(b)
