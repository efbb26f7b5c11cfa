"""Apply anonymisation everywhere, atomically (`restore.py` puts it back with the vault's key).

Everything that can hold a name is rewritten from one plan (`plan.py`: the after-image of every
row that changes, the other files' new texts), and a recording whose key or file name holds a
name is renamed (`metadata.py`, through the recordings' rename service). Order, so a kill at
any point is recoverable:
  1. the originals (rows and the bytes of every file about to change) go to the vault;
  2. an intent file `privacy/apply-intent.json` (no originals in it) names the apply and
     holds the new texts of speakers.yml, conflicts/, the codebooks and the reference
     transcripts, cleaned by the plan (`outside.py`);
  3. one SQLite transaction writes every row, empties the undo journal, drops and queues the
     full-text index, and records the apply's id in study_meta;
  4. those texts are written, the recordings named after a person are renamed (key, transcript
     and media files; a media file outside the study only recorded under its new path), transcript
     files and codings/<coder>.json are written from the database, the index is rebuilt, VACUUM
     and a WAL checkpoint(TRUNCATE) purge freed pages; what a killed command left in the study
     (scratch copies, a re-transcription's scratch database: `drop_scratch`) goes; the intent
     goes.
On the next command `resume` looks at an intent left behind: the id in study_meta means step 3
committed, so step 4 is redone (completed); otherwise SQLite rolled step 3 back and nothing
was changed (rolled back). With the vault locked then, step 4 makes the renames the intent names
(by the recording's id and their new names, the ones the vault's record journals) and the vault
learns the outcome when it next opens (`locked.py`), so `--restore` undoes that apply too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualtool.domain.errors import QualtoolError
from qualtool.files import free_text, speaker_map
from qualtool.i18n import _
from qualtool.nlp import index_entry
from qualtool.privacy import decisions, locked, metadata, originals, outside, outside_names
from qualtool.privacy import vault as vault_mod
from qualtool.privacy.detect import Detector
from qualtool.privacy.plan import ApplyReport, plan
from qualtool.privacy.pseudonyms import Pseudonymiser, numbers_in_use
from qualtool.privacy.review import forget_replaced, study_detector
from qualtool.privacy.vault import Vault
from qualtool.recordings.rename import moves_of
from qualtool.store import privacy as store
from qualtool.store import recordings as rec_store
from qualtool.store import search_index
from qualtool.store.vault import study_uuid
from qualtool.team.exchange import LAYERS_DIR, save_layers
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

INTENT = Path("privacy") / "apply-intent.json"


def _stop_for_test(stage: str) -> None:
    """Tests kill the process here (SIGKILL) to prove recovery; inert unless asked."""
    if os.environ.get("QUALTOOL_ANONYMISE_STOP_AT") == stage:
        Path(os.environ["QUALTOOL_ANONYMISE_STOP_FLAG"]).write_text(stage)
        time.sleep(120)


def numbered_plan(ws: Workspace, vault: Vault | None, keys: list[str] | None = None,
                  detector: Detector | None = None) -> tuple[Pseudonymiser, ApplyReport]:  # fmt: skip
    """What `--apply` would do, on a copy of the vault's numbering (nothing written, no number
    kept): the numbering then gives every name the number the apply will, in its order (the
    segments' people first). The listing `qualtool anonymise` prints and the review screen
    (F10) shows."""
    numbering = study_pseudonymiser(ws, vault, copy=True)
    return numbering, plan(ws, numbering, keys, detector)[1]


def _study_files(ws: Workspace) -> list[Path]:
    root = ws.study.root
    out = []
    for rec in rec_store.list_recordings(ws.db):
        out += [ws.study.transcripts_dir / f"{rec.key}.{s}" for s in ("json", "md", "srt", "vtt")]
    out += sorted((root / LAYERS_DIR).glob("*.json")) if (root / LAYERS_DIR).exists() else []
    out.append(ws.study.manifest_path)
    out.append(root / "study.toml")  # the study's name
    keys = {rec.key for rec in rec_store.list_recordings(ws.db)}
    out += free_text.orphan_transcripts(ws.study.transcripts_dir, keys)  # a removed recording's
    out.append(root / speaker_map.FILE)
    out += outside.conflict_files(ws)
    out.append(root / decisions.DECISIONS_FILE)  # `--restore` brings the done decisions back
    # examples quote interviews; WER references
    out += outside.codebook_files(ws) + outside.reference_files(ws)
    return [p for p in out if p.exists()]


def file_sha(path: Path) -> str:
    """A file's digest as the vault records it after an apply (`--restore` compares it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def anonymise(ws: Workspace, vault: Vault, keys: list[str] | None = None,
              on_step: Callable[[str], None] | None = None) -> ApplyReport:  # fmt: skip
    """Steps 1–4 above; returns what changed. Nothing to replace is a no-op (`apply_id` empty):
    rewriting every file and storing another copy of the study in the vault for no change
    would only grow the vault and the git diff."""
    root = ws.study.root
    if (root / INTENT).exists():
        resume(ws, vault)
    locked.settle(ws, vault)  # an apply finished while the vault was locked: «done» in it
    pseud = study_pseudonymiser(ws, vault)
    changes, report = plan(ws, pseud, keys, study_detector(ws))
    if not (
        any(changes.values()) or report.metadata.renames or report.planned.texts or report.conflicts
    ):
        return report  # nothing to replace: no file, row or vault copy written (apply_id "")
    report.apply_id = uuid.uuid4().hex
    before = {t: {r["id"]: r for r in store.rows(ws.db, t)} for t in store.COLUMNS}
    record = {
        "id": report.apply_id, "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "state": "pending", "names": outside_names.known_record(report.metadata.people),
        "rows": {t: [{"id": a["id"], "before": {c: before[t][a["id"]][c] for c in a if c != "id"},
                      "after": {c: a[c] for c in a if c != "id"}} for a in items]
                 for t, items in changes.items()},
        "files": {p.relative_to(root).as_posix(): {"before": base64.b64encode(p.read_bytes()).decode()}
                  for p in _study_files(ws)},
        "renames": [metadata.record(r) for r in report.metadata.renames],
        "conflicts": report.conflicts,  # `--restore` puts the listed conflicts' texts back
    }  # fmt: skip
    vault.applies.append(record)
    vault.save()  # 1
    (root / INTENT).parent.mkdir(exist_ok=True)
    # the other files' new texts hold no original: a resume writes them, vault locked or not;
    # so do the renames, named by the recording's id and their new names (`locked`)
    files = renamed_texts(report.planned.texts, report.metadata.renames)
    intent = {"apply": report.apply_id, "started": record["at"], "files": files,
              "renames": [locked.intent_record(r) for r in report.metadata.renames]}  # fmt: skip
    (root / INTENT).write_text(json.dumps(intent, ensure_ascii=False) + "\n", encoding="utf-8")
    _stop_for_test("before-db")
    try:
        store.write(
            ws.db,
            changes,
            report.apply_id,
            pause=lambda: _stop_for_test("in-db"),
            conflicts=report.conflicts,
        )  # 3
    except QualtoolError:
        resume(ws, vault)  # rolled back: forget the pending apply and the intent
        raise
    _stop_for_test("committed")
    if on_step:
        on_step("database")
    report.files = _finish(ws, vault, report.apply_id)  # 4
    report.removed = stale_exports(ws.study.root, vault)
    return report


