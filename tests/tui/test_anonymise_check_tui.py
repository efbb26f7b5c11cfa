"""F10 says why a row is «check» and who it could be, on the row's next line, wherever it stands: a patronymic alone
in a segment that two sisters of its interview have, and an interviewer's surname alone or a
participant's patronymic alone that several of the study's people have (the same rows and notes
`qualtool anonymise` lists), in English and in Russian. A metadata row to check has nothing to
decide: a or x there says the note and writes nothing."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable

from qualtool.domain import Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

PATRONYMIC = ("several people have this patronymic: replaced on its own; write the full name "
              "to make it theirs")  # fmt: skip
SURNAME = ("several people in the study have this surname: replaced on its own; write the full "
           "name to make it theirs")  # fmt: skip


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "int-01", [
        ("R01", "Меня принимала Шолпан Кенжебаева из ЦОНа."),
        ("R01", "Потом Айгерим Кенжебаева выдала справку."),
        ("R01", "Гульнара Маратовна и Асель Маратовна пришли вместе."),
        ("R01", "Маратовна сказала, что ждали два часа.")])  # fmt: skip
    add_text_recording(empty_study.db, "int-02", [("R01", "Очередь была два часа.")],
                       interviewer="Кенжебаева",
                       participants=[Participant("Маратовна", Role.RECIPIENT)])  # fmt: skip
    empty_study.save_manifest()
    return empty_study


def _rows(app: QualtoolApp) -> list[list[str]]:
    t = app.screen.query_one("#findings", DataTable)
    return [[c.plain if isinstance(c, Text) else str(c) for c in t.get_row_at(n)]
            for n in range(t.row_count)]  # fmt: skip


def _note(cell: str) -> str:
    """The note under a row's first line, its wrapped lines joined."""
    return " ".join(cell.splitlines()[1:])


async def test_f10_says_why_each_row_is_to_check(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        rows = _rows(app)
        checks = [r for r in rows if r[2] == "check"]
        segment = [r for r in checks if r[0] == "int-01#3"]
        assert len(segment) == 1 and "⟦Маратовна⟧ сказала" in segment[0][3], rows
        sisters = "could be: Асель Маратовна, Гульнара Маратовна"
        assert _note(segment[0][3]) == f"{PATRONYMIC}; {sisters}", segment
        meta = {r[1]: r[3] for r in checks if r[0] == "int-02"}
        assert meta["interviewer"].startswith("interviewer «Кенжебаева» → Имя-"), meta
        assert _note(meta["interviewer"]) == f"{SURNAME}; could be: Айгерим Кенжебаева, " \
                                              "Шолпан Кенжебаева", meta  # fmt: skip
        assert meta["participant"].startswith("participant «Маратовна» → Имя-"), meta
        assert _note(meta["participant"]) == f"{PATRONYMIC}; {sisters}", meta
        # every other row is one line, its status not «check»
        assert all("\n" not in r[3] for r in rows if r[2] not in ("check",) and r[1] != "key")
        # a metadata row to check: a or x says the note, nothing is decided
        decisions = ws.study.root / "privacy" / "decisions.yml"
        before = decisions.read_bytes() if decisions.exists() else None
        t = app.screen.query_one("#findings", DataTable)
        t.move_cursor(row=next(n for n, r in enumerate(rows) if r[1] == "interviewer"))
        await pilot.press("a")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert [m for m in said if m.startswith(SURNAME)] == [_note(meta["interviewer"])], said
        assert (decisions.read_bytes() if decisions.exists() else None) == before
        # the segment's «check» is decided like any finding: accepted, its note goes
        t.move_cursor(row=next(n for n, r in enumerate(rows) if r[0] == "int-01#3"))
        await pilot.press("a")
        await pilot.pause()
        (after,) = [r for r in _rows(app) if r[0] == "int-01#3"]
        assert after[2] == "accepted" and "\n" not in after[3], after


async def test_f10_says_why_in_russian(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        checks = {(r[0], r[1]): _note(r[3]) for r in _rows(app) if r[2] == "проверить"}
        assert checks[("int-01#3", "имя")].startswith("это отчество носят"), checks
        assert checks[("int-01#3", "имя")].endswith("; возможно, это: Асель Маратовна, "
                                                    "Гульнара Маратовна"), checks  # fmt: skip
        assert checks[("int-02", "интервьюер")].startswith("эту фамилию носят несколько "
                                                          "человек"), checks  # fmt: skip
        assert checks[("int-02", "участник")].startswith("это отчество носят"), checks
