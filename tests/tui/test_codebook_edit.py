"""Pilot: editing the codebook in the TUI — all labels, multi-line definition and examples,
delete with reassignment after a confirmation — writes file and database together and is
undone (and redone) with ctrl+z / ctrl+y."""

from __future__ import annotations

import pytest
from conftest import TURNS
from textual.widgets import Input, TextArea, Tree

from qualtool.coding import apply_codes
from qualtool.files.codebook import load_codebook as load_file
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    apply_codes(empty_study, sid, (0, 13), ["TECH.OUTAGE"], "anna")
    return empty_study


async def goto(pilot, app: QualtoolApp, code_id: str) -> None:  # type: ignore[no-untyped-def]
    tree = app.screen.query_one(Tree)
    node = next(n for n in tree._tree_lines if n.node.data == code_id).node  # type: ignore[attr-defined]
    tree.move_cursor(node)
    await pilot.pause()


def db_code(ws: Workspace, code_id: str) -> dict:  # type: ignore[type-arg]
    rows = list(ws.db.query("SELECT * FROM codes WHERE id = ?", [code_id]))
    return rows[0] if rows else {}


async def test_edit_labels_definition_examples_and_undo(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await goto(pilot, app, "TECH.AUTH")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#label-ru", Input).value = "Вход в систему"
        app.screen.query_one("#label-en", Input).value = "Sign-in"
        await pilot.press("enter")
        await pilot.pause()
        code = load_file(ws.study.codebook_path).get("TECH.AUTH")
        assert (code.label_ru, code.label_en) == ("Вход в систему", "Sign-in")
        assert db_code(ws, "TECH.AUTH")["label_en"] == "Sign-in"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Первая строка.\nВторая строка."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").definition == (
            "Первая строка.\nВторая строка.")  # fmt: skip
        assert "Вторая строка." in db_code(ws, "TECH.AUTH")["definition"]
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "не смог войти через ЭЦП\nпароль не подходит"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.text for e in load_file(ws.study.codebook_path).get("TECH.AUTH").examples] == [
            "не смог войти через ЭЦП", "пароль не подходит"]  # fmt: skip
        await pilot.press("M")  # to the top level, and back with undo
        await pilot.pause()
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").parent_id is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").parent_id == "TECH"
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")
        await pilot.pause()
        code = load_file(ws.study.codebook_path).get("TECH.AUTH")
        assert code.label_ru != "Вход в систему" and code.label_en != "Sign-in"
        assert db_code(ws, "TECH.AUTH")["label_ru"] == code.label_ru
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").label_ru == "Вход в систему"


async def test_delete_asks_reassigns_and_undoes(ws: Workspace) -> None:
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await goto(pilot, app, "TECH.OUTAGE")
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodePicker"  # it has a coding: where to?
        app.screen.query_one(Input).value = "TECH.UPLOAD"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")  # changed my mind: nothing happens
        await pilot.pause()
        assert ws.study.codebook_path.read_text(encoding="utf-8") == original
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one(Input).value = "TECH.UPLOAD"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        cb = load_file(ws.study.codebook_path)
        assert "TECH.OUTAGE" not in cb and "TECH.OUTAGE" in cb.get("TECH.UPLOAD").replaces
        assert [r[0] for r in ws.db.execute("SELECT code_id FROM codings")] == ["TECH.UPLOAD"]
        layer = (ws.study.root / "codings" / "anna.json").read_text(encoding="utf-8")
        assert "TECH.UPLOAD" in layer and "TECH.OUTAGE" not in layer
        await goto(pilot, app, "TECH.AUTH")
        await pilot.press("d")  # no codings: just a confirmation
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("y")
        await pilot.pause()
        assert "TECH.AUTH" not in load_file(ws.study.codebook_path)
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original
    assert [r[0] for r in ws.db.execute("SELECT code_id FROM codings")] == ["TECH.OUTAGE"]
    assert db_code(ws, "TECH.AUTH") and db_code(ws, "TECH.OUTAGE")


async def test_a_bad_new_code_id_is_refused_before_its_label(ws: Workspace) -> None:
    """A wrong or taken id used to be accepted, the label asked for, and only then refused."""
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        for bad in ("tech.нов", "TECH.AUTH"):
            await pilot.press("A")
            await pilot.pause()
            app.screen.query_one(Input).value = bad
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "CodebookScreen"  # no label prompt
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one(Input).value = "NEW"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Prompt"  # a good id: now its label
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original


async def test_merging_a_code_with_sub_codes_is_refused_at_once(ws: Workspace) -> None:
    """`g` on TECH asked for a target and a confirmation, then refused (it has sub-codes)."""
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await goto(pilot, app, "TECH")
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodebookScreen"
        await goto(pilot, app, "TECH.AUTH")
        await pilot.press("g")  # a leaf: pick the target as before
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodePicker"
