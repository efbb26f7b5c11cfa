"""A Russian coder's first days in the TUI (session 17), each a key a coder presses that did the
wrong thing or nothing without a word: Enter in an untouched line editor rewrote the segment
(its word timings dropped, an undo step, git dirty); t / R / space on an interview imported as
text tried to decode `text:<key>` as audio; t on a finished transcript loaded the model to say
«transcribed» again; ctrl+z on the agreement screen undid nothing; F1 in a picker, a question or
a form did nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import TURNS
from pilot_steps import press
from rich.console import Console
from textual.widgets import DataTable, Input, ProgressBar, Static, TextArea

from qualtool.coding import history
from qualtool.domain.errors import QualtoolError
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import transcripts as tr_store
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.help import HelpScreen
from qualtool.tui.widgets.labels import LabelsForm
from qualtool.tui.widgets.picker import CodePicker
from qualtool.tui.widgets.prompt import Prompt
from qualtool.workspace.study import Workspace, open_workspace


def said(app: QualtoolApp) -> list[str]:
    return [n.message for n in app._notifications]


def segment(ws: Workspace, key: str, idx: int):  # type: ignore[no-untyped-def]
    rec_id = ws.db.execute("SELECT id FROM recordings WHERE key = ?", (key,)).fetchone()[0]
    t = tr_store.get_transcript(ws.db, rec_id)
    assert t is not None
    return t.segments[idx]


@pytest.fixture
def sample(sample_study: Path) -> Workspace:
    ws = open_workspace(sample_study, sync=True)
    yield ws
    ws.close()


async def test_enter_in_an_untouched_editor_changes_nothing(sample: Workspace) -> None:
    before = segment(sample, "idi-02", 1)
    assert before.words  # Whisper's word timings: what a rewrite used to drop
    files = {p: p.read_bytes() for p in (sample.study.root / "transcripts").glob("idi-02.*")}
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "down", "down", "enter", "down")  # idi-02, its second turn
        await press(pilot, "e")
        await press(pilot, "enter")
        assert "текст не изменён" in said(app)
        await press(pilot, "s")
        await press(pilot, "enter")
        assert "говорящий не изменён" in said(app)
        assert not any("сохран" in m for m in said(app))
    after = segment(sample, "idi-02", 1)
    assert (after.text, after.words, after.flags) == (before.text, before.words, before.flags)
    assert {p: p.read_bytes() for p in files} == files  # git status stays clean
    with pytest.raises(QualtoolError):
        history.undo(sample)  # no undo step was recorded


async def test_a_saved_edit_says_so(empty_study: Workspace) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "down", "down", "e")
        app.screen.query_one("#editor", Input).value = "Портал завис. Очередь была три часа."
        await press(pilot, "enter")
        assert "текст сохранён (ctrl+z — отменить)" in said(app)
    assert segment(empty_study, "idi-x", 2).text == "Портал завис. Очередь была три часа."


async def test_an_interview_imported_as_text_is_not_transcribed(empty_study: Workspace) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)

    def no_engine(study):  # type: ignore[no-untyped-def]
        raise AssertionError("the model must not load for a recording without audio")

    app = QualtoolApp(empty_study, coder="anna", engine_factory=no_engine, language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("t", "R"):
            await press(pilot, key)
            assert type(app.screen).__name__ == "DashboardScreen"  # R asked nothing
            assert not app.workers
        assert said(app) == ["у idi-x нет аудио (транскрипт импортирован как текст): "
                             "расшифровывать нечего"] * 2  # fmt: skip
        await press(pilot, "enter", "space")
        assert said(app)[-1] == "у idi-x нет аудио: транскрипт импортирован как текст"
    assert len(segment(empty_study, "idi-x", 0).text) > 0


async def test_t_on_a_finished_transcript_says_it_is_there(sample: Workspace) -> None:
    def no_engine(study):  # type: ignore[no-untyped-def]
        raise AssertionError("nothing to transcribe: the model must not load")

    app = QualtoolApp(sample, coder="aigerim", engine_factory=no_engine, language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "t")
        assert not app.workers
        assert said(app)[-1] == "у fg-01 уже есть транскрипт (R — расшифровать заново)"


async def test_ctrl_z_on_the_agreement_screen_undoes_a_ruling(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "f5", "tab")
        (open_one,) = app.screen.items
        await press(pilot, "y")
        assert app.screen.items == []
        await press(pilot, "y")  # nothing open: a word, not silence
        assert said(app)[-1] == "нет открытых расхождений"
        await press(pilot, "ctrl+z")
        assert said(app)[-1].startswith("отменено: ")
        assert [(x.segment_id, x.code_id) for x in app.screen.items] == [
            (open_one.segment_id, open_one.code_id)
        ]
        await press(pilot, "ctrl+y")
        assert app.screen.items == []


def _table_text(app: QualtoolApp) -> str:
    """The help page's table as plain text, all rows."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#help", Static).content)
    return console.export_text()


