"""The newcomer's hint: shown on a study until its first coding change in the terminal UI on
this machine (kept outside the study, so a shared sample study greets every new coder).
QUALTOOL_STATE_DIR moves the record (tests, portable installs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

FILE = "first-steps-done.txt"


def _record() -> Path:
    base = os.environ.get("QUALTOOL_STATE_DIR") or platformdirs.user_state_dir("qualtool")
    return Path(base) / FILE


def done(study_root: Path) -> bool:
    path = _record()
    key = str(study_root.resolve())
    return path.is_file() and key in path.read_text(encoding="utf-8").splitlines()


def mark_done(study_root: Path) -> None:
    if done(study_root):
        return
    path = _record()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(str(study_root.resolve()) + "\n")
    except OSError:
        pass  # a read-only home: the hint simply stays
