"""Snapshots of the main screens at 80×24 (pytest-textual-snapshot). After an intended UI
change: `pytest tests/tui/test_snapshots.py --snapshot-update`, then review the SVGs in git."""

from __future__ import annotations

import pytest
from conftest import seed_snapshot_study

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace

SIZE = (80, 24)


@pytest.fixture
def app(empty_study: Workspace) -> QualtoolApp:
    seed_snapshot_study(empty_study)
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
