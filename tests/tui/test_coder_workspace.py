"""Pilot tests for the coder's workspace (#15a): keys that act without Tab and show in the
footer only when they work, visible focus, F-keys as modes, coder switch with validation,
search as you type with rows that fit, the first-run path to a coded quote, the transcription
queue and restart."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from conftest import AUDIO, SCRIPT, FakeEngine
from textual.widgets import DataTable, Input, Static

from qualtool.domain import Coding, Language, Participant, Recording, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import add_coding
from qualtool.transcribe.run import Progress
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens import search as search_screen
from qualtool.tui.screens.transcribing import progress_line
from qualtool.tui.widgets.coder import coder_problem
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Как вы получали услугу?"),
    ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
    ("R01", "Портал завис. Очередь была два часа."),
]


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44")])  # fmt: skip
    return empty_study


def footer_keys(app: QualtoolApp) -> set[str]:
    """The actions the footer offers right now (shown and enabled)."""
    return {b.binding.action for b in app.screen.active_bindings.values()
            if b.binding.show and b.enabled}  # fmt: skip


async def test_coding_keys_act_under_the_cursor_and_show_only_when_they_apply(ws) -> None:  # type: ignore[no-untyped-def]
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "remove_coding" not in footer_keys(app)  # nothing coded on the first segment
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.screen.query_one("#segments").has_focus  # no Tab
        assert {"remove_coding", "recode", "key_quote", "memo"} <= footer_keys(app)
        await pilot.press("d")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
        assert "remove_coding" not in footer_keys(app)
        # the coder file follows at once (empty layer: the file goes)
        assert not (ws.study.root / "codings" / "anna.json").exists()
        await pilot.press("ctrl+z")
        await pilot.pause()
        doc = json.loads((ws.study.root / "codings" / "anna.json").read_text("utf-8"))
        assert "TECH.OUTAGE" in json.dumps(doc, ensure_ascii=False)


async def test_focus_is_visible(ws) -> None:  # type: ignore[no-untyped-def]
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    add_coding(ws.db, Coding(sid, "BUR.EXTRA_DOCS", "anna", 0, 10, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "down")
        await pilot.pause()
        table, side = app.screen.query_one("#segments"), app.screen.query_one("#side-codings")
        focused, unfocused = table.styles.border_top[1], side.styles.border_top[1]
        assert focused != unfocused
        await pilot.press("tab")
        await pilot.pause()
        assert side.has_focus and side.styles.border_top[1] == focused
        assert table.styles.border_top[1] == unfocused


async def test_f_keys_switch_screens_without_stacking(ws) -> None:  # type: ignore[no-untyped-def]
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("f2", "f3", "f2", "f5", "f3", "f7", "f6", "f4"):
            await pilot.press(key)
            await pilot.pause()
            assert len(app.screen_stack) == 1
        assert app.current_mode == "suggestions"
        await pilot.press("f2")
        await pilot.pause()
        codebook = app.screen
        await pilot.press("escape")  # back to the recordings
        await pilot.pause()
        assert app.current_mode == "dashboard"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is codebook  # the same screen, where it was left


def test_coder_names_are_validated() -> None:
    assert coder_problem("anna") is None and coder_problem("coder-2") is None
    for bad in ("", "Anna Maria", "../etc", "a" * 33, "анна", "x/y"):
        assert coder_problem(bad), bad
    assert coder_problem("consensus")


async def test_coder_switch_lists_known_coders_and_refuses_bad_names(ws) -> None:  # type: ignore[no-untyped-def]
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    add_coding(ws.db, Coding(sid, "BUR.EXTRA_DOCS", "boris", 0, 10, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        options = app.screen.query_one("#coder-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert {"anna", "boris", "tester"} <= set(ids)
        await pilot.press(*"../x", "enter")
        await pilot.pause()
        assert app.coder == "anna" and app.screen.__class__.__name__ == "CoderPicker"
        app.screen.query_one(Input).value = "bor"
        await pilot.pause()
        await pilot.press("enter")  # the known coder that matches
        await pilot.pause()
        assert app.coder == "boris"
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"dana", "enter")
        await pilot.pause()
        assert app.coder == "dana" and "dana" in app.sub_title


async def test_search_as_you_type_with_rows_that_fit_80_columns(ws, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_screen, "DEBOUNCE", 0.001)
    long = (
        "Сначала я долго не могла понять, какие документы нужны, потом в ЦОН сказали, что "
        "нужна ещё одна справка с места жительства, и я снова поехала туда через весь город."
    )
    add_text_recording(ws.db, "idi-long", [("R01", long)])
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"справка")  # no Enter: results come while typing
        screen = app.screen
        await settled(pilot, screen, "справка")
        table = screen.query_one(DataTable)
        assert table.row_count == 2 and screen.query_one(Input).has_focus
        width = screen.context_width()
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= table.size.width
        for row in range(table.row_count):
            line = table.get_row_at(row)[2]
            assert line.cell_len <= width and "справк" in line.plain.lower()
        await pilot.press("backspace", *"ч")  # the query follows every keystroke
        await settled(pilot, screen, "справкч")
        assert table.row_count == 0


async def settled(pilot, screen, query: str) -> None:  # type: ignore[no-untyped-def]
    """Until the debounced query for `query` has run (each pause lets the timer fire)."""
    for _ in range(200):
        if screen.last_query == query and screen._pending is None:
            return
        await pilot.pause()
    raise AssertionError(f"the search for {query!r} never ran")


def test_kwic_line_centres_the_match_within_the_width() -> None:
    from qualtool.search.query import Hit

    text = "а " * 50 + "справка" + " б" * 50
    s = text.index("справка")
    hit = Hit(1, "idi", 0, 0.0, "R", text, ((s, s + 7),), "idi", None, None)
    for width in (20, 41, 58, 100):
        line = search_screen.kwic_line(hit, width)
        assert line.cell_len <= width and "справка" in line.plain
    assert search_screen.kwic_line(hit, 41).plain.index("справка") in range(15, 20)


async def test_first_run_hint_leads_to_a_first_coded_quote(ws) -> None:  # type: ignore[no-untyped-def]
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))  # a study others coded
    app = QualtoolApp(ws, coder="newcomer")
    async with app.run_test(size=(80, 24)) as pilot:
        hint = app.screen.query_one("#hint", Static)
        assert hint.display and "Enter" in str(hint.render())
        # exactly the keys the hint names: Enter, c, shift+arrows, Enter, a code, Enter
        await pilot.press("enter", "down", "c")
        for _ in range(6):
            await pilot.press("shift+right")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"документ", "enter")
        await pilot.pause()
        quote = ws.db.execute("SELECT quote FROM codings WHERE coder_id='newcomer'").fetchone()
        assert quote is not None, [n.message for n in app._notifications]
        assert quote[0].startswith("Мне")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#hint", Static).display  # done: the hint goes
    async with QualtoolApp(ws, coder="anna").run_test(size=(80, 24)) as pilot:
        assert not pilot.app.screen.query_one("#hint", Static).display  # and stays gone


def test_progress_line_shows_position_speed_and_time_left() -> None:
    line = progress_line("idi-02", Progress(133.0, 605.0, 10, 50.0, 33.0), queued=2)
    assert line.startswith("idi-02: 00:02:13 / 00:10:05 · 22%")
    assert "2.0× real time" in line and "left" in line and "2 queued" in line


class Gate(FakeEngine):
    def __init__(self) -> None:
        super().__init__(SCRIPT)
        self.started = threading.Event()
        self.gate = threading.Event()

    def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
        self.started.set()
        self.gate.wait(10)
        yield from super().segments(audio, language, options)


async def test_queue_transcribes_several_recordings_in_turn_and_restart(empty_study) -> None:  # type: ignore[no-untyped-def]
    for name in ("idi-02.flac", "fg-01.ogg"):
        import_file(empty_study.study, empty_study.db, AUDIO / name,
                    Recording(language=Language.RU))  # fmt: skip
    engine = Gate()
    app = QualtoolApp(empty_study, coder="anna", engine_factory=lambda study: engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")  # every recording without a transcript
        await asyncio.get_running_loop().run_in_executor(None, engine.started.wait, 10)
        screen = app.screen
        assert screen.running is not None and len(screen.queue) == 1
        assert "queued" in [str(c) for c in screen.query_one(DataTable).get_row_at(1)]
        engine.gate.set()
        while screen.running or screen.queue:
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert [len(tr_store.get_transcript(empty_study.db, i).segments) for i in (1, 2)] == [5, 5]
        assert len(engine.calls) == 2
        # restart asks first; "n" changes nothing
        await pilot.press("R", "n")
        await pilot.pause()
        assert screen.running is None and len(engine.calls) == 2
        await pilot.press("R", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(engine.calls) == 3 and engine.calls[-1] == 0.0  # from the start
