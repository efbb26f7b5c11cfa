"""The codebook screen (F2) as the Pilot tests drive it: the app open on it, the cursor on a
code, and a code's row as the database holds it (the file is read with `load_codebook`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pilot_steps import app_on
from textual.pilot import Pilot
from textual.widgets import Tree

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


@asynccontextmanager
async def codebook(ws: Workspace, code_id: str | None = None) -> AsyncIterator[
        tuple[QualtoolApp, Pilot[Any]]]:  # fmt: skip
    """The app (coder anna, 100×30) on the codebook screen, the cursor on `code_id` if given."""
    async with app_on(ws, "f2", (100, 30)) as (app, pilot):
        if code_id is not None:
            await goto(pilot, code_id)
        yield app, pilot


async def goto(pilot: Pilot[Any], code_id: str) -> None:
    """The tree's cursor on `code_id`."""
    tree = pilot.app.screen.query_one(Tree)
    node = next(n for n in tree._tree_lines if n.node.data == code_id).node
    tree.move_cursor(node)
    await pilot.pause()


def db_code(ws: Workspace, code_id: str) -> dict[str, Any]:
    """The code's row in the database ({} when there is none)."""
    rows = list(ws.db.query("SELECT * FROM codes WHERE id = ?", [code_id]))
    return rows[0] if rows else {}
