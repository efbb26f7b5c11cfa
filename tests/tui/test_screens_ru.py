"""Every screen in Russian at 80×24 and 120×40 (pytest-textual-snapshot). After an intended UI
change: `pytest tests/tui/test_snapshots.py --snapshot-update`, then review the SVGs in git.
The cursor does not blink here, so a snapshot never depends on when it was taken."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from qualtool.domain import Coding, Method, Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
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
    "restart": ["R"],
}


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    for widget in (Input, TextArea):
        for name in ("_toggle_cursor", "_toggle_cursor_blink_visible"):
            if hasattr(widget, name):
                monkeypatch.setattr(widget, name, lambda self: None)
    monkeypatch.setenv("QUALTOOL_LANG", "ru")


@pytest.fixture
def app(empty_study: Workspace) -> QualtoolApp:
    db = empty_study.db
    add_text_recording(db, "idi-01", [
        ("I", "Расскажите, как вы получали пособие."),
        ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
        ("R01", "Портал завис, и я стояла в очереди два часа."),
    ], service="Пособие многодетным", region="ВКО",
       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО")])  # fmt: skip
    add_text_recording(db, "fg-01", [("P1", "Сотрудники отвечают резко.")],
                       method=Method.FOCUS_GROUP, service="Справки", region="Абай")  # fmt: skip
    seg = db.execute("SELECT id, text FROM segments WHERE idx = 1").fetchone()
    q = "каждый раз требовали новую справку"
    for coder in ("anna", "boris"):
        add_coding(db, Coding(seg[0], "BUR.EXTRA_DOCS", coder, seg[1].index(q),
                              seg[1].index(q) + len(q), "нужна справка с места жительства"))  # fmt: skip
    return QualtoolApp(empty_study, coder="anna", language="ru")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_in_russian(app: QualtoolApp, snap_compare, screen: str, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=SCREENS[screen], terminal_size=SIZES[size])
