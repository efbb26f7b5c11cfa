"""Pilot: editing a suggestion's span (`e`) and changing one's mind (Esc) puts the queue's
status line back; the «adjust the selection, Enter accepts, Esc cancels» hint used to stay."""

from __future__ import annotations

import html
import io
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TURNS
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from qualtool.autocode import suggest as autocode
from qualtool.coding.editing import edit_segment_text
from qualtool.domain import reason as why
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.transcript_coding import Selector
from qualtool.workspace.study import Workspace, open_workspace


def _one_suggestion(ws: Workspace) -> None:
    """An interview whose third turn has one suggestion waiting: TECH.OUTAGE on «Портал завис»."""
    add_text_recording(ws.db, "idi-x", TURNS)
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    sug_store.propose(ws.db, [{"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0, "end": 12,
                               "quote": "Портал завис", "score": 0.4, "reason": "words: завис"}])  # fmt: skip


async def test_escape_from_the_span_editor_restores_the_status(empty_study: Workspace) -> None:
    _one_suggestion(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        status = app.screen.query_one("#status", Static)
        before = str(status.render())
        assert "на проверку: 1" in before, before
        await pilot.press("e")
        await pilot.pause()
        assert str(status.render()) != before
        await pilot.press("escape")
        await pilot.pause()
        assert str(status.render()) == before
        assert type(app.screen).__name__ == "SuggestionsScreen"


async def test_reasons_are_shown_in_the_viewers_language(empty_study: Workspace) -> None:
    """Stored without a language (`domain.reason`): the queue reads it in Russian; a reason
    stored as text before is shown as it is."""
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    stored = why.encode([[why.piece(why.WORDS, words="завис")],
                         [why.piece(why.LEXICAL, score=1.0), why.piece(why.NO_VECTOR)]])  # fmt: skip
    sug_store.propose(empty_study.db, [
        {"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0, "end": 12,
         "quote": "Портал завис", "score": 0.4, "reason": stored},
        {"segment_id": sid, "code_id": "TECH.AUTH", "start": 0, "end": 6, "quote": "Портал",
         "score": 0.2, "reason": "words: портал"},
    ])  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [table.get_row_at(i)[3].plain for i in range(table.row_count)]
        assert any(
            "почему: слова: завис; совпадение слов 1,0 · только по словам" in c for c in cells
        ), cells
        assert any("почему: words: портал" in c for c in cells), cells


async def test_the_span_editor_opens_on_the_suggested_words_after_an_edit(
    empty_study: Workspace,
) -> None:
    """A segment edited after the run: the queue's `e` selected the suggestion's old offsets
    (the words before the suggested ones); it opens on the suggested words, where they are now."""
    _one_suggestion(empty_study)
    seg = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    edit_segment_text(empty_study, seg, "Сначала ждал, потом Портал завис. Очередь была два часа.")
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen.query_one(Selector)
        assert editor.selected_text == "Портал завис"
        await pilot.press("enter")
        await pilot.pause()
    quote = empty_study.db.execute("SELECT quote FROM codings").fetchone()[0]
    assert quote == "Портал завис"


def screen_text(app: QualtoolApp) -> str:
    """What the terminal shows, as plain text (the screenshot's text runs joined)."""
    svg = app.export_screenshot()
    runs = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(re.sub("<[^>]+>", "", r) for r in runs)).replace("\xa0", " ")


