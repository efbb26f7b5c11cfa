"""The TUI re-reads files changed on disk (a `git pull` in another terminal) when it regains
focus, and saves on exit without overwriting them."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status
from textual import events

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import open_workspace


async def test_focus_reads_a_pulled_layer_and_exit_keeps_it(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(b, "ls")
    ws = open_workspace(b)
    app = QualtoolApp(ws, coder="boris")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # meanwhile anna codes in A and pushes; B pulls in another terminal
        qt(a, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "anna")
        git(a, "add", "-A")
        git(a, "commit", "-qm", "anna")
        git(a, "push", "-q")
        git(b, "pull", "-q", "--no-rebase", "--no-edit")
        app.post_message(events.AppFocus())
        await pilot.pause()
        n = ws.db.execute("SELECT count(*) FROM codings WHERE coder_id = 'anna'").fetchone()[0]
        assert n == 1
        assert any("codings/anna.json" in str(m.message) for m in app._notifications)
        await pilot.press("q")
    ws.close()
    anna = {c for c in file_codings(b) if c[0] == "anna"}
    assert anna and anna <= db_codings(b)
    assert status(b) == ""
