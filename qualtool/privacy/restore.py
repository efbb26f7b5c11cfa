"""`anonymise --restore`: every finished apply undone, newest first, and an apply leaves the
vault only when every original it holds is back.

Applies chain: a later apply's before-image is the state an earlier one left, so they are
undone last first. A value edited since an apply is not simply skipped (that lost the
originals for good when the vault entry was then deleted): each column is restored on its
own, and a text edited since is merged three ways — the spans the apply replaced, found
unchanged in the current text, get their originals back; an edit elsewhere in the text stays.
A replaced span the edit removed has nothing left to restore. What really cannot come back (the
pseudonym is still there, but edited around) is named, one line per item, and stays in the
vault: the entry keeps exactly the items not restored, so a second `--restore` after fixing
them finishes. Files written from the database (transcripts, coder layers,
audio/recordings.yml) are rewritten from the restored rows when they changed since, so the
files, the disk and the database agree; the other files (decisions, speaker map, conflicts)
are put back only byte for byte.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from qualtool.domain.errors import QualtoolError
from qualtool.files.codebook import load_codebook
from qualtool.i18n import _
from qualtool.privacy import locked, metadata
from qualtool.privacy.vault import Vault
from qualtool.recordings.rename import moves_of, retarget
from qualtool.store import file_state
from qualtool.store import privacy as store
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import sync_codebook
from qualtool.team.exchange import LAYERS_DIR, save_layers
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

_GAP = 4  # replaced runs closer than this are one span (a name and its pseudonym share letters)


@dataclass
class RestoreReport:
    rows: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)
    kept: int = 0  # items whose originals stay in the vault (not put back)
    rewritten: int = 0  # files edited since an apply, rewritten from the restored rows
    codebook: bool = False  # a codebook file put back: its codes are read into the database


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spans(before: str, after: str) -> list[tuple[int, int, int, int]]:
    """The runs the apply replaced: (before start, end, after start, end)."""
    out: list[list[int]] = []
    ops = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if out and j1 - out[-1][3] < _GAP and i1 - out[-1][1] < _GAP:
            out[-1][1], out[-1][3] = i2, j2
        else:
            out.append([i1, i2, j1, j2])
    return [(a, b, c, d) for a, b, c, d in out]


def merge_back(before: str, after: str, now: str) -> str | None:
    """`now` with the originals the apply replaced (`before` → `after`) put back where its
    pseudonyms are still as the apply wrote them; None when one is there but edited around."""
    matcher = SequenceMatcher(None, after, now, autojunk=False)
    equal = [(i1, i2, j1) for tag, i1, i2, j1, _j2 in matcher.get_opcodes() if tag == "equal"]
    out, cuts = now, []
    for b1, b2, a1, a2 in _spans(before, after):
        # the span with one unchanged character either side, so it is the same place in `now`
        lo, hi = max(a1 - 1, 0), min(a2 + 1, len(after))
        block = next((e for e in equal if e[0] <= lo and hi <= e[1]), None)
        shift = block[2] - block[0] if block is not None else 0
        if block is not None and _edges(after, now, a1, a2, shift):
            cuts.append((a1 + shift, a2 + shift, before[b1:b2]))
        elif after[a1:a2].strip() and after[a1:a2] in now:
            return None  # the pseudonym is still there, the text around it edited
        # else the edit removed it: nothing of this original is left to restore
    for s, e, text in sorted(cuts, reverse=True):
        out = out[:s] + text + out[e:]
    return out


def _edges(after: str, now: str, a1: int, a2: int, shift: int) -> bool:
    """The span ends where a word ends in `now` too: «Имя-3» typed on into «Имя-39» is not
    the apply's pseudonym any more (a comma or a space after it is)."""
    outside = ((after[a1 - 1 : a1], now[a1 + shift - 1 : a1 + shift]),
               (after[a2 : a2 + 1], now[a2 + shift : a2 + shift + 1]))  # fmt: skip
    return all(was == got or not got.isalnum() for was, got in outside)


def _column(before: Any, after: Any, now: Any) -> tuple[bool, Any]:
    """(restored, the value to write or None to leave it)."""
    if now == after:
        return True, before
    if now == before:
        return True, None
    if isinstance(before, str) and isinstance(after, str) and isinstance(now, str):
        merged = merge_back(before, after, now)
        if merged is not None:
            return True, (merged if merged != now else None)
    return False, None


def _rows(ws: Workspace, rec: dict[str, Any], report: RestoreReport) -> dict[str, list[Any]]:
    """Each row's columns back; returns the items (columns) that stay in the vault."""
    updates: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, list[dict[str, Any]]] = {}
    for table, items in rec["rows"].items():
        for item in items:
            now = store.current(ws.db, table, item["id"])
            put: dict[str, Any] = {}
            left: list[str] = []
            for col, after in item["after"].items():
                done, value = _column(item["before"][col], after, None if now is None else now[col])
                if not done or now is None:
                    left.append(col)
                elif value is not None:
                    put[col] = value
            if put:
                updates.setdefault(table, []).append({"id": item["id"], **put})
            if left:
                kept.setdefault(table, []).append({
                    "id": item["id"], "before": {c: item["before"][c] for c in left},
                    "after": {c: item["after"][c] for c in left}})  # fmt: skip
    store.restore_rows(ws.db, updates)
    report.rows += sum(len(v) for v in updates.values())
    return kept


