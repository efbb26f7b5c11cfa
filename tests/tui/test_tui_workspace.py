"""Pilot tests for the coding workspace: a coder selects words, codes them, edits, splits,
merges and undoes; the codebook, search, suggestions, agreement, export and import screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AUDIO, TURNS, open_transcript
from textual.widgets import DataTable, Input, TextArea

from qualtool.domain import Coding, Participant, Role
from qualtool.files.codebook import load_codebook as load_file
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace, open_workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44")])  # fmt: skip
    return empty_study


def codings(ws: Workspace) -> list[tuple[str, str, str]]:
    return [(r[0], r[1], r[2]) for r in ws.db.execute(
        "SELECT code_id, coder_id, quote FROM codings ORDER BY id")]  # fmt: skip


async def test_select_words_and_code_them(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot)
        await pilot.press("c")
        sel = app.screen.query_one("#selector", TextArea)
        assert sel.has_focus and sel.text == TURNS[1][1]
        # select «каждый раз требовали новую справку» with the keyboard
        start = TURNS[1][1].index("каждый")
        sel.move_cursor((0, start))
        for _ in range(len("каждый раз требовали новую справку")):
            await pilot.press("shift+right")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodePicker"
        await pilot.press(*"дополнит")  # fuzzy filter on the Russian label
        await pilot.pause()
        await pilot.press("tab")  # mark it, then another one: several codes at once
        await pilot.press("ctrl+a")
        app.screen.query_one(Input).value = "повторн посещ"
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TranscriptScreen"
        assert codings(ws) == [
            ("BUR.EXTRA_DOCS", "anna", "каждый раз требовали новую справку"),
            ("BUR.REPEAT_VISIT", "anna", "каждый раз требовали новую справку"),
        ]
        table = app.screen.query_one("#segments", DataTable)
        assert "[BUR.EXTRA_DOCS]" in str(table.get_row_at(1)[2])
        # empty selection: a notification, nothing coded
        await pilot.press("c")
        await pilot.press("enter")
        await pilot.pause()
        assert any("select some words" in n.message for n in app._notifications)
        await pilot.press("escape")
        # undo the last action (both codes were one action)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert codings(ws) == []
    assert (ws.study.root / "transcripts" / "idi-x.md").exists()


async def test_remove_recode_key_quote_memo_and_layers(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))
    add_coding(ws.db, Coding(sid, "ACC.QUEUE", "boris", 14, 36, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot, 2)
        side = app.screen.query_one("#side-codings")
        assert side.option_count == 1  # my layer only
        await pilot.press("l")  # all coders
        await pilot.pause()
        assert app.screen.query_one("#side-codings").option_count == 2
        await pilot.press("l")  # disagreements: both codes are single-coder here
        await pilot.pause()
        await pilot.press("l")
        await pilot.press("k")
        await pilot.pause()
        assert (
            ws.db.execute("SELECT key_quote FROM codings WHERE code_id='TECH.OUTAGE'").fetchone()[0]
            == 1
        )
        await pilot.press("M")  # acts on the coding under the cursor: no Tab first
        await pilot.pause()
        app.screen.query_one(TextArea).text = "зависает при подписи\nи при оплате"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (
            ws.db.execute("SELECT memo FROM codings WHERE code_id='TECH.OUTAGE'").fetchone()[0]
            == "зависает при подписи\nи при оплате"
        )
        # the coder's file follows every change, not only when the screen is left
        assert "и при оплате" in (ws.study.root / "codings" / "anna.json").read_text("utf-8")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "TECH.UPLOAD"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert ("TECH.UPLOAD", "anna", "Портал завис.") in codings(ws)
        await pilot.press("d")
        await pilot.pause()
        assert [c[0] for c in codings(ws)] == ["ACC.QUEUE"]  # boris's coding is not mine to remove
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ("TECH.UPLOAD", "anna", "Портал завис.") in codings(ws)


async def test_split_merge_edit_and_undo(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "ACC.QUEUE", "anna", 14, 36, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot, 2)
        await pilot.press("x")
        editor = app.screen.query_one("#editor", Input)
        editor.cursor_position = TURNS[2][1].index("Очередь")
        await pilot.press("enter")
        await pilot.pause()
        texts = [r[0] for r in ws.db.execute("SELECT text FROM segments ORDER BY idx")]
        assert texts[2:] == ["Портал завис.", "Очередь была два часа."]
        assert codings(ws) == [("ACC.QUEUE", "anna", "Очередь была два часа.")]
        await pilot.press("m")  # merge it back
        await pilot.pause()
        assert [r[0] for r in ws.db.execute("SELECT text FROM segments ORDER BY idx")][2] == TURNS[
            2
        ][1]
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert [r[0] for r in ws.db.execute("SELECT text FROM segments ORDER BY idx")] == [
            t for _, t in TURNS
        ]
        assert codings(ws) == [("ACC.QUEUE", "anna", "Очередь была два часа.")]
        # an edit that would delete coded words is refused with a notification
        await pilot.press("e")
        app.screen.query_one("#editor", Input).value = "Портал завис."
        await pilot.press("enter")
        await pilot.pause()
        assert any("removes the coded quote" in n.message for n in app._notifications)


async def test_playback_without_player_is_a_hint(
    sample_study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    ws = open_workspace(sample_study, sync=True)  # a recording with audio (fg-01.ogg)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_transcript(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert any("no audio player" in n.message for n in app._notifications)
    ws.close()


async def test_codebook_screen_writes_the_file(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CodebookScreen"
        await pilot.press("down")  # BUR
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "BUR.STAMPS"
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = "Требование печатей"
        await pilot.press("enter")
        await pilot.pause()
        cb = load_file(ws.study.codebook_path)
        assert cb.get("BUR.STAMPS").parent_id == "BUR"
        assert (
            ws.db.execute("SELECT label_ru FROM codes WHERE id='BUR.STAMPS'").fetchone()[0]
            == "Требование печатей"
        )
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Печати и штампы"
        await pilot.press("enter")
        await pilot.pause()
        assert load_file(ws.study.codebook_path).get("BUR.STAMPS").label_ru == "Печати и штампы"
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one(Input).value = "BUR.FORMALISM"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"  # destructive: asks first
        await pilot.press("y")
        await pilot.pause()
        cb = load_file(ws.study.codebook_path)
        assert "BUR.STAMPS" not in cb and "BUR.STAMPS" in cb.get("BUR.FORMALISM").replaces


async def test_search_screen_jumps_to_the_segment(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"справки", "enter")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and "справку" in str(table.get_row_at(0)[2])
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TranscriptScreen"
        assert app.screen.current().idx == 1


async def test_suggestions_screen_runs_a_worker_and_accepts(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 2
        first = app.screen.items[0]
        await pilot.press("a")
        await pilot.pause()
        assert ws.db.execute("SELECT provenance FROM codings").fetchone()[0] == "suggested"
        await pilot.press("x")
        await pilot.pause()
        assert (
            ws.db.execute("SELECT count(*) FROM suggestions WHERE status='rejected'").fetchone()[0]
            == 1
        )
        assert first.id not in [s.id for s in app.screen.items]
        layer = ws.study.root / "codings" / "anna.json"
        assert '"kind": "coding"' in layer.read_text(encoding="utf-8")
        # ctrl+z here undoes the reject, then the accept: the suggestion is back, uncoded
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
        assert first.id in [s.id for s in app.screen.items]
        # the history writes the coder's file itself: the accepted coding left it with the undo
        assert not layer.exists() or '"kind": "coding"' not in layer.read_text(encoding="utf-8")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert ws.db.execute("SELECT provenance FROM codings").fetchone()[0] == "suggested"
        assert '"kind": "coding"' in layer.read_text(encoding="utf-8")


async def test_agreement_screen_adjudicates(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "boris", 0, 13, ""))
    add_coding(ws.db, Coding(sid, "ACC.QUEUE", "boris", 14, 36, ""))
    app = QualtoolApp(ws, coder="lead")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        scores = app.screen.query_one("#scores", DataTable)
        assert scores.row_count == 3  # two codes + overall
        await pilot.press("y")
        await pilot.pause()
        assert ws.db.execute(
            "SELECT code_id FROM codings WHERE coder_id='consensus'"
        ).fetchall() == [("ACC.QUEUE",)]
        await pilot.press("c")
        await pilot.pause()
        assert (
            ws.db.execute("SELECT count(*) FROM codings WHERE coder_id='consensus'").fetchone()[0]
            == 2
        )


async def test_export_screen_writes_a_docx(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        out = ws.study.root / "exports" / "report-code.docx"
        assert out.exists(), [n.message for n in app._notifications]


async def test_import_a_recording_from_the_tui(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#path", Input).value = str(AUDIO / "idi-01.flac")
        screen.query_one("#service", Input).value = "Пособие"
        screen.query_one("#people", Input).value = "R05:recipient:m:25-34:ВКО"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DashboardScreen"
        keys = [r[0] for r in ws.db.execute("SELECT key FROM recordings ORDER BY key")]
        assert "idi-01" in keys and (ws.study.root / "audio" / "idi-01.flac").exists()
        # a non-audio file: a notification, the form stays open
        await pilot.press("i")
        await pilot.pause()
        bad = Path(ws.study.root / "notes.txt")
        bad.write_text("not audio")
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ImportScreen"
        assert any(n.severity == "error" for n in app._notifications)


async def test_help_and_palette(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sort")
        await app.workers.wait_for_complete()  # the palette searches in a worker
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sort_by == "method"


async def test_analysis_tables_screen(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 13, ""))
    add_coding(ws.db, Coding(sid, "ACC.QUEUE", "anna", 14, 36, ""))
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "code",
            "label",
            "Пособие",
            "total",
        ]
        assert "█" in str(app.screen.query_one("#chart").render())
        await pilot.press("v", "v", "v")  # region → method → co-occurrence
        await pilot.pause()
        assert app.screen.view == "cooccurrence" and table.row_count == 2
        await pilot.press("w")
        await pilot.pause()
        assert (ws.study.root / "exports" / "table-cooccurrence.csv").exists()


async def test_suggestion_span_edit(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = app.screen.items[0]
        await pilot.press("e")
        await pilot.pause()
        sel = app.screen.query_one("#selector", TextArea)
        assert sel.selected_text == first.quote  # the proposed span, ready to adjust
        sel.selection = ((0, 0), (0, 10))  # type: ignore[assignment]
        await pilot.press("enter")
        await pilot.pause()
        quote = ws.db.execute("SELECT quote FROM codings").fetchone()[0]
        assert quote == "Мне пришлось"  # the edited span, snapped to whole words
