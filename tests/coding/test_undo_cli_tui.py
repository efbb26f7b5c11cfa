"""One history for the CLI and the TUI: a coding made with `qualtool code` is undone by
`qualtool undo` and by ctrl+z in the TUI, with the same journal either way; redo too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TURNS, open_transcript

from qualtool.cli.main import cli
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.db import open_db
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

QUOTE = "каждый раз требовали новую справку"


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS, service="Пособие", region="ВКО")
    return empty_study


def qt(ws: Workspace, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def journal(root: Path) -> list[tuple[Any, ...]]:
    """The journal without timestamps: what both front ends must leave identical."""
    db = open_db(root / "qualtool.db")
    try:
        out = []
        for r in db.query("SELECT label, transcript_id, undone, payload FROM journal ORDER BY id"):
            items = json.loads(r["payload"])
            for item in items:
                for img in item[2:4]:
                    if isinstance(img, dict):
                        img.pop("created_at", None)
                        img.pop("updated_at", None)
            out.append((r["label"], r["transcript_id"], r["undone"], items))
        return out
    finally:
        db.close()


def codings(ws: Workspace) -> list[tuple[str, str, str]]:
    return [(r[0], r[1], r[2]) for r in ws.db.execute(
        "SELECT code_id, coder_id, quote FROM codings ORDER BY id")]  # fmt: skip


def layer(ws: Workspace) -> list[str]:
    path = ws.study.root / "codings" / "anna.json"
    if not path.exists():
        return []
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r["quote"] for r in records if r.get("kind") == "coding"]


def test_cli_code_undo_redo(ws: Workspace) -> None:
    out = qt(ws, "code", "idi-x#1", "BUR.EXTRA_DOCS", "--quote", QUOTE, "--coder", "anna")
    assert QUOTE in out
    assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)]
    assert layer(ws) == [QUOTE]  # the coder's file is written by the same action
    assert "undone: code BUR.EXTRA_DOCS" in qt(ws, "undo")
    assert codings(ws) == [] and layer(ws) == []
    assert "redone: code BUR.EXTRA_DOCS" in qt(ws, "redo")
    assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)] and layer(ws) == [QUOTE]
    cid = ws.db.execute("SELECT id FROM codings").fetchone()[0]
    qt(ws, "uncode", str(cid))
    assert codings(ws) == []
    qt(ws, "undo")
    assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)]
    history = qt(ws, "undo", "--list")
    assert "(undone) remove BUR.EXTRA_DOCS" in history and "code BUR.EXTRA_DOCS" in history


def test_cli_nothing_to_undo_is_one_line(ws: Workspace) -> None:
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), "undo"])
    assert result.exit_code != 0 and "nothing to undo" in str(result.exception)


async def test_cli_coding_is_undone_by_ctrl_z_with_the_same_journal(
    ws: Workspace, tmp_path: Path
) -> None:
    qt(ws, "code", "idi-x#1", "BUR.EXTRA_DOCS", "--quote", QUOTE, "--coder", "anna")
    coded = journal(ws.study.root)
    qt(ws, "undo")
    by_cli = journal(ws.study.root)
    qt(ws, "redo")
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot)
        assert "[BUR.EXTRA_DOCS]" in str(app.screen.query_one("#segments").get_row_at(1)[2])
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert codings(ws) == [] and layer(ws) == []
        assert "[BUR.EXTRA_DOCS]" not in str(app.screen.query_one("#segments").get_row_at(1)[2])
        assert journal(ws.study.root) == by_cli  # the TUI undid the very same entry
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)]
        assert journal(ws.study.root) == coded
        await pilot.press("ctrl+z")
        await pilot.pause()
        # the same coding made in the TUI journals the same entry as the CLI made
        await pilot.press("c")
        sel = app.screen.query_one("#selector")
        sel.move_cursor((0, TURNS[1][1].index("каждый") + 2))  # mid-word: snaps to «каждый»
        for _ in range(len(QUOTE) - 3):
            await pilot.press("shift+right")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#picker-filter").value = "BUR.EXTRA_DOCS"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)]
    tui = journal(ws.study.root)
    assert len(tui) == 1  # a new action ended the redo history
    assert (tui[0][0], tui[0][1], tui[0][3][0][0], tui[0][3][0][3]["quote"]) == (
        coded[0][0], coded[0][1], coded[0][3][0][0], coded[0][3][0][3]["quote"])  # fmt: skip


def test_cli_codebook_edits_are_one_history_with_codings(ws: Workspace) -> None:
    qt(ws, "code", "idi-x#1", "BUR.EXTRA_DOCS", "--quote", QUOTE, "--coder", "anna")
    qt(ws, "code", "idi-x#1", "BUR.REPEAT_VISIT", "--quote", QUOTE, "--coder", "anna")
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    out = qt(ws, "codebook", "merge", "BUR.REPEAT_VISIT", "BUR.EXTRA_DOCS")
    assert "с новым id: 1" in out or "1 re-keyed" in out  # Russian study, English fallback
    assert codings(ws) == [("BUR.EXTRA_DOCS", "anna", QUOTE)]  # both on one span: one coding
    qt(ws, "codebook", "load")  # a sync after the merge works (it used to crash)
    qt(ws, "codebook", "edit", "BUR.EXTRA_DOCS", "--en", "", "--definition", "строка 1\nстрока 2")
    qt(ws, "codebook", "add", "BUR.STAMPS", "Печати", "--parent", "BUR")
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), "codebook", "delete",
                                      "BUR.EXTRA_DOCS"])  # fmt: skip
    assert result.exit_code != 0 and "reassign" in str(result.exception)
    qt(ws, "codebook", "delete", "BUR.EXTRA_DOCS", "--reassign", "BUR.STAMPS")
    assert codings(ws) == [("BUR.STAMPS", "anna", QUOTE)]
    for _ in range(4):
        qt(ws, "undo")
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original
    assert sorted(codings(ws)) == [("BUR.EXTRA_DOCS", "anna", QUOTE),
                                   ("BUR.REPEAT_VISIT", "anna", QUOTE)]  # fmt: skip