def renamed_texts(texts: dict[str, dict[str, str]],
                  renames: list[metadata.Rename]) -> dict[str, dict[str, str]]:  # fmt: skip
    """The planned texts with each renamed recording's key already the new one: speakers.yml
    and a conflict file name a recording by its key, which the rename service retargets only
    after they are written — so the intent, outside the vault, held «интервью-гульнара-…» (an
    original) until the next command finished the apply. Written so, the rename finds nothing
    left to retarget and the outcome is the same."""
    if not renames:
        return texts
    olds = sorted({r.old for r in renames if r.old != r.new}, key=len, reverse=True)
    if not olds:
        return texts
    new = {r.old: r.new for r in renames}
    found = re.compile("|".join(rf"(?<![\w-]){re.escape(o)}(?![\w-])" for o in olds))
    return {rel: {**t, "after": found.sub(lambda m: new[m.group()], t["after"])}
            for rel, t in texts.items()}  # fmt: skip


def _finish(ws: Workspace, vault: Vault | None, apply_id: str) -> int:
    """Step 4, idempotent: files from the database, index, purge, vault bookkeeping."""
    root = ws.study.root
    entry = next((a for a in vault.applies if a["id"] == apply_id), {}) if vault else {}
    renames = entry.get("renames")
    if renames is None:  # a resumed apply whose vault is locked: the renames it journals
        renames = _intent_renames(ws)
    if renames is None:  # an intent of an earlier release: found anew
        found = metadata.plan(ws, study_pseudonymiser(ws, None), study_detector(ws), {}).renames
        renames = [metadata.record(r) for r in found]
    pseud = study_pseudonymiser(ws, vault)
    # the other files first, as planned (the rename service then retargets the keys in them)
    n = outside.write_planned(ws, _planned_files(ws, pseud, entry, renames))
    n += metadata.rename_all(ws, renames)
    for i, rec in enumerate(rec_store.list_recordings(ws.db)):
        n += len(write_outputs(ws, rec))
        if i == 0:
            _stop_for_test("files")
    n += len(save_layers(ws))
    n += forget_replaced(ws, pseud, outside_names.standing(ws))
    if ws.study.manifest_path.exists():  # recordings' notes
        ws.save_manifest()
        n += 1
    search_index.refresh(ws.db, index_entry)
    if not store.compact(ws.db):
        raise QualtoolError(
            _(
                "the text is anonymised, but another program has the study database open, so the "
                "old pages could not be purged: close it (the TUI?) and run `qualtool anonymise "
                "--apply` again"
            )
        )
    if vault is not None:
        for entry in vault.applies:
            if entry["id"] == apply_id:
                entry["state"] = "done"
                # a renamed recording's file is read where the rename put it, so `--restore`
                # (which moves it back first) can tell whether it was edited since
                moved = {a: b for r in renames for a, b in moves_of(r["old"], r["new"])}
                for rel, f in entry["files"].items():
                    path = root / rel if (root / rel).exists() else root / moved.get(rel, rel)
                    f["after"] = file_sha(path) if path.exists() else None
        vault.save()
    else:  # the vault learns it is done, and each file's digest now, when it next opens
        files = {p.relative_to(root).as_posix(): file_sha(p) for p in _study_files(ws)}
        locked.note(ws, apply_id, locked.DONE, files)
    n += drop_scratch(root)
    (root / INTENT).unlink(missing_ok=True)
    return n


