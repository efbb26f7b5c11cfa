"""Kazakh keywords edited from the TUI (K, k) and the CLI (`codebook edit --keywords-kk`, shown
by `codebook show`): file and database change together, and ctrl+z / `qualtool undo` take the
edit back like any other codebook field."""

from __future__ import annotations

import json

from click.testing import CliRunner
from codebook_steps import codebook, db_code
from pilot_steps import edit, press
from textual.widgets import TextArea

from qualtool.cli.main import cli
from qualtool.files.codebook import load_codebook as load_file
from qualtool.workspace.study import Workspace


def qt(ws: Workspace, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


async def test_kazakh_and_russian_keywords_in_the_tui_and_undo(empty_study: Workspace) -> None:
    ws = empty_study
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    async with codebook(ws, "ACC.QUEUE") as (app, pilot):
        await press(pilot, "K")
        editor = app.screen.query_one(TextArea)
        assert editor.text.splitlines()[0] == "кезек"  # the current ones, one per line
        editor.text = "кезек\nкезекте тұрдық\nталон алдық"
        await press(pilot, "ctrl+s")
        want = ("кезек", "кезекте тұрдық", "талон алдық")
        assert load_file(ws.study.codebook_path).get("ACC.QUEUE").keywords_kk == want
        assert tuple(json.loads(db_code(ws, "ACC.QUEUE")["keywords_kk"])) == want
        await edit(pilot, "k", "очередь\nталон")
        assert load_file(ws.study.codebook_path).get("ACC.QUEUE").keywords == ("очередь", "талон")
        await press(pilot, "ctrl+z", "ctrl+z")
        assert ws.study.codebook_path.read_text(encoding="utf-8") == original
        assert json.loads(db_code(ws, "ACC.QUEUE")["keywords_kk"])[0] == "кезек"
        assert len(json.loads(db_code(ws, "ACC.QUEUE")["keywords_kk"])) > 3
        await press(pilot, "ctrl+y")
        assert load_file(ws.study.codebook_path).get("ACC.QUEUE").keywords_kk == want


def test_cli_edit_keywords_kk_show_and_undo(empty_study: Workspace) -> None:
    ws = empty_study
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    out = qt(ws, "codebook", "edit", "STAFF.CONDUCT", "--keywords-kk", "дөрекі, айқайлады")
    assert "saved STAFF.CONDUCT" in out
    assert load_file(ws.study.codebook_path).get("STAFF.CONDUCT").keywords_kk == (
        "дөрекі", "айқайлады")  # fmt: skip
    assert "keywords_kk: дөрекі, айқайлады\n" in qt(ws, "codebook", "show", "STAFF.CONDUCT")
    qt(ws, "undo")
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original
    assert "keywords_kk: дөрекі, айқайлады\n" not in qt(ws, "codebook", "show", "STAFF.CONDUCT")


async def test_saving_what_the_codebook_already_says_writes_nothing(empty_study: Workspace) -> None:
    """The keywords typed back with commas, or the criteria saved unchanged: the file is not
    rewritten, the coder is told so (not «saved»), and ctrl+z has nothing to take back."""
    ws = empty_study
    path = ws.study.codebook_path
    original, inode = path.read_text(encoding="utf-8"), path.stat().st_ino
    kk = ", ".join(load_file(path).get("ACC.QUEUE").keywords_kk)
    async with codebook(ws, "ACC.QUEUE") as (app, pilot):
        await edit(pilot, "K", kk + ", " + kk.split(", ")[0])  # and a repeat
        said = [str(n.message) for n in app._notifications]
        assert said[-1].startswith("nothing to change"), said
        await press(pilot, "ctrl+z")
        assert [str(n.message) for n in app._notifications][-1] == "nothing to undo"
    assert path.read_text(encoding="utf-8") == original and path.stat().st_ino == inode
    out = qt(ws, "codebook", "edit", "ACC.QUEUE", "--keywords-kk", kk)
    assert out.startswith("nothing to change") and "undo" not in out
    assert path.stat().st_ino == inode
