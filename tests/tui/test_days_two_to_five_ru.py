"""A Russian coder's days two to five in the TUI (session 18), each something a coder who lives in
the TUI for days ran into: the dashboard did not say which recordings were given to them (nor by
whom, nor how far they got), so they could not go on with Enter where they stopped; a suggestion's
«почему» and the scores printed decimals with a point in the Russian interface."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TURNS
from pilot_steps import press
from textual.widgets import DataTable

from qualtool.coding import actions
from qualtool.coding.actions import apply_codes
from qualtool.domain import reason as why
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.team import assignments
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.my_recordings import MyRecordings
from qualtool.workspace.study import Workspace, open_workspace

SIZE = (100, 30)


@pytest.fixture
def sample(sample_study: Path) -> Workspace:
    ws = open_workspace(sample_study, sync=True)
    yield ws
    ws.close()


def given(ws: Workspace) -> None:
    """idi-02 given to aigerim by dana and half coded; ms-01 given and finished; idi-01 not
    started; fg-01 given to dana only."""
    assignments.assign(ws, "idi-01", "aigerim", by="dana")
    assignments.assign(ws, "idi-02", "aigerim", by="dana")
    assignments.assign(ws, "ms-01", "aigerim", by="aigerim")
    assignments.assign(ws, "ms-01", "aigerim", done=True)
    assignments.assign(ws, "fg-01", "dana", by="dana")


def rows(table: DataTable[str]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_my_recordings_say_what_is_given_and_how_far(sample: Workspace) -> None:
    given(sample)
    counts = {a.recording: (a.coded, a.turns) for a in assignments.mine(sample, "aigerim")}
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        mine = app.screen.query_one(MyRecordings)
        assert mine.display and mine.has_focus  # the coder's own, under the keys at once
        assert mine.border_title == "Мои записи"
        states = {r[0]: r[1:] for r in rows(mine)}
        assert set(states) == {"idi-01", "idi-02", "ms-01"}  # not dana's fg-01
        coded, turns = counts["idi-02"]
        assert states["ms-01"][0] == "готово" and states["ms-01"][2] == "—"  # took it herself
        assert states["idi-02"][1:] == [f"{coded} / {turns}", "dana"]
        assert states["idi-02"][0] == ("начата" if coded else "назначена")
        await press(pilot, "down")
        await press(pilot, "enter")  # Enter on idi-02 opens it
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.key == "idi-02"


async def test_a_coded_turn_moves_the_count(sample: Workspace) -> None:
    assignments.assign(sample, "idi-01", "boris", by="dana")
    (before,) = assignments.mine(sample, "boris")
    assert before.state == "assigned"
    rec = sample.db.execute("SELECT id FROM recordings WHERE key = 'idi-01'").fetchone()[0]
    seg = sample.db.execute(
        "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE t.recording_id = ? AND s.id NOT IN (SELECT segment_id FROM codings "
        "WHERE coder_id = 'boris') ORDER BY s.idx LIMIT 1", (rec,)).fetchone()[0]  # fmt: skip
    code = sample.db.execute("SELECT id FROM codes LIMIT 1").fetchone()[0]
    actions.apply_codes(sample, seg, (0, 10_000), [code], "boris")
    (after,) = assignments.mine(sample, "boris")
    assert (after.coded, after.turns, after.state) == (before.coded + 1, before.turns, "started")


async def test_no_assignments_no_panel(sample: Workspace) -> None:
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(MyRecordings).display
        assert app.screen.query_one("#recordings", DataTable).has_focus


def test_my_recordings_snapshot(sample: Workspace, snap_compare) -> None:  # type: ignore[no-untyped-def]
    given(sample)
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    assert snap_compare(app, terminal_size=SIZE)


async def test_why_and_agreement_write_a_decimal_comma(empty_study: Workspace) -> None:
    """A suggestion's «почему» on the queue, the agreement table's % and κ: «0,42», not «0.42»."""
    add_text_recording(empty_study.db, "idi-x", TURNS)
    sid = empty_study.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    stored = why.encode([[why.piece(why.LEXICAL, score=1.5),
                          why.piece(why.MEANING, example=0.42, definition=0.4)]])  # fmt: skip
    sug_store.propose(empty_study.db, [{"segment_id": sid, "code_id": "TECH.OUTAGE", "start": 0,
                                        "end": 12, "quote": "Портал завис", "score": 0.4,
                                        "reason": stored}])  # fmt: skip
    apply_codes(empty_study, sid, (0, 12), ["TECH.OUTAGE"], "anna")
    apply_codes(empty_study, sid, (0, 12), ["TECH.OUTAGE"], "boris")
    first = empty_study.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    apply_codes(empty_study, first, (0, 10), ["TECH.OUTAGE"], "anna")
    apply_codes(empty_study, first, (0, 10), ["TECH.AUTH"], "boris")  # κ 0.40 on TECH.OUTAGE
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f4")
        table = app.screen.query_one(DataTable)
        cell = table.get_row_at(0)[3].plain
        assert "совпадение слов 1,5 · смысл: пример 0,42, определение 0,40" in cell, cell
        await press(pilot, "f5")
        scores = app.screen.query_one("#scores", DataTable)
        rows = {
            str(r[0]): [str(c) for c in r] for r in map(scores.get_row_at, range(scores.row_count))
        }
        row = rows["TECH.OUTAGE"]
        assert (row[2], row[3]) == ("66,7", "0,40"), row
        assert not any("." in c for c in row[1:]), row