async def test_f1_in_a_window_on_top_shows_its_keys(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "f2", "down", "n")  # a code's labels form
        assert isinstance(app.screen, LabelsForm)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        text = _table_text(app)
        assert "Клавиши: это окно" in text and "Отмена" in text and "Cancel" not in text
        assert "Выход" not in text and "Кодировщик" not in text  # q, ctrl+o do not reach it
        assert "Кодовая книга" in text  # the F-keys do (app.on_key)
        await press(pilot, "escape")
        assert isinstance(app.screen, LabelsForm)  # help closed, the form kept
        await press(pilot, "escape", "m")  # move: the code picker
        assert isinstance(app.screen, CodePicker)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and "Отметить несколько" in _table_text(app)
        await press(pilot, "f1", "escape", "a")  # F1 closes the help too; a: the id prompt
        assert isinstance(app.screen, Prompt)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)


async def test_a_codebook_edit_says_what_changed_only(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "f2", "down", "down", "a")
        app.screen.query_one(Input).value = "BUR.DELAY.NEW"
        await press(pilot, "enter")
        app.screen.query_one(Input).value = "Новый барьер"
        await press(pilot, "enter")
        assert said(app)[-1] == "добавлен BUR.DELAY.NEW · добавлено: 1"  # no «изменено: 0, …»
        await press(pilot, "ctrl+z")
        assert said(app)[-1].startswith("отменено: ")


async def test_the_suggestion_queue_idle_and_empty(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "f4")
        bar = app.screen.query_one(ProgressBar)
        assert not bar.display  # idle: no «0% --:--:--» as if something were stuck
        for key in ("A", "enter"):
            await press(pilot, key)
            assert said(app)[-1] == "очередь пуста: нажмите r, чтобы найти предложения"
            app.clear_notifications()
        await press(pilot, "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not bar.display and said(app)[-1].startswith("новых или обновлённых")


async def test_undoing_a_recode_is_said_in_russian(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "down", "enter", "r")  # idi-01, its first turn, the coding there
        app.screen.query_one(Input).value = "TIME.BREACH"
        await press(pilot, "enter")
        await press(pilot, "ctrl+z")
        undone = said(app)[-1]
        assert undone.startswith("отменено: замена кода ") and "→ TIME.BREACH" in undone, undone


async def test_the_quotes_table_cuts_with_an_ellipsis(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "f8")
        app.screen.query_one(Input).value = "BUR"
        await press(pilot, "enter")
        table = app.screen.query_one(DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert headers[2] == "кодировщ…"  # not «кодировщи», read as a typo
        assert str(table.get_row_at(0)[1]) == "R01 f 35-…"  # R01, f, 35-44: cut, and says so


async def test_a_memo_right_after_coding_goes_on_the_new_coding(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "down", "enter", "down", "c", "ctrl+a", "enter")  # idi-01#1
        app.screen.query_one(Input).value = "TIME.BREACH"
        await press(pilot, "enter", "M")  # the turn already carries BUR.RESUBMIT, listed first
        app.screen.query_one(TextArea).text = "длинный срок"
        await press(pilot, "ctrl+s")
        assert said(app)[-1] == "заметка к TIME.BREACH сохранена"
    memos = dict(sample.db.execute(
        "SELECT c.code_id, c.memo FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_id = 'aigerim' AND s.idx = 1 AND c.segment_id IN (SELECT s2.id FROM "
        "segments s2 JOIN transcripts t ON t.id = s2.transcript_id JOIN recordings r ON "
        "r.id = t.recording_id WHERE r.key = 'idi-01')").fetchall())  # fmt: skip
    assert memos == {"BUR.RESUBMIT": None, "TIME.BREACH": "длинный срок"}
    layer = (sample.study.root / "codings" / "aigerim.json").read_text(encoding="utf-8")
    assert '"code": "TIME.BREACH", "quote": "Каждый год' in layer and "длинный срок" in layer
