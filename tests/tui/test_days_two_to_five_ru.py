"""A Russian coder's days two to five in the TUI (session 18), each something a coder who lives in
the TUI for days ran into: the dashboard did not say which recordings were given to them (nor by
whom, nor how far they got), so they could not go on with Enter where they stopped; a suggestion's
«почему» and the scores printed decimals with a point in the Russian interface."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, TURNS
from laptops import git
from pilot_steps import press
from textual.widgets import DataTable, Input, Static

from qualtool.autocode import suggest as autocode
from qualtool.coding import actions
from qualtool.coding.actions import apply_codes
from qualtool.domain import reason as why
from qualtool.files import speaker_map
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.team import assignments
from qualtool.tui import place
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.my_recordings import MyRecordings
from qualtool.tui.widgets.picker import label
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


async def test_the_next_day_starts_where_the_coder_stopped(sample: Workspace) -> None:
    """Day 2: the TUI opened again puts the cursor on yesterday's recording, and its transcript
    opens at yesterday's turn — per coder: a colleague on this laptop starts at their own."""
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "down", "down", "enter")  # idi-02
        await press(pilot, "down", "down", "down", "down")
        assert app.screen.current().idx == 4  # type: ignore[attr-defined]
        await press(pilot, "escape", "q")
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#recordings", DataTable)
        assert table.has_focus and table.get_row_at(table.cursor_row)[0] == "idi-02"
        await press(pilot, "enter")
        assert app.screen.key == "idi-02"  # type: ignore[attr-defined]
        assert app.screen.current().idx == 4  # type: ignore[attr-defined]
        await press(pilot, "escape", "up", "enter")  # idi-01: never opened, its first turn
        assert app.screen.current().idx == 0  # type: ignore[attr-defined]
    app = QualtoolApp(sample, coder="dana", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        assert (app.screen.key, app.screen.current().idx) == ("fg-01", 0)  # type: ignore[attr-defined]


async def test_resuming_an_assigned_recording_stays_in_my_recordings(sample: Workspace) -> None:
    given(sample)
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "down", "enter", "down", "down")  # idi-02 from «Мои записи»
        await press(pilot, "escape", "q")
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        mine = app.screen.query_one(MyRecordings)
        assert mine.has_focus and mine.selected() == "idi-02"
        await press(pilot, "enter")
        assert app.screen.current().idx == 2  # type: ignore[attr-defined]


def test_the_place_keeps_no_recording_key(sample: Workspace) -> None:
    """A key can be a name: the record outside the study holds its hash only."""
    place.remember(sample.study, "aigerim", "интервью-гульнара", 3)
    assert place.turn(sample.study, "aigerim", "интервью-гульнара") == 3
    assert (
        place.last(sample.study, "aigerim", ["idi-01", "интервью-гульнара"]) == "интервью-гульнара"
    )
    raw = (Path(os.environ["QUALTOOL_STATE_DIR"]) / place.FILE).read_bytes()
    assert "гульнара".encode() not in raw and b"idi" not in raw


async def test_a_word_start_found_nowhere_says_what_finds_it(sample: Workspace) -> None:
    """Day 4, search across recordings: «подпис» (a word's start) found «0 сегментов» by lemma
    and by exact text, with no word that `подпис*` or the fuzzy mode finds it."""
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f3", *"подпис", "enter")
        status = str(app.screen.query_one("#status", Static).render())
        assert "часть слова: подпис* (или ctrl+t → нечёткий)" in status, status
        app.screen.query_one("#query", Input).value = "подпис*"
        await press(pilot, "enter")
        assert app.screen.hits  # type: ignore[attr-defined]
        await press(pilot, "enter")
        assert isinstance(app.screen, TranscriptScreen)


def test_the_picker_shows_no_zero_fit(sample: Workspace) -> None:
    """«★0,0» beside half the codes in the picker said nothing; a fit that rounds to 0 is not
    shown, one that does not is, with a decimal comma in Russian."""
    cb = load_codebook(sample.db)
    code = cb.get("ACC.QUEUE")
    set_language("ru")
    assert "★" not in label(cb, code, 0, False, fit=0.04).plain
    assert "★0,1" in label(cb, code, 0, False, fit=0.06).plain


def _toggle(root: Path, times: int) -> None:
    ws = open_workspace(root, sync=True)
    seg = segment_of(ws, "idi-01", 0)
    for _n in range(times):
        autocode.toggle_role(ws.db, ws.study.root, "idi-01", seg.speaker, seg.idx)
    ws.close()


