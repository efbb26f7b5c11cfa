"""Pulling a colleague's `anonymise --apply` brings no name back into the shared files (leak
hunt, session 9). B had a database of the named text; A applied and pushed; B pulled. The
first sync re-anchored B's coding (a long quote follows the pulled text) on the pulled text instead of letting the pulled layer bring
it, so the layer merge saw a change made on B, kept both memos — «Бахыт … — Имя-1 …» — and
wrote B's original into codings/tester.json, which B's next commit shares again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qualtool.coding.actions import apply_codes
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

REPO = Path(__file__).resolve().parents[2]
NAMED = "Оператор Бахыт Жумабаев ответил общими фразами и велел прийти завтра с полным пакетом документов."
MEMO = "Жумабаеву звонили дважды, Бахыт не ответил"
FORMS = ["Бахыт", "Жумабаев"]


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "qa", "GIT_AUTHOR_EMAIL": "qa@x",
           "GIT_COMMITTER_NAME": "qa", "GIT_COMMITTER_EMAIL": "qa@x", "HOME": str(cwd)}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def qualtool(root: Path, vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root.parent), "PYTHONPATH": str(REPO),
           "QUALTOOL_LANG": "en", "QUALTOOL_VAULT": str(vault)}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "qualtool", "-s", str(root), *args],
                          cwd=root, env=env, capture_output=True, text=True)  # fmt: skip


def shared_study(tmp_path: Path) -> tuple[Path, Path]:
    study = init_study(tmp_path / "origin-wc", name="Тест", year=2025, coder="tester")
    (study.codebooks_dir / "barriers.yml").write_bytes(
        (REPO / "codebooks" / "barriers.yml").read_bytes()
    )
    ws = open_workspace(study.root, sync=True)
    add_text_recording(ws.db, "ms-01", [("R01", "Очередь была большая."), ("R01", NAMED)])
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    apply_codes(ws, sid, (0, len(NAMED)), ["INFO.HELPDESK"], "tester", memo=MEMO)
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    git(study.root, "init", "-q", "-b", "main")
    git(study.root, "add", "-A")
    git(study.root, "commit", "-qm", "study")
    git(tmp_path, "clone", "-q", "--bare", str(study.root), str(tmp_path / "origin.git"))
    a, b = tmp_path / "a" / "study", tmp_path / "b" / "study"
    for c in (a, b):
        c.parent.mkdir()
        git(c.parent, "clone", "-q", str(tmp_path / "origin.git"), str(c))
    return a, b


def test_a_pulled_apply_writes_no_original_memo_back(tmp_path: Path) -> None:
    a, b = shared_study(tmp_path)
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0  # B has a database of the named text
    r = qualtool(a, va, "anonymise", "--apply")
    assert r.returncode == 0, r.stderr
    git(a, "add", "-A")
    git(a, "commit", "-qm", "anonymised")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    r = qualtool(b, vb, "sync")
    assert r.returncode == 0, r.stderr
    layer = (b / "codings" / "tester.json").read_bytes()
    pulled = (a / "codings" / "tester.json").read_bytes()
    for form in FORMS:
        for f in (form, form.upper(), form.lower()):
            assert f.encode() not in layer, f
    assert "conflict" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert layer == pulled  # B's files are the pulled ones: nothing to commit
    ws = open_workspace(b)
    memo = ws.db.execute("SELECT memo FROM codings").fetchone()[0]
    ws.close()
    assert memo.count("Имя-") == 2 and "—" not in memo, memo  # one memo, A's
