"""`anonymise --apply` that finds nothing to replace is a no-op: it used to rewrite every
study file and store another full copy of the study in the vault."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import child_env

from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

TEXT = "Я стояла в очереди сорок минут, потом в окне три мне помогли."


def _files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() and "qualtool.db" not in p.name}  # fmt: skip


def test_nothing_found_writes_nothing(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", TEXT)])
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    before = _files(ws.study.root)
    rep = anonymise(ws, study_vault(ws))
    assert rep.apply_id == "" and rep.files == 0 and not any(rep.rows.values())
    assert _files(ws.study.root) == before
    assert study_vault(ws).applies == []  # no copy of the study stored


def test_cli_says_nothing_to_replace_and_a_second_apply_is_a_no_op(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", "Мне помогла Гульнара Серикбаевна. " + TEXT)])
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    root = ws.study.root
    ws.close()
    env = child_env(root.parent, QUALTOOL_VAULT=str(root.parent / "vault"))

    def apply() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qualtool", "-s", str(root), "anonymise",
                               "--apply"], cwd=root, env=env, capture_output=True, text=True)  # fmt: skip

    first = apply()
    assert first.returncode == 0 and "anonymised" in first.stdout, first.stderr
    vault = next((root.parent / "vault").rglob("*.vault"))
    stored = vault.read_bytes()
    before = _files(root)
    second = apply()
    assert second.returncode == 0, second.stderr
    assert "nothing to replace" in second.stdout, second.stdout
    assert _files(root) == before
    assert vault.read_bytes() == stored
