"""Stored values a screen shows — a recording's method, a participant's role, the outcome of an
interrupted anonymisation — in the interface's words: the Russian interface showed «interview»,
«recipient» and «was rolled back», the English one «глубинное интервью»."""

from __future__ import annotations

import json

import pytest
from conftest import seed_snapshot_study
from textual.widgets import DataTable, Static

from qualtool.domain import Language
from qualtool.store.recordings import get_recording, update_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

WORDS = {"ru": ("глубинное интервью", "услугополучатель"),
         "en": ("in-depth interview", "service recipient")}  # fmt: skip


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_method_and_role_in_the_interface_language(empty_study: Workspace, lang: str) -> None:
    seed_snapshot_study(empty_study)
    method, role = WORDS[lang]
    other = WORDS["en" if lang == "ru" else "ru"]
    app = QualtoolApp(empty_study, coder="anna", language=lang)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("down", "enter", "down")
        await pilot.pause()
        assert method in app.screen.sub_title and other[0] not in app.screen.sub_title
        await pilot.press("f8")  # the quotes of the code under the cursor, with their details
        await pilot.pause()
        details = str(app.screen.query_one("#cv-details", Static).render())
        assert method in details and role in details, details
        assert "· interview ·" not in details and "R01, recipient," not in details
        await pilot.press("f7", "v", "v")  # code frequency by method
        await pilot.pause()
        columns = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert method in columns and "interview" not in columns, columns


async def test_an_interrupted_anonymisation_is_one_russian_sentence(empty_study: Workspace) -> None:
    intent = empty_study.study.root / "privacy" / "apply-intent.json"
    intent.parent.mkdir(exist_ok=True)
    intent.write_text(json.dumps({"apply": "gone", "started": "2026-01-01T00:00:00"}))
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications if "анонимизац" in n.message]
    assert said == ["прерванная анонимизация отменена: ничего не изменено; запустите "
                    "`qualtool anonymise --apply` ещё раз"], said  # fmt: skip


@pytest.mark.parametrize(("lang", "word"), [("ru", "авто"), ("en", "auto")])
async def test_a_recording_to_detect_says_auto_in_the_interface_language(
    empty_study: Workspace, lang: str, word: str
) -> None:
    """The dashboard's language column showed the stored «auto» in the Russian interface;
    «ru» and «kk» are codes and stay as they are."""
    seed_snapshot_study(empty_study)
    update_recording(empty_study.db, get_recording(empty_study.db, "fg-01"),
                     language=Language.AUTO)  # fmt: skip
    app = QualtoolApp(empty_study, coder="anna", language=lang)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        column = list(table.columns).index("lang")  # type: ignore[arg-type]
        cells = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[column])
                 for i in range(table.row_count)}  # fmt: skip
        assert cells == {"fg-01": word, "idi-01": "ru"}, cells