def segment_of(ws: Workspace, key: str, idx: int):  # type: ignore[no-untyped-def]
    rec = ws.db.execute("SELECT id FROM recordings WHERE key = ?", (key,)).fetchone()[0]
    t = tr_store.get_transcript(ws.db, rec)
    assert t is not None
    return t.segments[idx]


async def test_a_pulled_speaker_conflict_says_the_tui_key(
    sample_study: Path, tmp_path: Path
) -> None:
    """Day 4, after a pull: two coders set R01 of idi-01 as interviewer and as respondent; the
    notification told a TUI coder to type `qualtool suggest speakers …`. It now says the key —
    i on a turn of R01 — and i settles it (speakers.yml keeps one line)."""
    for name in (".gitignore", ".gitattributes"):  # the database stays out; union merges
        shutil.copy(REPO / name, sample_study / name)
    git(sample_study, "init", "-q")
    git(sample_study, "add", "-A")
    git(sample_study, "commit", "-qm", "study")
    git(tmp_path, "clone", "-q", "--bare", str(sample_study), "hub.git")
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        git(tmp_path, "clone", "-q", "hub.git", clone.name)
    _toggle(a, 1)  # interviewer
    _toggle(b, 2)  # interviewer, then respondent
    for clone in (a, b):
        git(clone, "add", "-A")
        git(clone, "commit", "-qm", clone.name)
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    set_language("ru")  # as `qualtool` sets it before it opens the study
    ws = open_workspace(a, sync=True)
    try:
        app = QualtoolApp(ws, coder="aigerim", language="ru")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            said = [n.message for n in app._notifications]
            (line,) = [m for m in said if "idi-01" in m]
            assert "qualtool suggest" not in line
            assert "откройте idi-01 (Enter в списке записей) и на реплике R01 нажимайте i" in line
            await press(pilot, "down", "enter", "i")
        assert speaker_map.contested(a) == {}
    finally:
        ws.close()


async def test_the_anonymise_counts_say_what_replaces_them(sample: Workspace) -> None:
    """F10 at 100×30: the one-line status was cut at «…в примерах кодовой книги и», before it
    said that `qualtool anonymise --apply` replaces them."""
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f10")
        status = app.screen.query_one("#status", Static)
        width = status.content_region.width
        text = str(status.render())
        assert len(text) > width  # it needs more than a line here
        assert status.content_region.height * width >= len(text)
        assert "`qualtool anonymise --apply`" in text


async def test_d_marks_my_recording_done_and_open_again(sample: Workspace) -> None:
    """Day 5: a coder who finished a transcript had to leave the TUI for `qualtool done KEY`;
    d in «Мои записи» marks it done (codings/assignments.yml, who gave it kept) and opens it
    again."""
    given(sample)
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        mine = app.screen.query_one(MyRecordings)
        await press(pilot, "down", "d")  # idi-02
        assert "idi-02: готово" in [n.message for n in app._notifications][-1]
        assert mine.items["idi-02"].state == "done"
        assert [str(c) for c in mine.get_row_at(1)][1] == "готово"
        await press(pilot, "d")
        assert mine.items["idi-02"].state in ("assigned", "started")
    (line,) = [a for a in assignments.load(sample) if a.recording == "idi-02"]
    assert (line.done, line.by) == (False, "dana")


async def test_another_coder_given_nothing_keeps_the_keys(sample: Workspace) -> None:
    """ctrl+o to a coder with no assignments hides «Мои записи» and gives the keys back to the
    recordings: Enter opens the one under the cursor, not nothing."""
    given(sample)
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.coder = "boris"
        app.screen.reload()  # type: ignore[attr-defined]
        await pilot.pause()
        assert not app.screen.query_one(MyRecordings).display
        assert app.screen.query_one("#recordings", DataTable).has_focus
        await press(pilot, "enter")
        assert isinstance(app.screen, TranscriptScreen)


async def test_a_broken_assignments_line_is_said_not_a_crash(sample: Workspace) -> None:
    """The dashboard reads codings/assignments.yml now: a hand-edited line it cannot read is said
    (with its line number) and the recordings still open."""
    path = sample.study.root / assignments.FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text("assignments:\n- {recording: idi-01, coder: aigerim}\n", encoding="utf-8")
    app = QualtoolApp(sample, coder="aigerim", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("assignments.yml:2" in m for m in said), said
        await press(pilot, "r")  # a refresh does not say it again
        assert len([n for n in app._notifications if "assignments.yml" in n.message]) == 1
        await press(pilot, "enter")
        assert isinstance(app.screen, TranscriptScreen)
