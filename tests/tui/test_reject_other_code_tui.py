"""Pilot: `o` on a suggestion rejects it as «another code»: the coder picks the code in the
picker, the words are coded with it, and one ctrl+z takes both back. `x` could only reject,
never say which code fits instead."""

from __future__ import annotations

from conftest import TURNS
from textual.widgets import Input

from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codings import codings_for_segment
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_o_picks_the_other_code_codes_it_and_undoes_as_one(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-x", TURNS)
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    sug_store.propose(ws.db, [{"segment_id": sid, "code_id": "TECH.AUTH", "start": 0, "end": 12,
                               "quote": "Портал завис", "score": 0.4, "reason": "words: x"}])  # fmt: skip
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodePicker"
        app.screen.query_one(Input).value = "TECH.OUTAGE"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SuggestionsScreen"
        coded = codings_for_segment(ws.db, sid, "anna")
        assert [(c.code_id, c.quote, c.memo) for c in coded] == [
            ("TECH.OUTAGE", "Портал завис", "вместо предложенного TECH.AUTH")]  # fmt: skip
        assert [s.code_id for s in sug_store.queue(ws.db, sug_store.REJECTED)] == ["TECH.AUTH"]
        assert any("TECH.OUTAGE" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert codings_for_segment(ws.db, sid, "anna") == []
        assert [s.code_id for s in sug_store.queue(ws.db)] == ["TECH.AUTH"]
