"""Apply anonymisation everywhere, atomically (`restore.py` puts it back with the vault's key).

Everything that can hold a name is rewritten from one plan: every segment (coded or not) and
its word timings, every coding's quote and memo in every coder layer and the consensus, memos,
suggestions (quote and reason), recording notes, interviewers and participants
(audio/recordings.yml), and a recording whose key or file name holds a name is renamed
(`metadata.py`, through the recordings' rename service). Order, so a kill at any point is
recoverable:
  1. the originals (rows and the bytes of every file about to change) go to the vault;
  2. an intent file `privacy/apply-intent.json` (no originals in it) names the apply and
     holds the new texts of speakers.yml, conflicts/, the codebooks and the reference
     transcripts, cleaned by the plan (`outside.py`);
  3. one SQLite transaction writes every row, empties the undo journal, drops and queues the
     full-text index, and records the apply's id in study_meta;
  4. those texts are written, the recordings named after a person are renamed (key, transcript
     and media files; a media file outside the study only recorded under its new path), transcript
     files and codings/<coder>.json are written from the database, the index is rebuilt, VACUUM
     and a WAL checkpoint(TRUNCATE) purge freed pages; the intent goes.
On the next command `resume` looks at an intent left behind: the id in study_meta means step 3
committed, so step 4 is redone (completed); otherwise SQLite rolled step 3 back and nothing
was changed (rolled back).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualtool.domain import reason
from qualtool.domain.errors import QualtoolError
from qualtool.files import speaker_map
from qualtool.i18n import _
from qualtool.nlp import index_entry
from qualtool.privacy import decisions, lone_names, metadata, outside, outside_names, review
from qualtool.privacy import vault as vault_mod
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity
from qualtool.privacy.pseudonyms import Pseudonymiser, map_pos, numbers_in_use
from qualtool.privacy.review import forget_replaced, segment_findings, study_detector
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


@dataclass
class ApplyReport:
    apply_id: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    # speaker labels renamed ((recording, label) pairs): a name in a label is not a finding in
    # the text, so without this a labels-only apply read as «nothing found»
    speakers: int = 0
    files: int = 0
    # the words the review replaces in the segments, for every other text (in memory only)
    names: outside_names.Known = field(default_factory=dict, repr=False)
    # names in the recordings' metadata: the renames to make, the listing's findings
    metadata: metadata.Plan = field(default_factory=metadata.Plan, repr=False)
    # speakers.yml, conflicts/, the codebooks and reference transcripts cleaned (their new
    # texts, written by step 4), and the names listed in the codebooks and references
    planned: outside.Planned = field(default_factory=outside.Planned, repr=False)


def _stop_for_test(stage: str) -> None:
    """Tests kill the process here (SIGKILL) to prove recovery; inert unless asked."""
    if os.environ.get("QUALTOOL_ANONYMISE_STOP_AT") == stage:
        Path(os.environ["QUALTOOL_ANONYMISE_STOP_FLAG"]).write_text(stage)
        time.sleep(120)


def _words(raw: str, text: str, new_text: str, edits: list[Any]) -> str:
    """Word timings kept (audio redaction needs them), word texts pseudonymised: each word
    takes the part of the new text its characters map to. Words that do not spell the text
    (edited since transcription) are dropped."""
    words = json.loads(raw or "[]")
    if not words:
        return raw
    if "".join(w[2] for w in words).strip() != text.strip():
        return "[]"
    lead = len("".join(w[2] for w in words)) - len("".join(w[2] for w in words).lstrip())
    pos, out = -lead, []
    for w in words:
        a, b = pos, pos + len(w[2])
        pos = b
        na, nb = map_pos(edits, max(a, 0)), map_pos(edits, max(b, 0))
        out.append([w[0], w[1], (w[2][: max(0, -a)] if a < 0 else "") + new_text[na:nb], w[3]])
    return json.dumps(out, ensure_ascii=False)


def plan(ws: Workspace, pseud: Pseudonymiser, keys: list[str] | None = None,
         detector: Detector | None = None) -> tuple[dict[str, list[dict[str, Any]]], ApplyReport]:  # fmt: skip
    """The after-image of every row that changes (nothing is written)."""
    det = detector or study_detector(ws)
    report = ApplyReport()
    per_segment: dict[int, list[Entity]] = {}
    found = segment_findings(ws, pseud, keys, det)
    for f in found:
        if f.status != decisions.REJECT:
            per_segment.setdefault(f.segment_id, []).append(f.entity)
            report.entities[f.entity.kind.value] = report.entities.get(f.entity.kind.value, 0) + 1
    changes: dict[str, list[dict[str, Any]]] = {t: [] for t in store.COLUMNS}
    seg_edits: dict[int, tuple[str, list[Any]]] = {}
    seg_text: dict[int, str] = {}
    relabelled: set[tuple[str, str]] = set()
    # with the names a reviewer added there, and every span the review replaces in the
    # segments: a name added on its segment only stayed in the coder's memo
    report.names = outside_names.reviewed(e for ents in per_segment.values() for e in ents)
    # labels, memos and notes are read knowing the people of the recordings' metadata too, as
    # the exports read them: «Шолпан Кенжебаева:» loses her first name as well
    report.metadata = metadata.plan(ws, pseud, det, report.names, keys)
    detect = report.metadata.detect or outside_names.detector(ws, det, report.names)

    def clean(value: str | None, rec: str = "") -> str | None:
        """A text outside the segments; a recording's notes: a name alone its person's."""
        find = (lambda t: lone_names.joined(rec, detect(t), people)) if rec else detect
        return pseud.apply(value, find) if value else value

    people = review.recording_people(ws, found, det)

    labels: outside.Labels = set()  # every segment's label after the apply
    for seg in store.segments(ws.db):
        seg_text[seg["id"]] = seg["text"]
        row: dict[str, Any] = {"id": seg["id"]}
        named = seg["speaker"] and (not keys or seg["recording"] in keys)
        if named and (label := clean(seg["speaker"])) != seg["speaker"]:
            row["speaker"] = label  # «Гульнара Серикбаевна:» of an imported transcript
            relabelled.add((seg["recording"], seg["speaker"]))
        labels.add((seg["recording"], row.get("speaker", seg["speaker"])))
        ents = per_segment.get(seg["id"])
        if ents:
            new, edits = pseud.replace(seg["text"], ents)
            seg_edits[seg["id"]] = (new, edits)
            row.update(text=new, words=_words(seg["words"], seg["text"], new, edits))
        if len(row) > 1:
            changes["segments"].append(row)

    for table in ("codings", "suggestions"):
        for r in store.rows(ws.db, table):
            after = dict(r)
            if r["segment_id"] in seg_edits:
                new, edits = seg_edits[r["segment_id"]]
                s, e = map_pos(edits, r["start"]), map_pos(edits, r["end"], "end")
                after.update(start=s, end=max(e, s + 1), quote=new[s : max(e, s + 1)])
            elif r["quote"] != seg_text.get(r["segment_id"], "")[r["start"] : r["end"]]:
                after["quote"] = clean(r["quote"])  # a stale quote: scanned on its own
            # else the quote is its segment's words, reviewed there: a rejected finding, or a
            # recording left out of `anonymise KEY`, stays as the transcript keeps it
            if table == "codings":
                after["memo"] = clean(r["memo"])
            elif r["reason"]:  # the words and examples a reason quotes, its stored form kept
                after["reason"] = reason.map_text(r["reason"], lambda t: clean(t) or t)
            after.pop("segment_id")
            if any(after[c] != r[c] for c in after):
                changes[table].append(after)
    for r in store.rows(ws.db, "memos"):
        if (value := clean(r["text"])) != r["text"]:
            changes["memos"].append({"id": r["id"], "text": value})
    interviewers = {r["id"]: r["interviewer"] for r in report.metadata.recordings}
    for r in store.rows(ws.db, "recordings"):
        row = {"id": r["id"]}
        if (value := clean(r["notes"], r["key"])) != r["notes"]:
            row["notes"] = value
        if r["id"] in interviewers:
            row["interviewer"] = interviewers[r["id"]]
        if len(row) > 1:
            changes["recordings"].append(row)
    changes["participants"] = report.metadata.participants
    for r in store.rows(ws.db, "transcripts"):  # the file a transcript was imported from
        value = metadata.clean_source(r["model"], lambda t: clean(t) or t,
                                      report.metadata.clean_stem)  # fmt: skip
        for rename in report.metadata.renames:
            value = value.replace(rename.old, rename.new) if value else value
        if value != r["model"]:
            changes["transcripts"].append({"id": r["id"], "model": value})
    report.rows = {t: len(v) for t, v in changes.items()}
    report.speakers = len(relabelled)
    # last, so the people first named there are numbered after the text's, as ever
    report.planned = outside.plan_files(ws, pseud, detect, labels,
                                        {r.old for r in report.metadata.renames})  # fmt: skip
    return changes, report


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
    pseud = study_pseudonymiser(ws, vault)
    changes, report = plan(ws, pseud, keys, study_detector(ws))
    if not any(changes.values()) and not report.metadata.renames and not report.planned.texts:
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
    }  # fmt: skip
    vault.applies.append(record)
    vault.save()  # 1
    (root / INTENT).parent.mkdir(exist_ok=True)
    # the other files' new texts hold no original: a resume writes them, vault locked or not
    intent = {"apply": report.apply_id, "started": record["at"], "files": report.planned.texts}
    (root / INTENT).write_text(json.dumps(intent, ensure_ascii=False) + "\n", encoding="utf-8")
    _stop_for_test("before-db")
    try:
        store.write(ws.db, changes, report.apply_id, pause=lambda: _stop_for_test("in-db"))  # 3
    except QualtoolError:
        resume(ws, vault)  # rolled back: forget the pending apply and the intent
        raise
    _stop_for_test("committed")
    if on_step:
        on_step("database")
    report.files = _finish(ws, vault, report.apply_id)  # 4
    return report


def _finish(ws: Workspace, vault: Vault | None, apply_id: str) -> int:
    """Step 4, idempotent: files from the database, index, purge, vault bookkeeping."""
    root = ws.study.root
    entry = next((a for a in vault.applies if a["id"] == apply_id), {}) if vault else {}
    renames = entry.get("renames")
    if renames is None:  # a resumed apply whose vault is locked: found anew
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
    (root / INTENT).unlink(missing_ok=True)
    return n


def _planned_files(ws: Workspace, pseud: Pseudonymiser, entry: dict[str, Any],
                   renames: list[dict[str, Any]]) -> dict[str, dict[str, str]]:  # fmt: skip
    """The other files' new texts as the plan made them (the intent keeps them); an intent of
    an earlier release has none: they are cleaned now, knowing the people the vault's record
    names (the segments' are replaced by now)."""
    try:
        texts = json.loads((ws.study.root / INTENT).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        texts = None
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
    if apply_id and store.applied_id(ws.db) == apply_id:
        _finish(ws, vault, apply_id)
        return "completed"
    if vault is not None:
        vault.data["applies"] = [a for a in vault.applies if a["id"] != apply_id]
        vault.save()
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
    return study_pseudonymiser(ws, vault, copy=True)


def is_anonymised(ws: Workspace) -> bool:
    return store.applied_id(ws.db) is not None
