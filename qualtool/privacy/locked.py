"""An apply finished (or rolled back) by the next command while the vault was locked.

A killed `anonymise --apply` is finished when the study is next opened (`apply.resume_on_open`),
whether or not the vault opens then — a passphrase not given, a key file on another disk. Its
vault record was written in step 1, with every original and every rename's old and new key and
file name (`metadata.record`), but without the vault nothing can be written into it: the finish
used to find the renames anew (with a throw-away numbering: «интервью-имя-5» where the vault
planned «интервью-имя-1») and left the record «pending», which `--restore` skips — none of
that apply came back, its renames least of all.

So the intent file names each rename by the recording's row id and its new names only
(`intent_record`: never an old key or path, which may be a name), and a finish without the vault
makes exactly those (`from_intent`), the ones the vault's record journals. What it cannot write
into the vault — that the apply is done, and each file's digest after it, which `--restore`
weighs an edit made since by — it notes in the study's database (`note`: apply ids, the files'
new paths and digests, no original), and the vault's record learns it the next time the vault
opens (`settle`: `--apply`, `--restore`, a resumed apply), the old paths found through the
record's own renames. An apply rolled back while the vault was locked leaves the vault, too.
"""

from __future__ import annotations

from typing import Any

from qualtool.privacy.metadata import Rename
from qualtool.privacy.vault import Vault
from qualtool.recordings.rename import moves_of
from qualtool.store import privacy as store
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import Workspace

DONE, ROLLED_BACK = "done", "rolled back"


def intent_record(r: Rename) -> dict[str, Any]:
    """A rename as the intent file keeps it, outside the vault: the recording by its row id and
    only the new names (which the study holds after the apply anyway)."""
    return {"id": r.rec_id, "new": r.new, "media": r.media,
            "outside": r.new_path if r.outside else None}  # fmt: skip


def from_intent(ws: Workspace, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The intent's renames as `metadata.rename_all` reads them, each recording's key looked up
    by its row id (the new key already, where the rename was made before a kill)."""
    keys = {r.id: r.key for r in rec_store.list_recordings(ws.db)}
    return [{"old": keys[i["id"]], "new": i["new"], "media": i["media"], "outside": i["outside"]}
            for i in items if isinstance(i, dict) and i.get("id") in keys]  # fmt: skip


def note(ws: Workspace, apply_id: str, state: str, files: dict[str, str] | None = None) -> None:
    """An apply finished (`DONE`, with the digest of each study file at its path after the
    finish) or rolled back while the vault was locked, for `settle`."""
    outcomes = store.locked_outcomes(ws.db)
    outcomes[apply_id] = {"state": state, "files": files or {}}
    store.set_locked_outcomes(ws.db, outcomes)


def settle(ws: Workspace, vault: Vault) -> bool:
    """The vault's records of the applies finished or rolled back while it was locked brought up
    to date: a finished one «done», each file's digest after the apply recorded under its old
    path (as `apply._finish` records it with the vault open), so `--restore` undoes it and its
    renames; a rolled-back one dropped. True when the vault changed."""
    outcomes = store.locked_outcomes(ws.db)
    if not outcomes:
        return False
    entries = []
    for entry in vault.applies:
        got = outcomes.get(str(entry.get("id", "")))
        if got is None or entry.get("state") != "pending":
            entries.append(entry)
            continue
        if got.get("state") == ROLLED_BACK:
            continue
        after: dict[str, str] = got.get("files") or {}
        moved = {a: b for r in entry.get("renames", []) for a, b in moves_of(r["old"], r["new"])}
        for rel, f in entry.get("files", {}).items():
            f["after"] = after.get(rel) or after.get(moved.get(rel, rel))
        entries.append({**entry, "state": DONE})
    vault.data["applies"] = entries
    vault.save()
    store.set_locked_outcomes(ws.db, {})
    return True
