"""Every screen in Russian at 80×24 and 120×40 (pytest-textual-snapshot). After an intended UI
change: `pytest tests/tui/test_screens_ru.py --snapshot-update`, then review the SVGs in git.
The cursor does not blink here, so a snapshot never depends on when it was taken."""

from __future__ import annotations

import pytest
from conftest import AUDIO, seed_snapshot_study
from textual.widgets import Input, TextArea

from qualtool.domain import Language, Recording
from qualtool.recordings.importing import import_file
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

# keys that lead to each screen from the recordings (the dashboard)
SCREENS = {
    "dashboard": [],
    "transcript": ["down", "enter", "down"],
    "code_picker": ["down", "enter", "down", "c", "ctrl+a", "enter", *"очеред"],
    "memo": ["down", "enter", "down", "M"],
    "codebook": ["f2", "down", "down"],
    "search": ["f3", *"справка", "enter"],
    "suggestions": ["f4"],
    "agreement": ["f5"],
    "export": ["f6"],
    "tables": ["f7"],
    "help": ["down", "enter", "f1"],
    "coder": ["ctrl+o"],
    "import": ["i"],
    "restart": ["down", "down", "R"],  # idi-02, the one with audio
}


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    for widget in (Input, TextArea):
        for name in ("_toggle_cursor", "_toggle_cursor_blink_visible"):
            if hasattr(widget, name):
                monkeypatch.setattr(widget, name, lambda self: None)
    monkeypatch.setenv("QUALTOOL_LANG", "ru")


@pytest.fixture
def app(empty_study: Workspace, request: pytest.FixtureRequest) -> QualtoolApp:
    seed_snapshot_study(empty_study, memo="нужна справка с места жительства")
    if request.node.callspec.params["screen"] == "restart":  # R asks only where there is audio
        import_file(empty_study.study, empty_study.db, AUDIO / "idi-02.flac",
                    Recording(language=Language.RU))  # fmt: skip
    return QualtoolApp(empty_study, coder="anna", language="ru")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_in_russian(app: QualtoolApp, snap_compare, screen: str, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=SCREENS[screen], terminal_size=SIZES[size])
