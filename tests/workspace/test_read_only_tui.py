"""A read-only study folder opens in the TUI with a banner; closing it changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitstudy import REPO

from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import open_workspace


async def test_read_only_folder_opens_with_a_banner(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "s"
    root.mkdir()
    shutil.copy(REPO / "study.toml", root)
    for folder in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / folder, root / folder)
    if subprocess.run(["chattr", "+i", str(root)], capture_output=True).returncode != 0:
        pytest.skip("needs chattr +i (root on ext4) to make a folder read-only for root")
    try:
        before = sorted(p.name for p in root.iterdir())
        ws = open_workspace(root)
        assert ws.read_only
        app = QualtoolApp(ws, coder="aigerim")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "read-only" in app.sub_title
            assert any("read-only" in str(n.message) for n in app._notifications)
            await pilot.press("q")
        ws.close()
        assert sorted(p.name for p in root.iterdir()) == before
    finally:
        subprocess.run(["chattr", "-i", str(root)], check=True)
