"""Review: findings listed with context, decisions kept in the study's files without originals
and reused by apply; the TUI review screen accepts, rejects, allows and adds."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from qualtool.coding.history import undo
from qualtool.domain.errors import InvalidInput
from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Айгерим Нурлановна, а потом Жумабаев в Каскелене, дом у дороги."


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(empty_study.db, "idi-r", [("R01", TEXT)])
    return empty_study


def test_decisions_are_saved_without_originals_and_reused(ws: Workspace) -> None:
    vault = study_vault(ws)
    pseud = Pseudonymiser(vault.secret, vault.numbers)
    found = review.segment_findings(ws, pseud)
    assert [f.entity.text for f in found] == ["Айгерим Нурлановна", "Жумабаев"]
    assert "⟦Жумабаев⟧" in found[1].context and found[1].status == "pending"
    review.decide(ws, found[1], "reject")
    start = TEXT.index("дом у дороги")
    review.add_span(ws, "idi-r", 0, start, start + 12, "address", TEXT)
    saved = (ws.study.root / "privacy" / "decisions.yml").read_text(encoding="utf-8")
    assert "Жумабаев" not in saved and "дороги" not in saved and "reject" in saved
    again = review.segment_findings(ws, Pseudonymiser(vault.secret))
    assert [(f.entity.text, f.status) for f in again] == [
        ("Айгерим Нурлановна", "pending"), ("Жумабаев", "reject"), ("дом у дороги", "add")]  # fmt: skip
    anonymise(ws, vault)
    text = ws.db.execute("SELECT text FROM segments").fetchone()[0]
    assert text == "Меня принимала Имя-1, а потом Жумабаев в Каскелене, [адрес]."


async def test_review_screen(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("down", "x")
        await pilot.pause()
        assert app.screen.items[1].status == "reject"
        await pilot.press("up", "a")
        await pilot.pause()
        assert app.screen.items[0].status == "accept"
        await pilot.press("n")
        await pilot.pause()
        start = TEXT.index("дом у дороги")
        app.screen.query_one(Input).value = f"{start}:{start + 12}:address"
        await pilot.press("enter")
        await pilot.pause()
        assert [f.status for f in app.screen.items] == ["accept", "reject", "add"]
        await pilot.press("down", "down", "w")  # «always allow» an address: names only
        await pilot.pause()
    # the allow-list is read for names alone: an address there would change nothing and stay
    # in plain text in a shared file after --apply
    assert not (ws.study.root / "privacy" / "allow.yml").exists()


async def test_review_screen_speaks_russian(ws: Workspace) -> None:
    """The review screen's title, headers, kinds and statuses used to be English words
    («where», «person», «pending», the title «qualtool») in the Russian interface."""
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert headers == ["где", "тип", "статус", "контекст"], headers
        cells = [str(table.get_row_at(i)[1]) + " " + str(table.get_row_at(i)[2])
                 for i in range(table.row_count)]  # fmt: skip
        assert cells[0] == "имя ожидает", cells
        await pilot.press("x")
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "отклонено"
        assert app.screen.title == "Анонимизация"


def test_always_allow_takes_names_only_and_is_undone(ws: Workspace) -> None:
    """A phone or address in privacy/allow.yml changed nothing (the list is read for names)
    and stayed there in plain text after --apply; a name's allowing is one undoable step."""
    vault = study_vault(ws)
    pseud = Pseudonymiser(vault.secret, vault.numbers)
    start = TEXT.index("дом у дороги")
    review.add_span(ws, "idi-r", 0, start, start + 12, "address", TEXT)
    found = {f.entity.text: f for f in review.segment_findings(ws, pseud)}
    allow_file = ws.study.root / "privacy" / "allow.yml"
    with pytest.raises(InvalidInput):
        review.allow_finding(ws, found["дом у дороги"])
    assert not allow_file.exists()
    review.allow_finding(ws, found["Жумабаев"])
    assert "Жумабаев" in allow_file.read_text(encoding="utf-8")
    undo(ws)
    assert not allow_file.exists() or "Жумабаев" not in allow_file.read_text(encoding="utf-8")


def test_added_offsets_that_cut_a_word_take_the_whole_word() -> None:
    """«0:5» in «В ЦОНе …» cut «ЦОНе»: --apply left «Имя-2е» (found by the walkthrough)."""
    text = "В ЦОНе Асылбек сказал ждать."
    d = review.added(b"k" * 32, "idi-r", 0, 0, 5, "person", text)
    assert text[d.start : d.end] == "В ЦОНе"
    d = review.added(b"k" * 32, "idi-r", 0, 9, 12, "person", text)
    assert text[d.start : d.end] == "Асылбек"
    with pytest.raises(InvalidInput):
        review.added(b"k" * 32, "idi-r", 0, 6, 7, "person", text)  # a space only
