"""Pilot: the export screen's output in a folder that does not exist — the notice names the
user's path in Russian, not the scratch `.part` file, and nothing is written."""

from __future__ import annotations

import contextlib
from pathlib import Path

from conftest import seed_snapshot_study
from textual.widgets import Input, Select
from textual.worker import WorkerFailed

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace


async def test_missing_output_folder_is_named_in_the_notice(
    empty_study: Workspace, tmp_path: Path
) -> None:
    seed_snapshot_study(empty_study)
    missing = tmp_path / "нет-папки"
    app = QualtoolApp(empty_study, coder="anna", language="ru")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        for fmt in ("md", "docx", "csv", "qdpx"):
            app.screen.query_one("#format", Select).value = fmt
            app.screen.query_one("#out", Input).value = str(missing / f"отчёт.{fmt}")
            await pilot.press("ctrl+s")
            # the export fails, as meant: a worker still running when waited on re-raises it
            # (one that finished first does not) — the notice below is what the user sees
            with contextlib.suppress(WorkerFailed):
                await app.workers.wait_for_complete()
            await pilot.pause()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            assert errors[-1] == (
                f"не удаётся записать {missing / f'отчёт.{fmt}'}: {missing}: нет такой папки"
            )
            assert ".part" not in errors[-1]
    assert not missing.exists()
