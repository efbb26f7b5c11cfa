"""n on the recordings list renames the selected recording through the one rename service
(`qualtool rename`): the key asked in a one-line question, its files moved, the list shown
again; a refusal is the service's translated line as a notification and changes nothing; ctrl+z
on the list undoes the rename, files and all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AUDIO
from textual.widgets import DataTable, Input

from qualtool.domain import Recording
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.tui.app import QualtoolApp
from qualtool.tui.screens.help import bindings_of, palette_bindings
from qualtool.tui.widgets.prompt import Prompt
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

OLD = "интервью-гульнара"


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path) -> Workspace:
    src = tmp_path / "Интервью Гульнара.flac"
    shutil.copy(AUDIO / "idi-01.flac", src)
    rec = import_file(empty_study.study, empty_study.db, src, Recording())
    assert rec.key == OLD and rec.path == "audio/Интервью Гульнара.flac"
    other = add_text_recording(empty_study.db, "idi-02", [("R01", "Очередь была два часа.")])
    write_outputs(empty_study, other)
    empty_study.save_manifest()
    return empty_study


def _files(ws: Workspace) -> dict[str, bytes]:
    root = ws.study.root
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "qualtool.db" not in p.name and ".qualtool" not in p.parts}  # fmt: skip


def _keys(app: QualtoolApp) -> list[str]:
    t = app.screen.query_one("#recordings", DataTable)
    return [str(k.value) for k in t.rows]


async def _rename(pilot: object, app: QualtoolApp, key: str, new: str) -> None:
    t = app.screen.query_one("#recordings", DataTable)
    t.move_cursor(row=t.get_row_index(key))
    await pilot.press("n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, Prompt)
    box = app.screen.query_one(Input)
    assert box.value == key  # the old key to edit
    box.value = new
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_rename_and_undo_in_the_list(ws: Workspace) -> None:
    before = _files(ws)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        # a rare action: not in the footer, which keeps its room, but in F1 and the palette
        listed = {(k, d) for k, d, _a, _o in bindings_of(app.screen)}
        assert {("n", "Rename"), ("ctrl+z", "Undo")} <= listed, listed
        assert "rename" in {a for _k, _d, a, _o in palette_bindings(app)}
        await _rename(pilot, app, OLD, "idi-07")
        assert not isinstance(app.screen, Prompt)
        assert sorted(_keys(app)) == ["idi-02", "idi-07"]
        t = app.screen.query_one("#recordings", DataTable)
        assert _keys(app)[t.cursor_row] == "idi-07"  # the cursor follows the renamed row
        said = [n.message for n in app._notifications]
        assert f"renamed {OLD} → idi-07 (ctrl+z undoes)" in said, said
        root = ws.study.root
        assert (root / "audio" / "idi-07.flac").exists()
        assert not (root / "audio" / "Интервью Гульнара.flac").exists()
        manifest = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
        assert "key: idi-07" in manifest and OLD not in manifest

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sorted(_keys(app)) == ["idi-02", OLD]
        assert f"undone: rename {OLD} → idi-07" in [n.message for n in app._notifications]
        assert _files(ws) == before  # every file back, under its own name
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert sorted(_keys(app)) == ["idi-02", "idi-07"]


@pytest.mark.parametrize(
    ("new", "error"),
    [
        ("idi-02", "a recording with key 'idi-02' already exists"),
        ("bad key!", "recording key 'bad key!' cannot be used as a file name"),
        (OLD, f"{OLD}: the new name is the same as the old one; nothing was changed"),
    ],
)
async def test_a_refused_rename_is_a_notification_and_changes_nothing(
    ws: Workspace, new: str, error: str
) -> None:
    before = _files(ws)
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await _rename(pilot, app, OLD, new)
        refused = [n for n in app._notifications if n.severity == "error"]
        assert len(refused) == 1 and refused[0].message.startswith(error), refused
        assert "\n" not in refused[0].message
        assert sorted(_keys(app)) == ["idi-02", OLD]
        await pilot.press("ctrl+z")  # nothing was journaled: nothing to undo
        await pilot.pause()
        assert sorted(_keys(app)) == ["idi-02", OLD]
    assert _files(ws) == before


async def test_the_refusal_in_russian(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna", language="ru")
    async with app.run_test(size=(120, 30)) as pilot:
        await _rename(pilot, app, OLD, "idi-02")
        said = [n.message for n in app._notifications if n.severity == "error"]
        assert said == ["запись с ключом 'idi-02' уже есть"], said
        assert [n.title for n in app._notifications if n.severity == "error"] == [
            "Переименование отклонено"
        ]


async def test_a_recording_being_transcribed_is_not_renamed(ws: Workspace) -> None:
    app = QualtoolApp(ws, coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        app.screen.running = OLD  # type: ignore[attr-defined]  # as the queue's worker sets it
        t = app.screen.query_one("#recordings", DataTable)
        t.move_cursor(row=t.get_row_index(OLD))
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, Prompt)
        said = [n.message for n in app._notifications]
        assert f"{OLD} is being transcribed: rename it when it is done (Esc cancels the " \
               "transcription)" in said, said  # fmt: skip
        app.screen.running = None  # type: ignore[attr-defined]
    assert (ws.study.root / "audio" / "Интервью Гульнара.flac").exists()
