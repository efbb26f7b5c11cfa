"""`qualtool init` then `qualtool refi import project.qdpx`: the project's codes become the
codebook file, the coders' layers are written, the self-check is printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import child_env
from interop_data import DATA, pack
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualtool", *args], cwd=cwd, capture_output=True, text=True,
        env=child_env(cwd, COLUMNS="160"),
    )  # fmt: skip


def test_init_then_import_nvivo(tmp_path: Path) -> None:
    qdpx = pack(DATA / "nvivo", tmp_path / "nvivo.qdpx")
    # a study that starts from the project's own codes, not the shipped barrier codebook
    r = run("init", str(tmp_path / "s"), "--name", "Импорт", "--no-codebook", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    study = tmp_path / "s"
    r = run("refi", "import", str(qdpx), cwd=study)
    assert r.returncode == 0, r.stderr
    assert "NVivo project, positions as UTF-16 units" in r.stdout
    assert "1 new source(s), 9 coding(s) added" in r.stdout and "19 new code(s)" in r.stdout
    assert "check: 0 of 9 selection(s) start or end inside a word" in r.stdout
    assert "warning" not in r.stderr
    doc = YAML().load((study / "codebooks" / "barriers.yml").read_text(encoding="utf-8"))
    assert doc["codebook"]["name"] == "Untitled" and len(doc["codes"]) == 6
    assert (study / "codings" / "gergo.json").exists()
    assert (study / "transcripts" / "videos_10_selected.md").exists()
    r = run("refi", "import", str(qdpx), cwd=study)  # again: nothing new
    assert "0 new source(s), 0 coding(s) added, 9 already present" in r.stdout, r.stdout
