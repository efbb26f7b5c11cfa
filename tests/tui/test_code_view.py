"""Pilot: the code view lists every quote of a code (and its branch) with where, who and by
whom; filters; pin, recode, uncode and undo from it; opens the segment. The transcript shows
coding stripes in its margin; merging two speakers asks first."""

from __future__ import annotations

import pytest
from conftest import TURNS, open_transcript
from textual.widgets import DataTable, Input

from qualtool.coding import apply_codes
from qualtool.domain import Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44")])  # fmt: skip
    add_text_recording(empty_study.db, "idi-y", TURNS, service="Пенсия", region="СКО")
    db = empty_study.db
    x1, x2 = [r[0] for r in db.execute(
        "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id JOIN recordings "
        "r ON r.id = t.recording_id WHERE r.key = 'idi-x' AND s.idx IN (1, 2) ORDER BY s.idx")]  # fmt: skip
    y1 = db.execute("SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
                    "JOIN recordings r ON r.id = t.recording_id WHERE r.key = 'idi-y' "
                    "AND s.idx = 1").fetchone()[0]  # fmt: skip
    apply_codes(empty_study, x1, (0, 38), ["BUR.REPEAT_VISIT"], "anna", "три раза!")
    apply_codes(empty_study, x2, (0, 13), ["TECH.OUTAGE"], "anna")
    apply_codes(empty_study, y1, (40, 70), ["BUR.EXTRA_DOCS"], "boris")
    return empty_study


def quotes(app: QualtoolApp) -> list[str]:
    table = app.screen.query_one("#quotes", DataTable)
    return [str(table.get_row_at(i)[3]) for i in range(table.row_count)]


async def test_code_view_branch_filters_and_actions(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodePicker"  # choose a code first
        app.screen.query_one(Input).value = "BUR"
        await pilot.pause()
        assert app.screen.current() == "BUR"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodeViewScreen"
        rows = quotes(app)
        assert len(rows) == 2 and any("BUR.REPEAT_VISIT" in r for r in rows)  # the branch
        details = str(app.screen.query_one("#cv-details").render())
        assert "idi-x" in details and "R01" in details and "35-44" in details
        assert "три раза!" in details and "anna" in details  # memo and coder
        await pilot.press("b")  # BUR itself only: nobody coded the parent
        await pilot.pause()
        assert quotes(app) == []
        await pilot.press("b", "f")
        await pilot.pause()
        app.screen.query_one(Input).value = "region=ско coder=boris"
        await pilot.press("enter")
        await pilot.pause()
        assert len(quotes(app)) == 1 and "каждый раз" in quotes(app)[0]
        await pilot.press("k")  # boris's coding: not anna's to change
        await pilot.pause()
        assert any("belongs to boris" in n.message for n in app._notifications)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = "colour=red"
        await pilot.press("enter")
        await pilot.pause()
        assert any("filters look like" in n.message for n in app._notifications)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert len(quotes(app)) == 2
        table = app.screen.query_one("#quotes", DataTable)
        table.move_cursor(row=0)  # anna's, idi-x
        await pilot.press("k")
        await pilot.pause()
        assert ws.db.execute("SELECT key_quote FROM codings WHERE code_id = 'BUR.REPEAT_VISIT'"
                             ).fetchone()[0] == 1  # fmt: skip
        assert "★" in quotes(app)[0]
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "BUR.EXTRA_DOCS"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM codings WHERE code_id = 'BUR.REPEAT_VISIT'"
                             ).fetchone()[0] == 0  # fmt: skip
        await pilot.press("d")
        await pilot.pause()
        assert len(quotes(app)) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(quotes(app)) == 2
        await pilot.press("enter")  # open the segment
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TranscriptScreen"
        assert app.screen.current().idx == 1


async def test_enter_in_the_codebook_opens_the_code_view(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        node = next(n for n in tree._tree_lines if n.node.data == "TECH.OUTAGE").node  # type: ignore[attr-defined]
        tree.move_cursor(node)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodeViewScreen"
        assert app.screen.code_id == "TECH.OUTAGE" and quotes(app) == ["«Портал завис.»"]


async def test_transcript_margin_stripes_and_merge_asks(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot)
        table = app.screen.query_one("#segments", DataTable)
        stripe = table.get_row_at(1)[3]
        assert (
            "▌" in str(stripe)
            and str(stripe).count("▌")
            == table.rows[table.coordinate_to_cell_key((1, 0)).row_key].height
        )  # type: ignore[attr-defined]
        assert str(table.get_row_at(0)[3]) == ""  # the interviewer's question: no codes
        await pilot.press("up")
        await pilot.press("m")  # I + R01: different speakers
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM segments s JOIN transcripts t ON t.id = "
                             "s.transcript_id WHERE t.recording_id = 1").fetchone()[0] == 3  # fmt: skip
        await pilot.press("m", "y")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM segments s JOIN transcripts t ON t.id = "
                             "s.transcript_id WHERE t.recording_id = 1").fetchone()[0] == 2  # fmt: skip
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM segments s JOIN transcripts t ON t.id = "
                             "s.transcript_id WHERE t.recording_id = 1").fetchone()[0] == 3  # fmt: skip


async def test_coder_names_are_shown_whole(ws: Workspace) -> None:
    """The «by» column was 6 wide: «consensus» read «consen», «aigerim» «aigeri»."""
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2 LIMIT 1").fetchone()[0]
    apply_codes(ws, sid, (0, 13), ["TECH.OUTAGE"], "consensus")
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        app.screen.query_one(Input).value = "TECH.OUTAGE"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#quotes", DataTable)
        shown = [table.render_line(i + 1).text for i in range(table.row_count)]
        assert any(" consensus " in line for line in shown), shown


async def test_f8_on_a_coding_shows_the_quotes_of_its_code(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, row=2)  # idi-x, the turn coded TECH.OUTAGE
        await pilot.press("f8")
        await pilot.pause()
        assert (
            app.screen.__class__.__name__ == "CodeViewScreen"
            and app.screen.code_id == "TECH.OUTAGE"
        )
        assert len(quotes(app)) == 1
        await pilot.press("escape")  # back to the recordings, then the transcript again
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#segments", DataTable).move_cursor(row=1)
        await pilot.pause()
        await pilot.press("f8")  # the quotes screen keeps its place but follows the new coding
        await pilot.pause()
        assert app.screen.code_id == "BUR.REPEAT_VISIT"