# what a killed command leaves in the study: an atomic write's scratch copy («.idi-01.json.tmp»,
# «barriers.yml.part»), an import's partial media copy, and a re-transcription's scratch
# database (`transcribe.run.scratch_path`: the recording's words and metadata as decoded)
_SCRATCH = re.compile(r"^\..+\.tmp$|.+\.part$|^\.[0-9a-f]{32}\.partial$")
_RETRANSCRIBE = Path(".qualtool") / "retranscribe"


def drop_scratch(root: Path) -> int:
    """Remove what a killed command left in the study: its files hold the text as it was
    before `--apply` — names — and no step of the apply reads them, so they stayed («.idi-01.json
    .tmp», a re-transcription's scratch database). An interrupted re-transcription starts
    again (an anonymised study's is refused without --allow-originals anyway). How many."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        here = Path(folder)
        found += [here / f for f in files
                  if _SCRATCH.match(f) or here == root / _RETRANSCRIBE]  # fmt: skip
    for p in found:
        p.unlink(missing_ok=True)
    return len(found)


EXPORTS = "exports"  # where the TUI writes reports and tables (F6, F7) by default


def stale_exports(root: Path, vault: Vault | None) -> list[str]:
    """The exports in the study's exports/ folder that hold an original the apply replaced
    (one made with «Anonymise» unticked: names as spoken), removed: the study's own files are
    anonymised, and a report beside them kept every name. Made again from the study, they are
    pseudonymised (or, after `--restore`, as spoken). Their paths, relative to the study."""
    folder = root / EXPORTS
    if vault is None or not folder.is_dir():
        return []
    needles = originals.forms(originals.of(vault, root))
    removed: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if originals.holds(path.read_bytes(), needles):
            path.unlink(missing_ok=True)
            removed.append(path.relative_to(root).as_posix())
    return removed


def _intent(ws: Workspace) -> dict[str, Any]:
    try:
        found = json.loads((ws.study.root / INTENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _intent_renames(ws: Workspace) -> list[dict[str, Any]] | None:
    """The renames the intent names (`locked.from_intent`); None for an earlier release's."""
    items = _intent(ws).get("renames")
    return locked.from_intent(ws, items) if isinstance(items, list) else None


