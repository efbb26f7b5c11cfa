"""Undo an anonymisation (`qualtool anonymise --restore`): every finished apply the vault
holds, newest first, put back exactly as it was before — rows, files, decisions.yml, and the
recordings it renamed back under their own keys and file names. A separate action from the
apply (`apply.py`), reading only what the apply stored in the vault."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from qualtool.i18n import _
from qualtool.privacy import metadata
from qualtool.privacy.apply import file_sha
from qualtool.privacy.vault import Vault
from qualtool.recordings.rename import retarget
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace


@dataclass
class RestoreReport:
    rows: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)


def restore(ws: Workspace, vault: Vault) -> RestoreReport:
    """Undo every finished apply, newest first, each back to exactly the state before it
    (rows, files, decisions.yml). A row or file edited since an apply is left alone and named
    in `skipped`, so the user knows what did not come back (decisions made between two applies
    refer to the pseudonymised text: the older copy is not forced over them)."""
    root = ws.study.root
    report = RestoreReport()
    row_skips: list[str] = []
    kept_files: list[str] = []
    for rec in reversed([a for a in vault.applies if a.get("state") == "done"]):
        updates: dict[str, list[dict[str, Any]]] = {}
        for table, items in rec["rows"].items():
            for item in items:
                now = store.current(ws.db, table, item["id"])
                if now is None or any(now[c] != v for c, v in item["after"].items()):
                    row_skips.append(
                        _("{table} {id}: changed since, kept").format(table=table, id=item["id"])
                    )
                    continue
                updates.setdefault(table, []).append({"id": item["id"], **item["before"]})
        store.restore_rows(ws.db, updates)
        report.rows += sum(len(v) for v in updates.values())
        lost = {f"transcripts/{key}." for key in metadata.rename_back(ws, rec.get("renames", []))}
        for rel, f in rec["files"].items():
            path = root / rel
            if rel[: rel.rfind(".") + 1] in lost:
                report.skipped.append(_("{path}: its recording was renamed since, kept as it "
                                        "is").format(path=rel))  # fmt: skip
                continue
            if f.get("after") and path.exists() and file_sha(path) != f["after"]:
                kept_files.append(rel)
                report.skipped.append(_("{path}: changed since, kept").format(path=rel))
                continue
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(base64.b64decode(f["before"]))
            tmp.replace(path)
            report.files += 1
        for r in rec.get("renames", []):  # files the vault does not hold (assignments.yml)
            retarget(ws, r["new"], r["old"])
    vault.data["applies"] = [a for a in vault.applies if a.get("state") != "done"]
    vault.save()
    if report.files and row_skips and not any(s.endswith(".json") for s in kept_files):
        # rows differ but every transcript and layer file came back: the database was rebuilt
        # since the apply (row ids differ), so the restored files are the truth and are read
        # back; a file kept (decisions.yml edited between two applies) is still named
        ws.sync(force=True)
    else:
        report.skipped = row_skips + report.skipped
    return report
