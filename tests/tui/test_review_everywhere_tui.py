"""F10: a missed name is added in any segment — one with no finding, reached by typing
RECORDING#SEGMENT or words in it — and in a memo, a recording's notes or a speaker label; bad
words are a notification and change nothing; ctrl+z takes an added name back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_steps import answer, app_on, press
from textual.pilot import Pilot

from qualtool.coding.actions import write_memo
from qualtool.domain import Memo
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.tui.widgets.prompt import Prompt
from qualtool.tui.widgets.text_picker import TextPicker
from qualtool.workspace.study import Workspace

FOUND = "Меня принимала Айгерим Нурлановна в ЦОНе."
MISSED = "Потом асель пришла в ЦОН и всё решила."  # the detector finds nothing here
NOTES = "Контакт: асель через сестру."
MEMO = "Звонила асель, просила перезвонить."


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    rec = add_text_recording(empty_study.db, "idi-t", [("R01", FOUND), ("R01", MISSED)])
    rec_store.update_recording(empty_study.db, rec, notes=NOTES)
    write_memo(empty_study, Memo("recording", "idi-t", MEMO, "anna"))
    empty_study.save_manifest()  # audio/recordings.yml holds the notes
    return empty_study


def _decisions(ws: Workspace) -> str:
    path = ws.study.root / "privacy" / "decisions.yml"
    return path.read_text(encoding="utf-8") if path.exists() else ""


async def _add(pilot: Pilot[Any], find: str, words: str) -> None:
    """g, `find` in the picker, Enter; `words` in the question, Enter."""
    await press(pilot, "g")
    assert isinstance(pilot.app.screen, TextPicker)
    await answer(pilot, find)
    assert isinstance(pilot.app.screen, Prompt), [n.message for n in pilot.app._notifications]
    await answer(pilot, words)


async def test_a_name_is_added_in_a_segment_without_findings(ws: Workspace) -> None:
    async with app_on(ws, "f10") as (app, pilot):
        assert {f.where for f in app.screen.items} == {"idi-t#0"}
        await _add(pilot, "idi-t#1", "Асель")  # by RECORDING#SEGMENT
        added = [(f.where, f.entity.text) for f in app.screen.items if f.status == "add"]
        assert added == [("idi-t#1", "асель")]
        assert app.screen.items[app.screen.query_one("#findings").cursor_row].where == "idi-t#1"
        await press(pilot, "ctrl+z")
        assert [f for f in app.screen.items if f.status == "add"] == []
        await _add(pilot, "всё решила", "асель")  # by words in the segment
        assert [f.where for f in app.screen.items if f.status == "add"] == ["idi-t#1"]
    anonymise(ws, study_vault(ws))
    assert "асель" not in ws.db.execute("SELECT text FROM segments WHERE idx = 1").fetchone()[0]


async def test_a_name_is_added_in_the_notes_and_reaches_the_memo(ws: Workspace) -> None:
    async with app_on(ws, "f10") as (app, pilot):
        await _add(pilot, "через сестру", "асель")
        outside = sorted(f.where for f in app.screen.items if f.segment_id == 0)
        assert outside == ["memos", "notes:idi-t"]  # wherever it stands outside the transcript
        assert "notes:idi-t" in _decisions(ws) and "асель" not in _decisions(ws)
        row = next(n for n, f in enumerate(app.screen.items) if f.segment_id == 0)
        app.screen.query_one("#findings").move_cursor(row=row)
        await press(pilot, "x")  # reject: taken back
        assert [f for f in app.screen.items if f.segment_id == 0] == []
        await press(pilot, "ctrl+z")
        assert len([f for f in app.screen.items if f.segment_id == 0]) == 2
    anonymise(ws, study_vault(ws))
    notes = ws.db.execute("SELECT notes FROM recordings").fetchone()[0]
    memo = ws.db.execute("SELECT text FROM memos").fetchone()[0]
    assert "асель" not in notes + memo and "Имя-" in notes and "Имя-" in memo
    assert "асель" not in (ws.study.root / "audio" / "recordings.yml").read_text(encoding="utf-8")


async def test_words_not_in_the_text_are_a_notification_and_change_nothing(ws: Workspace) -> None:
    async with app_on(ws, "f10") as (app, pilot):
        await _add(pilot, "через сестру", "Бахыт")
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == ["«Бахыт» is not in notes:idi-t"]
        await _add(pilot, "idi-t#1", "Гульнара")
        assert [f for f in app.screen.items if f.status == "add"] == []
        await press(pilot, "g")
        await answer(pilot, "idi-t#9")  # no such text: the picker says so
        assert isinstance(app.screen, TextPicker)
        assert any("no text matches" in n.message for n in app._notifications)
    assert _decisions(ws) == ""
