"""Helpers for tests that share a study through real git: a bare repo and clones."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from laptops import git

from qualtool.cli.main import cli
from qualtool.files import layer_format as fmt
from qualtool.files.study import GITATTRIBUTES, GITIGNORE
from qualtool.workspace.study import open_workspace

REPO = Path(__file__).resolve().parents[2]


def seed_sample(tmp: Path, with_codings: bool = True) -> Path:
    """The shipped sample study committed into a bare repository; returns the bare repo."""
    src = tmp / "seed"
    src.mkdir()
    for name in ("study.toml",):
        shutil.copy(REPO / name, src / name)
    for folder in ("audio", "codebooks", "transcripts", *(["codings"] if with_codings else [])):
        shutil.copytree(REPO / folder, src / folder)
    (src / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (src / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-qm", "seed")
    bare = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(src), str(bare))
    return bare


def clone(bare: Path, dest: Path) -> Path:
    git(bare.parent, "clone", "-q", str(bare), str(dest))
    return dest


def qt(study: Path, *args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, ["--study", str(study), *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result.output


def file_codings(study: Path) -> set[tuple[str, str, int, str, str]]:
    out = set()
    for path in sorted((study / "codings").glob("*.json")):
        for rec in fmt.parse(path.read_text(encoding="utf-8"), path.name).records.values():
            if rec["kind"] == "coding":
                out.add((path.stem, rec["recording"], rec["segment"], rec["code"], rec["quote"]))
    return out


def db_codings(study: Path) -> set[tuple[str, str, int, str, str]]:
    ws = open_workspace(study)
    try:
        rows = ws.db.execute(
            "SELECT c.coder_id, r.key, s.idx, c.code_id, c.quote FROM codings c "
            "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id"
        ).fetchall()
    finally:
        ws.close()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def status(study: Path) -> str:
    return git(study, "status", "--porcelain")
