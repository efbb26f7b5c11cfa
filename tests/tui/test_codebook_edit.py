"""Pilot: editing the codebook in the TUI — all labels, multi-line definition and examples,
delete with reassignment after a confirmation — writes file and database together and is
undone (and redone) with ctrl+z / ctrl+y."""

from __future__ import annotations

import json

import pytest
from codebook_steps import codebook, db_code, goto
from conftest import TURNS
from pilot_steps import answer, edit, press
from textual.widgets import Input

from qualtool.coding import apply_codes
from qualtool.files.codebook import load_codebook as load_file
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    apply_codes(empty_study, sid, (0, 13), ["TECH.OUTAGE"], "anna")
    return empty_study


async def test_edit_labels_definition_examples_and_undo(ws: Workspace) -> None:
    async with codebook(ws, "TECH.AUTH") as (app, pilot):
        await press(pilot, "n")
        app.screen.query_one("#label-ru", Input).value = "Вход в систему"
        app.screen.query_one("#label-en", Input).value = "Sign-in"
        await press(pilot, "enter")
        code = load_file(ws.study.codebook_path).get("TECH.AUTH")
        assert (code.label_ru, code.label_en) == ("Вход в систему", "Sign-in")
        assert db_code(ws, "TECH.AUTH")["label_en"] == "Sign-in"
        await edit(pilot, "e", "Первая строка.\nВторая строка.")
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").definition == (
            "Первая строка.\nВторая строка.")  # fmt: skip
        assert "Вторая строка." in db_code(ws, "TECH.AUTH")["definition"]
        await edit(pilot, "E", "не смог войти через ЭЦП\nпароль не подходит")
        assert [e.text for e in load_file(ws.study.codebook_path).get("TECH.AUTH").examples] == [
            "не смог войти через ЭЦП", "пароль не подходит"]  # fmt: skip
        await press(pilot, "M")  # to the top level, and back with undo
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").parent_id is None
        await press(pilot, "ctrl+z")
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").parent_id == "TECH"
        await press(pilot, "ctrl+z", "ctrl+z", "ctrl+z")
        code = load_file(ws.study.codebook_path).get("TECH.AUTH")
        assert code.label_ru != "Вход в систему" and code.label_en != "Sign-in"
        assert db_code(ws, "TECH.AUTH")["label_ru"] == code.label_ru
        await press(pilot, "ctrl+y")
        assert load_file(ws.study.codebook_path).get("TECH.AUTH").label_ru == "Вход в систему"


async def test_delete_asks_reassigns_and_undoes(ws: Workspace) -> None:
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    async with codebook(ws, "TECH.OUTAGE") as (app, pilot):
        await press(pilot, "d")
        assert app.screen.__class__.__name__ == "CodePicker"  # it has a coding: where to?
        await answer(pilot, "TECH.UPLOAD")
        assert app.screen.__class__.__name__ == "Confirm"
        await press(pilot, "n")  # changed my mind: nothing happens
        assert ws.study.codebook_path.read_text(encoding="utf-8") == original
        await press(pilot, "d")
        await answer(pilot, "TECH.UPLOAD")
        await press(pilot, "y")
        cb = load_file(ws.study.codebook_path)
        assert "TECH.OUTAGE" not in cb and "TECH.OUTAGE" in cb.get("TECH.UPLOAD").replaces
        assert [r[0] for r in ws.db.execute("SELECT code_id FROM codings")] == ["TECH.UPLOAD"]
        layer = json.loads((ws.study.root / "codings" / "anna.json").read_text(encoding="utf-8"))
        # the line keeps where it was first written («origin», the deleted code's id in it): its
        # identity when a union merge meets another laptop's line of the same coding
        assert [r["code"] for r in layer if r.get("kind") == "coding"] == ["TECH.UPLOAD"]
        await goto(pilot, "TECH.AUTH")
        await press(pilot, "d")  # no codings: just a confirmation
        assert app.screen.__class__.__name__ == "Confirm"
        await press(pilot, "y")
        assert "TECH.AUTH" not in load_file(ws.study.codebook_path)
        await press(pilot, "ctrl+z", "ctrl+z")
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original
    assert [r[0] for r in ws.db.execute("SELECT code_id FROM codings")] == ["TECH.OUTAGE"]
    assert db_code(ws, "TECH.AUTH") and db_code(ws, "TECH.OUTAGE")


async def test_a_bad_new_code_id_is_refused_before_its_label(ws: Workspace) -> None:
    """A wrong or taken id used to be accepted, the label asked for, and only then refused."""
    original = ws.study.codebook_path.read_text(encoding="utf-8")
    async with codebook(ws) as (app, pilot):
        for bad in ("tech.нов", "TECH.AUTH"):
            await press(pilot, "A")
            await answer(pilot, bad)
            assert app.screen.__class__.__name__ == "CodebookScreen"  # no label prompt
        await press(pilot, "A")
        await answer(pilot, "NEW")
        assert app.screen.__class__.__name__ == "Prompt"  # a good id: now its label
    assert ws.study.codebook_path.read_text(encoding="utf-8") == original


async def test_merging_a_code_with_sub_codes_is_refused_at_once(ws: Workspace) -> None:
    """`g` on TECH asked for a target and a confirmation, then refused (it has sub-codes)."""
    async with codebook(ws, "TECH") as (app, pilot):
        await press(pilot, "g")
        assert app.screen.__class__.__name__ == "CodebookScreen"
        await goto(pilot, "TECH.AUTH")
        await press(pilot, "g")  # a leaf: pick the target as before
        assert app.screen.__class__.__name__ == "CodePicker"
