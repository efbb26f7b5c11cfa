"""Pilot at 80×24 in Russian: the recordings table's headers and «coded» cells end inside the
table (cut ones end with «…»), and the codings panel cuts a long quote with «…»."""

from __future__ import annotations

from conftest import open_transcript
from textual.widgets import DataTable, OptionList

from qualtool.domain import Coding
from qualtool.recordings.corpus import add_text_recording
from qualtool.search.query import Hit
from qualtool.store.codings import add_coding
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.search import kwic_line
from qualtool.tui.widgets.fit import clip
from qualtool.workspace.study import Workspace

LONG = ("Мне пришлось три раза приходить в ЦОН, и каждый раз там требовали новую справку "
        "с места жительства, которой нет в перечне.")  # fmt: skip


def test_clip_marks_a_cut() -> None:
    assert clip("справка", 7) == "справка" and clip("справка", 6) == "справ…"
    assert clip("две справки", 5) == "две…" and clip(None, 3) == "" and clip("abc", 0) == ""


async def test_recordings_table_fits_80_columns(empty_study: Workspace) -> None:
    db = empty_study.db
    for i in range(30):  # more rows than the screen: the table shows its scrollbar
        add_text_recording(db, f"idi-{i:02}", [("R01", "Фраза про справки.")],
                           service="Назначение пособия многодетным семьям", region="Туркестан")  # fmt: skip
    sid = db.execute("SELECT id FROM segments ORDER BY id").fetchone()[0]
    for coder in ("anna", "boris", "consensus", "dana"):
        add_coding(db, Coding(sid, "BUR.EXTRA_DOCS", coder, 0, 5, ""))
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#recordings", DataTable)
        assert table.virtual_size.height > table.size.height  # it scrolls
        room = table.size.width - 2  # the vertical scrollbar
        assert table.virtual_size.width <= room  # nothing is cut off at the right edge
        for column in table.columns.values():
            assert len(column.label.plain) <= column.width, column.label
        coded = table.columns["coded"]  # type: ignore[index]
        assert coded.label.plain == "кодир."
        cell = str(table.get_cell("idi-00", "coded"))
        assert cell.startswith("100%") and cell.endswith("…") and len(cell) <= coded.width
        assert str(table.get_cell("idi-00", "service")).endswith("…")
        await pilot.resize_terminal(120, 30)  # wider: «coded» gets the room
        await pilot.pause()
        assert str(table.get_cell("idi-00", "coded")) == "100% boris:100% consensus:100% dana:100%"


async def test_codings_panel_cuts_a_long_quote_with_an_ellipsis(empty_study: Workspace) -> None:
    add_text_recording(empty_study.db, "idi-01", [("R01", LONG)])
    sid = empty_study.db.execute("SELECT id FROM segments").fetchone()[0]
    add_coding(empty_study.db, Coding(sid, "BUR.EXTRA_DOCS", "anna", 0, len(LONG), ""))
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, row=0)
        panel = app.screen.query_one("#side-codings", OptionList)
        line = str(panel.get_option_at_index(0).prompt)
        assert line.startswith("BUR.EXTRA_DOCS «Мне пришлось") and line.endswith("…»"), line
        assert len(line) <= 3 * panel.scrollable_content_region.width


def test_clip_keeping_the_end() -> None:
    assert clip("дайте справку", 8, keep="end") == "…справку" and clip("аб", 2, keep="end") == "аб"
    assert clip("две справки", 8, keep="end") == "…справки"  # no space after the mark
    assert clip("abc", 1, keep="end") == "…" and clip("abc", 0, keep="end") == ""


def test_search_rows_cut_with_the_same_mark_and_fit() -> None:
    """search.kwic_line cuts with fit.clip: a match near the start of a long turn used to run
    past the column (the padded left context was not counted), cut by the table without «…»."""
    text = "Да, справка нужна была " + "очень " * 30 + "конец"
    s = text.index("справка")
    hit = Hit(1, "idi", 0, 0.0, "R", text, ((s, s + 7),), "idi", None, None)
    for width in (12, 30, 41, 58):
        line = kwic_line(hit, width).plain
        assert len(line) <= width and "справка" in line and line.endswith("…"), (width, line)
        assert line.index("справка") == (width - 7) // 2  # matches line up row to row
    end = text.index("конец")
    late = Hit(1, "idi", 0, 0.0, "R", text, ((end, end + 5),), "idi", None, None)
    assert kwic_line(late, 30).plain == "…чень очень конец"
    plain = Hit(1, "idi", 0, 0.0, "R", text, (), "idi", None, None)
    assert kwic_line(plain, 20).plain == clip(text, 20) == "Да, справка нужна б…"