def _derived(ws: Workspace, rel: str) -> bool:
    """A file written from the database: rewritten from the restored rows."""
    layer = rel.startswith(f"{LAYERS_DIR}/") and rel.endswith(".json")
    return layer or rel.startswith("transcripts/") or ws.study.root / rel == ws.study.manifest_path


def _one(ws: Workspace, rec: dict[str, Any], report: RestoreReport) -> dict[str, Any]:
    """Undo one apply; returns what stays in its vault entry."""
    root = ws.study.root
    kept_rows = _rows(ws, rec, report)
    # the listed conflicts as they were (one resolved since stays resolved), before the renames
    # back, which then find their keys already the old ones
    file_state.put_back_conflicts(ws.db, rec.get("conflicts", []))
    renames = rec.get("renames", [])
    lost_keys = set(metadata.rename_back(ws, renames))
    lost = {a for key in lost_keys for a, _b in moves_of(key, key)}
    kept_files: dict[str, Any] = {}
    rewrite: set[str] = set()
    for rel, f in rec["files"].items():
        path = root / rel
        if rel in lost:
            kept_files[rel] = f
            report.skipped.append(_("{path}: its recording was renamed since, kept as it "
                                    "is").format(path=rel))  # fmt: skip
            continue
        if f.get("after") and path.exists() and _sha(path) != f["after"]:
            if _derived(ws, rel):
                rewrite.add(rel)  # from the rows just restored, below
                continue
            kept_files[rel] = f
            report.skipped.append(
                _("{path}: changed since, its original stays in the vault").format(path=rel)
            )
            continue
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(base64.b64decode(f["before"]))
        tmp.replace(path)
        report.files += 1
        if path.parent == ws.study.codebooks_dir:
            report.codebook = True
    for r in renames:  # files the vault does not hold (assignments.yml)
        if r["old"] not in lost_keys:
            retarget(ws, r["new"], r["old"])
    report.files += _rewrite(ws, rewrite)
    report.rewritten += len(rewrite)
    return {"rows": kept_rows, "files": kept_files,
            "renames": [r for r in renames if r["old"] in lost_keys]}  # fmt: skip


def _rewrite(ws: Workspace, rels: set[str]) -> int:
    """The database-written files edited since an apply, written again from the restored rows
    (recordings.yml, a transcript, a coder layer), so they agree with the database."""
    n = 0
    for rec in rec_store.list_recordings(ws.db):
        if any(r.startswith(f"transcripts/{rec.key}.") for r in rels):
            n += len(write_outputs(ws, rec))
    if any(r.startswith(f"{LAYERS_DIR}/") for r in rels):
        n += len(save_layers(ws))
    if any(ws.study.root / r == ws.study.manifest_path for r in rels):
        ws.save_manifest()
        n += 1
    return n


def restore(ws: Workspace, vault: Vault) -> RestoreReport:
    """Every finished apply undone, newest first; see the module's docstring."""
    report = RestoreReport()
    locked.settle(ws, vault)  # an apply finished while the vault was locked is undone too
    kept: dict[str, dict[str, Any]] = {}
    for rec in reversed([a for a in vault.applies if a.get("state") == "done"]):
        kept[rec["id"]] = _one(ws, rec, report)
    if report.files and not report.rewritten and any(k["rows"] for k in kept.values()):
        # rows differ but every file came back byte for byte (none had changed since, so no
        # edit was made here): the database was rebuilt since the apply (row ids differ), so
        # the restored files are the truth and are read back; their rows are theirs
        ws.sync(force=True)
        for k in kept.values():
            k["rows"] = {}
    lines = [
        _("{table} {id} ({columns}): changed since, its original stays in the vault").format(
            table=table, id=item["id"], columns=", ".join(item["after"])
        )
        for k in kept.values() for table, items in k["rows"].items() for item in items
    ]  # fmt: skip
    report.skipped = lines + report.skipped
    if report.codebook and ws.study.codebook_path.exists():
        path = ws.study.codebook_path  # the examples' originals back in the codes table
        with contextlib.suppress(QualtoolError):  # a broken file: `codebook check` tells
            sync_codebook(ws.db, load_codebook(path), str(path))
    entries = []
    for a in vault.applies:
        left = kept.get(a["id"])
        if left is None:
            entries.append(a)  # not finished: `resume` owns it
        elif left["rows"] or left["files"] or left["renames"]:
            entries.append({**a, **left})
            report.kept += sum(len(v) for v in left["rows"].values()) + len(left["files"])
            report.kept += len(left["renames"])
    vault.data["applies"] = entries
    vault.save()
    return report
