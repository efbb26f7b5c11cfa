"""A reviewer adds a missed name by typing its words, not by counting characters: every
whole-word occurrence in the segment is added, and --apply replaces them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input

from qualtool.domain.errors import InvalidInput
from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Айгерим Нурлановна, потом асель сказала: асель-то знает, асельхоз нет."


def test_words_are_found_as_whole_words_in_any_case() -> None:
    assert review.typed_spans(TEXT, "Асель") == [(41, 46, "person"), (56, 61, "person")]
    assert review.typed_spans(TEXT, "асель:address") == [(41, 46, "address"), (56, 61, "address")]


def test_offsets_still_work_and_a_colon_in_words_is_not_a_kind() -> None:
    assert review.typed_spans(TEXT, " 15:22 ") == [(15, 22, "person")]
    assert review.typed_spans(TEXT, "15:22:iin") == [(15, 22, "iin")]
    assert review.typed_spans(TEXT, "сказала: асель") == [(47, 61, "person")]


@pytest.mark.parametrize("typed", ["Бахыт", "асе", "   "])
def test_words_not_in_the_segment_are_one_clear_error(typed: str) -> None:
    with pytest.raises(InvalidInput):
        review.typed_spans(TEXT, typed)


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(empty_study.db, "idi-t", [("R01", TEXT)])
    return empty_study


async def test_typing_the_words_in_the_review_screen_adds_and_apply_replaces(
    ws: Workspace,
) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Асель"
        await pilot.press("enter")
        await pilot.pause()
        added = [f.entity.text for f in app.screen.items if f.status == "add"]
        assert added == ["асель", "асель"]
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Гульнара"
        await pilot.press("enter")  # not in the segment: a notification, nothing written
        await pilot.pause()
        assert [f.status for f in app.screen.items].count("add") == 2
    saved = (ws.study.root / "privacy" / "decisions.yml").read_text(encoding="utf-8")
    assert "асель" not in saved.lower()
    anonymise(ws, study_vault(ws))
    text = ws.db.execute("SELECT text FROM segments").fetchone()[0]
    assert re.search(r"асель\b", text, re.IGNORECASE) is None and "асельхоз" in text
    assert text.count("Имя-") == 3  # Айгерим Нурлановна, and асель twice as one person


async def test_a_decision_is_undone_and_redone_on_the_review_screen(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    decisions = ws.study.root / "privacy" / "decisions.yml"
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.items[0].status == "reject" and "reject" in decisions.read_text()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen.items[0].status == "pending"
        assert "reject" not in (decisions.read_text() if decisions.exists() else "")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.screen.items[0].status == "reject"
