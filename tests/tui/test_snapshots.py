"""Snapshots of the main screens at 80×24 (pytest-textual-snapshot). After an intended UI
change: `pytest tests/test_snapshots.py --snapshot-update`, then review the SVGs in git."""

from __future__ import annotations

import pytest

from qualtool.domain import Coding, Method, Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

SIZE = (80, 24)


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
    add_coding(db, Coding(seg[0], "BUR.EXTRA_DOCS", "anna", seg[1].index(q),
                          seg[1].index(q) + len(q), ""))  # fmt: skip
    add_coding(db, Coding(seg[0], "BUR.EXTRA_DOCS", "boris", seg[1].index(q),
                          seg[1].index(q) + len(q), ""))  # fmt: skip
    return QualtoolApp(empty_study, coder="anna")


def test_dashboard(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=SIZE)


def test_transcript(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=["down", "enter", "down"], terminal_size=SIZE)


def test_code_picker(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=["down", "enter", "down", "c", "ctrl+a", "enter", *"очеред"],
                        terminal_size=SIZE)  # fmt: skip


def test_codebook(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=["f2", "down", "down"], terminal_size=SIZE)


def test_search(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=["f3", *"справка", "enter"], terminal_size=SIZE)


def test_agreement(app: QualtoolApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, press=["f5"], terminal_size=SIZE)
