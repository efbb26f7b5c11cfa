"""What `qualtool init` leaves for git: the cache, scratch work, conflicts and the TUI's exports
(F6 reports, F7 tables: `exports/`) stay out of `git add -A`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from qualtool.files.study import init_study


def test_exports_are_not_committed(tmp_path: Path) -> None:
    study = init_study(tmp_path / "s", name="Тест", year=2025, coder="anna")
    subprocess.run(["git", "init", "-q"], cwd=study.root, check=True)
    (study.root / "exports").mkdir()
    (study.root / "exports" / "report-code.docx").write_bytes(b"names as spoken")
    (study.root / "qualtool.db").write_bytes(b"")
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                         cwd=study.root, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "exports/" not in out and "qualtool.db" not in out
    assert "study.toml" in out
