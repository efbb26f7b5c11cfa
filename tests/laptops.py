"""A study shared through real git by two laptops, A and B, each with a vault of its own: what
the tests of a pulled `anonymise --apply` set up alike (tests/privacy/, tests/workspace/)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from conftest import child_env

from qualtool.coding.actions import apply_codes
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

# a committer of its own, and none of the machine's git settings (a signing or rebasing
# default would change what a test's pull does)
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_GLOBAL": os.devnull,
       "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
QUALTOOL = ("-m", "qualtool")  # how a laptop's Python is told to run qualtool


def git(cwd: Path, *args: str) -> str:
    """`git ARGS` in `cwd`, which must succeed; its output."""
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                         env={**os.environ, **ENV})  # fmt: skip
    assert out.returncode == 0, f"git {' '.join(args)}: {out.stdout}{out.stderr}"
    return out.stdout


def qualtool(root: Path, vault: Path, *args: str,
             code: Sequence[str] = QUALTOOL) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`qualtool -s ROOT ARGS` in a process of its own, as the laptop whose study is `root` and
    whose vault is `vault` runs it."""
    env = child_env(root.parent, QUALTOOL_VAULT=str(vault))
    return subprocess.run([sys.executable, *code, "-s", str(root), *args],
                          cwd=root, env=env, capture_output=True, text=True)  # fmt: skip


def named_study(tmp_path: Path, key: str, turns: Sequence[str], memo: str | None = None) -> Path:
    """A study (tmp_path/origin-wc) of one recording of R01's `turns`, its files written. With
    a `memo`: the shipped codebook, and the last turn coded whole with it (memo "" for none)."""
    study = init_study(tmp_path / "origin-wc", name="Тест", year=2025, coder="tester",
                       codebook=SHIPPED_CODEBOOK if memo is not None else None)  # fmt: skip
    ws = open_workspace(study.root, sync=True)
    add_text_recording(ws.db, key, [("R01", t) for t in turns])
    if memo is not None:
        sid = ws.db.execute("SELECT id FROM segments WHERE idx = ?", [len(turns) - 1]).fetchone()[0]
        apply_codes(ws, sid, (0, len(turns[-1])), ["INFO.HELPDESK"], "tester", memo=memo or None)
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    if memo is not None:
        ws.save_layers()
    ws.close()
    return study.root


def share(tmp_path: Path, root: Path) -> tuple[Path, Path]:
    """The study at `root` committed, pushed to a bare repository and cloned by laptop A and
    laptop B (tmp_path/a/study, tmp_path/b/study)."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "study")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(root), str(bare))
    a, b = tmp_path / "a" / "study", tmp_path / "b" / "study"
    for clone in (a, b):
        clone.parent.mkdir()
        git(clone.parent, "clone", "-q", str(bare), str(clone))
    return a, b


def apply_and_pull(a: Path, b: Path, vault_a: Path, code: Sequence[str] = QUALTOOL) -> None:
    """A anonymises its study (`--apply`), commits and pushes; B pulls — its files only, no
    command has read them yet."""
    r = qualtool(a, vault_a, "anonymise", "--apply", code=code)
    assert r.returncode == 0, r.stderr
    git(a, "add", "-A")
    git(a, "commit", "-qm", "anonymised")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
