"""A hand-written audio/recordings.yml without the `recordings:` header: a bare list of
recordings is read as the list it plainly is; anything else is one clear line naming the file
and line, exit 1, and no file of the study changes (it used to crash every command with
`'CommentedSeq' object has no attribute 'get'`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qualtool.files.study import init_study

REPO = Path(__file__).resolve().parents[2]


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root.parent), "PYTHONPATH": str(REPO),
           "QUALTOOL_LANG": "en", "QUALTOOL_VAULT": str(root.parent / "vault")}  # fmt: skip
    cmd = [sys.executable, "-m", "qualtool", "-s", str(root), *args]
    return subprocess.run(cmd, cwd=root.parent, env=env, capture_output=True, text=True)


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".db"
            and ".db-" not in p.name}  # fmt: skip


def study(tmp_path: Path, manifest: str) -> Path:
    root = init_study(tmp_path / "st", name="Тест", year=2025, coder="anna").root
    assert run(root, "ls").returncode == 0  # the database made before the file is edited
    (root / "audio" / "recordings.yml").write_text(manifest, encoding="utf-8")
    return root


def test_bare_list_is_read(tmp_path: Path) -> None:
    root = study(tmp_path, "- key: idi-01\n  file: text:idi-01\n")
    before = files(root)
    r = run(root, "ls")
    assert r.returncode == 0, r.stderr
    assert "idi-01" in r.stdout and "Traceback" not in r.stderr
    assert files(root) == before  # read, not rewritten


def test_not_a_mapping_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    root = study(tmp_path, "- key: idi-01\n  file: text:idi-01\n- just a word\n")
    before = files(root)
    for args in (("ls",), ("sync",)):
        r = run(root, *args)
        assert r.returncode == 1, r.stdout
        lines = [x for x in r.stderr.splitlines() if x.strip()]
        assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
        assert "recordings.yml:3:" in lines[0] and "mapping" in lines[0]
    assert files(root) == before


def test_a_scalar_document_is_one_line(tmp_path: Path) -> None:
    root = study(tmp_path, "just text\n")
    before = files(root)
    r = run(root, "ls")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "recordings.yml" in lines[0] and "recordings:" in lines[0]
    assert files(root) == before
