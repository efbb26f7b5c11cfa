"""Bad input and hostile conditions: one clear `error:` line, exit 1, and no file changed.

Each case runs the real CLI in a subprocess (so the error contract, not a Python exception,
is what is checked) against a real study, and compares every file's bytes before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from gitstudy import REPO

from qualtool.files.study import GITATTRIBUTES, GITIGNORE


def study_copy(tmp: Path) -> Path:
    root = tmp / "study"
    root.mkdir()
    shutil.copy(REPO / "study.toml", root / "study.toml")
    for folder in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / folder, root / folder)
    (root / ".gitignore").write_text(GITIGNORE)
    (root / ".gitattributes").write_text(GITATTRIBUTES)
    return root


def files(root: Path) -> dict[str, str]:
    """Every file under `root` (the database excluded: it is a cache) → its hash."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "qualtool.db" not in p.name}  # fmt: skip


def run(root: Path, *args: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    full = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "qualtool", "--study", str(root), *args],
                          capture_output=True, text=True, env=full, cwd=cwd or root.parent,
                          encoding="utf-8", errors="replace")  # fmt: skip


def one_error_line(out: subprocess.CompletedProcess[str], *words: str) -> str:
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, out.stderr
    for w in words:
        assert w in errors[0], errors[0]
    return errors[0]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    root = study_copy(tmp_path)
    assert run(root, "ls").returncode == 0
    return root


def test_recording_key_cannot_escape_the_study(study: Path, tmp_path: Path) -> None:
    outside = tmp_path / "README.md"
    outside.write_text("mine")
    before, readme = files(study), outside.read_text()
    for key in ("../README", "../../x", "a/b", ".hidden", "con:x"):
        out = run(study, "add", str(REPO / "audio" / "idi-01.flac"), "--key", key)
        one_error_line(out, "recording key", repr(key))
    assert files(study) == before and outside.read_text() == readme


def test_coder_name_cannot_escape_the_study(study: Path) -> None:
    before = files(study)
    for coder in ("../README", "a/b", "..", ".x"):
        out = run(study, "code", "idi-01#0", "TECH.OUTAGE", "--coder", coder)
        one_error_line(out, "coder")
    assert files(study) == before


def test_a_manifest_key_with_a_path_is_refused_not_followed(tmp_path: Path) -> None:
    root = study_copy(tmp_path)
    manifest = root / "audio" / "recordings.yml"
    manifest.write_text(manifest.read_text().replace("key: ms-01", "key: ../ms-01"))
    before = files(root)
    out = run(root, "sync")
    assert "recording key '../ms-01'" in out.stderr and "Traceback" not in out.stderr
    assert files(root) == before
    assert not (tmp_path / "ms-01.json").exists()


def test_a_locked_database_gives_a_notice_and_one_line(study: Path) -> None:
    before = files(study)
    holder = sqlite3.connect(study / "qualtool.db", check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        out = run(study, "code", "idi-01#0", "TECH.OUTAGE", "--coder", "anna",
                  env={"QUALTOOL_BUSY_SECONDS": "0.5"})  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert "waiting for another qualtool process" in out.stderr
    one_error_line(out, "busy", "another qualtool process")
    assert files(study) == before
    assert run(study, "code", "idi-01#0", "TECH.OUTAGE", "--coder", "anna").returncode == 0


def test_read_only_study_reads_and_refuses_writes(tmp_path: Path) -> None:
    root = study_copy(tmp_path)
    if subprocess.run(["chattr", "+i", str(root)], capture_output=True).returncode != 0:
        pytest.skip("needs chattr +i (root on ext4) to make a folder read-only for root")
    try:
        before = files(root)
        assert run(root, "ls").returncode == 0
        found = run(root, "search", "ЦОН")
        assert found.returncode == 0 and "ЦОН" in found.stdout
        rep = run(root, "report", "--by", "code", "--format", "md", "-o", str(tmp_path / "r.md"))
        assert rep.returncode == 0, rep.stderr
        one_error_line(run(root, "edit", "idi-01", "--region", "X"), "read-only")
        one_error_line(run(root, "code", "idi-01#0", "TECH.OUTAGE", "--coder", "zed"),
                       "read-only")  # fmt: skip
        assert files(root) == before
        assert not (root / "qualtool.db").exists()
    finally:
        subprocess.run(["chattr", "-i", str(root)], check=True)


def test_malformed_srt_timestamp_names_the_line(study: Path, tmp_path: Path) -> None:
    srt = tmp_path / "idi-01.srt"
    good = (study / "transcripts" / "idi-01.srt").read_text(encoding="utf-8")
    lines = good.splitlines()
    n = next(i for i, line in enumerate(lines) if "-->" in line and i > 3)
    lines[n] = lines[n].replace(",", ";", 1)  # 00:00:09;340 --> …
    srt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = files(study)
    out = run(study, "transcript", "import", "idi-01", str(srt))
    one_error_line(out, f"line {n + 1}", "timestamp", "idi-01.srt")
    assert files(study) == before
    vtt = tmp_path / "idi-01.vtt"
    vtt.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:61.000\nтекст\n", encoding="utf-8")
    one_error_line(run(study, "transcript", "import", "idi-01", str(vtt)), "line 3")
    assert files(study) == before


def test_truncated_audio_is_refused_at_add(study: Path, tmp_path: Path) -> None:
    half = tmp_path / "cut.flac"
    data = (REPO / "audio" / "idi-01.flac").read_bytes()
    half.write_bytes(data[: len(data) // 2])
    before = files(study)
    one_error_line(run(study, "add", str(half), "--key", "cut"), "cut.flac", "not added")
    assert files(study) == before
    mp3 = tmp_path / "cut.mp3"
    data = (REPO / "audio" / "ms-01.mp3").read_bytes()
    mp3.write_bytes(data[: len(data) // 2])
    one_error_line(run(study, "add", str(mp3)), "truncated")
    assert files(study) == before


def test_lang_c_prints_cyrillic(study: Path) -> None:
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    before = files(study)
    out = run(study, "show", "idi-01", env=env)
    assert out.returncode == 0, out.stderr
    assert "ВКО" in out.stdout  # the recording's own words, printed under LANG=C
    bad = run(study, "show", "нет-такой", env=env)
    one_error_line(bad, "нет-такой")
    assert files(study) == before