def _planned_files(ws: Workspace, pseud: Pseudonymiser, entry: dict[str, Any],
                   renames: list[dict[str, Any]]) -> dict[str, dict[str, str]]:  # fmt: skip
    """The other files' new texts as the plan made them (the intent keeps them); an intent of
    an earlier release has none: they are cleaned now, knowing the people the vault's record
    names (the segments' are replaced by now)."""
    texts = _intent(ws).get("files")
    if isinstance(texts, dict):
        return texts
    known = outside_names.known_from(entry.get("names", []))
    detect = outside_names.detector(ws, study_detector(ws), known)
    labels = {(s["recording"], s["speaker"]) for s in store.segments(ws.db)}
    return outside.plan_files(ws, pseud, detect, labels, {r["old"] for r in renames}).texts


def resume(ws: Workspace, vault: Vault | None) -> str | None:
    """Finish or forget an apply a killed process left; returns what happened (or None)."""
    path = ws.study.root / INTENT
    if not path.exists():
        return None
    try:
        apply_id = str(json.loads(path.read_text(encoding="utf-8"))["apply"])
    except (ValueError, KeyError, OSError):
        apply_id = ""
    if vault is not None:
        locked.settle(ws, vault)
    if apply_id and store.applied_id(ws.db) == apply_id:
        _finish(ws, vault, apply_id)
        return "completed"
    if vault is not None:
        vault.data["applies"] = [a for a in vault.applies if a["id"] != apply_id]
        vault.save()
    elif apply_id:  # its vault record goes when the vault next opens (`locked.settle`)
        locked.note(ws, apply_id, locked.ROLLED_BACK)
    path.unlink(missing_ok=True)
    return "rolled back"


def study_vault(ws: Workspace, passphrase: str | None = None, key_file: Path | None = None,
                create: bool = True) -> Vault:  # fmt: skip
    return vault_mod.open_vault(study_uuid(ws.db), passphrase=passphrase, key_file=key_file,
                                create=create)  # fmt: skip


def resume_on_open(ws: Workspace) -> str | None:
    """Called when a command opens the study: finish or roll back a killed apply."""
    if not (ws.study.root / INTENT).exists():
        return None
    try:
        vault: Vault | None = study_vault(ws, create=False)
    except vault_mod.VaultLocked:
        vault = None  # the files and database are still made consistent; the vault later
    return resume(ws, vault)


def study_pseudonymiser(ws: Workspace, vault: Vault | None, copy: bool = False) -> Pseudonymiser:
    """The vault's secret and numbering (new numbers kept in the vault unless `copy`), new
    numbers after every «Имя-N» already in the study (another laptop's apply, pulled); no vault:
    a throw-away secret, still numbering after those."""
    taken = numbers_in_use(store.study_texts(ws.db))
    if vault is None:
        return Pseudonymiser(taken=taken)
    earlier = outside_names.known_from(n for a in vault.applies for n in a.get("names", []))
    return Pseudonymiser(vault.secret, dict(vault.numbers) if copy else vault.numbers, taken,
                         earlier)  # fmt: skip


def export_pseudonymiser(ws: Workspace) -> Pseudonymiser:
    """For exports: the study's numbering when its vault opens, else a throw-away secret (an
    export is still pseudonymised, its numbers just are not the study's)."""
    sid = study_uuid(ws.db)
    vault: Vault | None = None
    if vault_mod.exists(sid):
        with contextlib.suppress(vault_mod.VaultLocked):  # still pseudonymised, own numbers
            vault = vault_mod.open_vault(sid, create=False)
    pseud = study_pseudonymiser(ws, vault, copy=True)
    # every person numbered first in the apply's own order (the plan, on this copy): an export
    # numbered people as it met them, so one person was «Имя-1» in the MD report, whose
    # quotes come by code, and «Имя-2» in the QDPX, whose sources come by recording
    plan(ws, pseud, None, study_detector(ws))
    return pseud


def is_anonymised(ws: Workspace) -> bool:
    return store.applied_id(ws.db) is not None