def help_of(app: QualtoolApp) -> str:
    """The help page's table as text, all rows (the modal may scroll at 24 lines)."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#help", Static).content)
    return console.export_text()


async def test_reasons_wrap_at_80_columns_and_help_shows_keys_as_the_footer(
    empty_study: Workspace,
) -> None:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    stored = why.encode([
        [why.piece(why.WORDS, words="портал, зависать, выбрасывать, система")],
        [why.piece(why.LIKE_CODED, text="сайт не открывался три дня подряд, потом выкинуло",
                   similarity=0.61)],
        [why.piece(why.LEXICAL, score=1.0), why.piece(why.CRITERIA, words="последнеесловопричины")],
    ])  # fmt: skip
    sug_store.propose(empty_study.db, [{"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0,
                                        "end": 12, "quote": "Портал завис", "score": 0.4,
                                        "reason": stored}])  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "последнеесловопричины" in screen_text(app)  # the end of the reason is on screen
        await pilot.press("f1")
        await pilot.pause()
        help_text = help_of(app)
        assert "^z" in help_text and "Отменить" in help_text and "f1 / ?" in help_text
        for raw in ("ctrl+", "escape", "question_mark", "enter"):
            assert raw not in help_text, raw
        await pilot.press("escape", "e")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_text = help_of(app)
        assert "shift+←→↑↓" in help_text and "выделить слова" in help_text
        assert "^a" in help_text and "Все слова" in help_text and "shift+down" not in help_text
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Keys" not in commands and "Клавиши" in commands and "Тема" in commands


async def test_a_long_code_breaks_at_its_dot_not_inside_a_word(empty_study: Workspace) -> None:
    """«CORR.INFORMAL_PAYMENT» is wider than the code column: it used to be cut into
    «CORR.INFORMAL_PAYM» and «ENT»; it now wraps after the dot, each part whole."""
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    sug_store.propose(empty_study.db, [
        {"segment_id": sid, "code_id": code, "start": 0, "end": 12, "quote": "Портал завис",
         "score": 0.4, "reason": "words: завис"}
        for code in ("CORR.INFORMAL_PAYMENT", "REG.CONFIDENTIALITY", "TECH.OUTAGE")
    ])  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        shown = screen_text(app)
        for part in ("CORR.", "INFORMAL_PAYMENT", "REG.", "CONFIDENTIALITY", "TECH.OUTAGE"):
            assert part in shown, part


async def test_the_status_line_is_read_whole_at_80_columns(empty_study: Workspace) -> None:
    """«на проверку: 0 · принято: 0 · отклонено: 0 — r ищет предложения по всему
    исследованию» is wider than 80 columns: its last word was cut off; it now wraps."""
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        shown = screen_text(app)
        assert "на проверку: 0" in shown and "исследованию" in shown, shown


async def test_a_rejection_names_its_code(empty_study: Workspace) -> None:
    """`a` said which code it coded, `x` only «отклонено»: a coder going fast could not tell
    which suggestion of a turn they had just refused."""
    _one_suggestion(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        said = _said(app)
        assert "отклонено: TECH.OUTAGE" in said, said
        assert sug_store.queue(empty_study.db, "rejected")[0].code_id == "TECH.OUTAGE"


async def test_keys_on_an_empty_queue_say_it_is_empty(empty_study: Workspace) -> None:
    """`a`, `x` and `e` on an empty queue did nothing at all (the footer hides them then, which
    stays): each now says the queue is empty and how to fill it."""
    _one_suggestion(empty_study)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("x")  # the one suggestion refused: the queue is now empty
        await pilot.pause()
        footer = {b.binding.description for b in app.screen.active_bindings.values()
                  if b.binding.show}  # fmt: skip
        assert "Принять" not in footer and "Отклонить" not in footer, footer
        for key in ("a", "x", "e"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            said = _said(app)
            assert said == ["очередь пуста: нажмите r, чтобы найти предложения"], (key, said)
        assert not sug_store.queue(empty_study.db)
        assert len(sug_store.queue(empty_study.db, "rejected")) == 1


async def test_run_without_a_codebook_says_where_to_put_one(tmp_path: Path) -> None:
    """`r` on a study without a codebook showed numpy's «zero-size array to reduction operation
    maximum which has no identity», in English, and the status stayed «looking for passages…»."""
    study = init_study(tmp_path / "nocb", name="Без книги", year=2025, coder="anna")
    ws = open_workspace(study.root, sync=True)
    add_text_recording(ws.db, "idi-x", TURNS)
    app = QualtoolApp(ws, coder="anna", language="ru")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("ещё нет кодовой книги: положите её в codebooks/barriers.yml" in m
                       for m in messages), messages  # fmt: skip
            assert not any("zero-size" in m for m in messages), messages
            status = str(app.screen.query_one("#status", Static).render())
            assert "поиск фрагментов" not in status, status
    finally:
        ws.close()


async def test_shift_a_accepts_all_from_the_threshold_and_ctrl_z_takes_them_back(
    empty_study: Workspace,
) -> None:
    """Bulk accept (`suggest accept-all`, 30 %) had no key in the queue: A asks, with how many
    and from what score, codes those at or above it (not the 20 % one) in one undoable step."""
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    sug_store.propose(empty_study.db, [
        {"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0, "end": 12,
         "quote": "Портал завис", "score": 0.4, "reason": "words: завис"},
        {"segment_id": sid, "code_id": "ACC.QUEUE", "start": 14, "end": 36,
         "quote": "Очередь была два часа", "score": 0.2, "reason": "words: очередь"},
    ])  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        share = f"{autocode.DEFAULT_ACCEPT:.0%}"  # the bulk-accept threshold, 0.2 below it
        assert f"Закодировать без просмотра 1 ожидающее предложение с оценкой от {share}?" in str(
            app.screen.query_one(Label).render()
        )
        await pilot.press("y")
        await pilot.pause()
        assert [s.code_id for s in sug_store.queue(empty_study.db)] == ["ACC.QUEUE"]
        accepted = sug_store.queue(empty_study.db, status=sug_store.ACCEPTED)
        assert [s.code_id for s in accepted] == ["TECH.OUTAGE"]
        await pilot.press("A")  # nothing left from 30 %: said, nothing asked
        await pilot.pause()
        assert type(app.screen).__name__ == "SuggestionsScreen"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(sug_store.queue(empty_study.db)) == 2
        assert empty_study.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0


async def test_esc_during_a_run_says_it_was_cancelled(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc while auto-coding ran stopped it and left the screen without a word: the coder could
    not tell a cancelled run from a finished one with nothing found."""
    _one_suggestion(empty_study)
    started = threading.Event()

    def slow(*args: object, should_stop: Callable[[], bool], **kwargs: object) -> int:
        started.set()
        while not should_stop():  # a long run, stopped only by the cancel
            time.sleep(0.01)
        return 0

    monkeypatch.setattr(autocode, "suggest", slow)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await _start_run(pilot)
        assert started.wait(5)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = _said(app)
        assert "автокодирование отменено: найденное до этого — в очереди" in said, said


async def test_an_unexpected_error_is_framed_in_the_coders_language(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise ValueError("operands could not be broadcast together")

    monkeypatch.setattr(autocode, "suggest", broken)
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await _start_run(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = _said(app)
        assert ("автокодирование остановлено непредвиденной ошибкой: operands could not be "
                "broadcast together") in said, said  # fmt: skip


async def _start_run(pilot: Pilot[None]) -> None:
    """The queue (F4), and `r`: auto-coding starts in its worker."""
    await pilot.press("f4")
    await pilot.pause()
    await pilot.press("r")


def _said(app: QualtoolApp) -> list[str]:
    return [str(n.message) for n in app._notifications]
