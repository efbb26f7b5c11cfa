"""Shared by the interop tests (not a conftest: the root conftest is imported by name)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from qualtool.files.study import init_study
from qualtool.workspace.study import Workspace, open_workspace

DATA = Path(__file__).resolve().parent.parent / "data"


def pack(folder: Path, out: Path, qde: str = "project.qde") -> Path:
    """A .qdpx as the producer ships it: the project XML plus sources/ (names kept)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.suffix in (".qde", ".txt"):
                name = qde if f.suffix == ".qde" else f.relative_to(folder).as_posix()
                z.write(f, name)
    return out


def fresh_study(tmp_path: Path) -> Iterator[Workspace]:
    """What `qualtool init` leaves: no codebook file, no recordings."""
    study = init_study(tmp_path / "new", name="Новое", year=2025, coder="lead")
    ws = open_workspace(study.root, sync=True)
    yield ws
    ws.close()
