"""Keeping codings/<coder>.json and the database in step, never losing either side's work.

Every coder's decisions (codings with memos and key quotes, memos, suggestion decisions; the
consensus layer also its adjudications) live in `codings/<coder>.json`. The database is a cache:

- `reconcile` runs before anything is read or written: each layer file whose content hash differs
  from the one recorded at the last sync (a `git pull`, a colleague's copy) is re-read and merged
  three-way (the file, the database, what both agreed on last time) into the database;
- `save` then writes a file only when its records differ from the file's, so opening a fresh
  clone, reading or reporting never changes a tracked file.

A record changed on both sides is combined (both memos kept, a pin kept) and reported; a record
this study cannot place (unknown recording or code, quote gone) stays in the file untouched.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualtool.domain import Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.names import check_name
from qualtool.files import layer_format as fmt
from qualtool.files import layer_merge, writing
from qualtool.files.layer_format import Key, Record
from qualtool.files.writing import write_if_changed
from qualtool.i18n import _
from qualtool.store import file_state
from qualtool.store import layers as rows
from qualtool.store.codebook import resolve_code_id
from qualtool.store.codings import (
    add_coding,
    add_memo,
    delete_memo,
    list_memos,
    note_written_code,
    update_coding,
)
from qualtool.workspace.carry import Carrier, carry_layer
from qualtool.workspace.placing import Placer, sha

if TYPE_CHECKING:
    from qualtool.workspace.study import Workspace

LAYERS_DIR = "codings"
RETRY = "retry:"  # before a file's hash: read, but some of its records are still to be placed


@dataclass
class LayerReport:
    files_read: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    # placed where its quote is now, not at the line's own segment and span (a line written
    # before a transcript edit, a stale line a union merge kept): not new work, not «added»
    reanchored: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def count(self, table: dict[str, int], coder: str, n: int = 1) -> None:
        if n:
            table[coder] = table.get(coder, 0) + n


# --- the database's records ------------------------------------------------------------------


def local_records(ws: Workspace, coder: str) -> tuple[dict[Key, Record], dict[Key, Any]]:
    """(records, handle per record: coding id, memo id, (segment, code) ruled out, (segment,
    code, coder as stored) of a suggestion decision)."""
    recs: dict[Key, Record] = {}
    handles: dict[Key, Any] = {}

    def put(rec: Record, handle: Any) -> None:
        key = fmt.record_key(rec)
        recs[key], handles[key] = rec, handle

    for r in rows.coding_rows(ws.db, coder):
        rec = {"kind": "coding", "recording": r["key"], "recording_sha256": r["checksum"],
               "segment": r["idx"], "segment_sha": sha(r["segment_text"]), "start": r["start"],
               "end": r["end"], "quote": r["quote"], "code": r["code_id"], "memo": r["memo"],
               "provenance": r["provenance"], "key_quote": bool(r["key_quote"])}  # fmt: skip
        put(fmt.placed_at(rec, json.loads(r["origin"]) if r["origin"] else fmt.origin(rec)),
            r["id"])  # fmt: skip
    for m in list_memos(ws.db, coder=coder):
        put({"kind": "memo", "target_type": m.target_type, "target_id": str(m.target_id),
             "text": m.text}, m.id)  # fmt: skip
    if coder == rows.CONSENSUS:
        for a in rows.absent_rows(ws.db):
            put({"kind": "absent", "recording": a["key"], "segment": a["idx"],
                 "code": a["code_id"], "decided_by": a["decided_by"], "note": a["note"]},
                (a["segment_id"], a["code_id"]))  # fmt: skip
    for g in rows.decided_suggestions(ws.db):
        if (g["coder_id"] or ws.study.config.default_coder) == coder:
            rec = {"kind": "suggestion", "recording": g["key"], "segment": g["idx"],
                   "code": g["code_id"], "start": g["start"], "end": g["end"],
                   "quote": g["quote"], "score": round(float(g["score"]), 3),
                   "reason": g["reason"], "status": g["status"]}  # fmt: skip
            if g["origin"] is not None and g["origin"] != g["idx"]:
                rec["origin"] = g["origin"]  # renumbered by a split or merge: its identity
            put(rec, (g["segment_id"], g["code_id"], g["coder_id"]))
    return recs, handles


# --- applying a merged result to the database ------------------------------------------------


def _add(ws: Workspace, placer: Placer, coder: str, rec: Record) -> bool:
    """Place one record; True when it went elsewhere than its line says (re-anchored)."""
    kind = rec["kind"]
    if kind == "coding":
        code = resolve_code_id(ws.db, rec["code"])
        sid, start, end = placer.coding(rec)
        moved = (sid, start, end) != placer.at(rec)
        added = add_coding(ws.db, Coding(sid, code, coder, start, end, "", memo=rec.get("memo"),
                                         provenance=Provenance(rec.get("provenance") or "manual"),
                                         key_quote=bool(rec.get("key_quote"))),
                           origin=fmt.origin(rec))  # fmt: skip
        if code != rec["code"]:  # a code merged here since: undoing the merge gives it back
            note_written_code(ws.db, added.id or 0, str(rec["code"]))
        return moved
    if kind == "memo":
        add_memo(ws.db, Memo(rec["target_type"], rec["target_id"], rec["text"], coder))
    elif kind == "absent":
        code = resolve_code_id(ws.db, rec["code"])
        rows.set_absent(ws.db, placer.segment(rec), code, rec.get("decided_by"), rec.get("note"))
    elif kind == "suggestion":
        sid, start, end = placer.decision(rec)
        moved = (sid, start, end) != placer.at(rec)
        rec = {**rec, "code": resolve_code_id(ws.db, rec["code"]), "start": start, "end": end,
               "origin": fmt.decision_origin(rec)}  # fmt: skip
        rows.restore_decision(ws.db, sid, rec, coder)
        return moved
    return False


def _remove(ws: Workspace, kind: str, handle: Any) -> None:
    if kind == "coding":
        rows.delete_codings(ws.db, [int(handle)])
    elif kind == "memo":
        delete_memo(ws.db, int(handle))
    elif kind == "absent":
        rows.remove_absent(ws.db, *handle)
    elif kind == "suggestion":
        rows.undecide(ws.db, *handle)


def _update(ws: Workspace, placer: Placer, coder: str, rec: Record, handle: Any,
            here: Record) -> bool:  # fmt: skip
    """Change one placed record to the file's version; True when it went elsewhere than its
    line says (a line from before a re-anchor: counted as re-anchored, not changed)."""
    if rec["kind"] != "coding":
        return _add(ws, placer, coder, rec)  # memo, absent and suggestion writes are upserts
    moved = False
    if any(rec.get(k) != here.get(k) for k in ("segment", "start", "end", "code")):
        # a colleague's re-anchor or recode of one coding (its identity kept): the row
        # moves, so it stays one coding with the same id
        sid, start, end = placer.coding(rec)
        moved = (sid, start, end) != placer.at(rec)
        code = resolve_code_id(ws.db, rec["code"])
        update_coding(ws.db, int(handle), segment_id=sid, start=start, end=end, code_id=code)
    rows.update_coding(ws.db, int(handle), rec.get("memo"), bool(rec.get("key_quote")),
                       rec.get("provenance") or "manual")  # fmt: skip
    return moved


def apply(
    ws: Workspace, coder: str, result: dict[Key, Record], report: LayerReport, source: str
) -> set[Key]:
    """Make the database hold `result` for this coder; returns the keys it could not place."""
    local, handles = local_records(ws, coder)
    placer = Placer(ws)
    unplaced: set[Key] = set()
    result = {k: v for k, v in result.items() if not fmt.is_dead(v)}  # a tombstone: no row
    for key in sorted(set(local) - set(result), key=str):
        _remove(ws, key[0], handles[key])
        report.count(report.removed, coder)
    for key in sorted(set(result) - set(local), key=str):
        try:
            moved = _add(ws, placer, coder, result[key])
        except (NotFound, InvalidInput) as exc:
            unplaced.add(key)
            report.unplaced.append(f"{source}: {fmt.describe(key)}: {exc}")
            continue
        report.count(report.reanchored if moved else report.added, coder)
    for key in set(result) & set(local):
        if not fmt.same(result[key], local[key]):
            try:
                moved = _update(ws, placer, coder, result[key], handles[key], local[key])
            except (NotFound, InvalidInput) as exc:
                unplaced.add(key)
                report.unplaced.append(f"{source}: {fmt.describe(key)}: {exc}")
                continue
            report.count(report.reanchored if moved else report.updated, coder)
    return unplaced


# --- files ----------------------------------------------------------------------------------


def _rel(coder: str) -> str:
    return f"{LAYERS_DIR}/{coder}.json"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            _("{path}: cannot read ({error})").format(path=path, error=exc)
        ) from None


def _state(ws: Workspace, coder: str) -> tuple[str | None, dict[Key, Record]]:
    """(the file's hash when read, what both sides agreed on) under the keys of now: with a
    followed rename's old key a memo here read as changed on both sides (a pulled `--apply`)."""
    st = file_state.get(ws.db, _rel(coder))
    if st is None:
        return None, {}
    agreed = fmt.Parsed(coder, {fmt.record_key(r): r for r in json.loads(st[1] or "[]")})
    carry_layer(ws, agreed)
    return st[0], agreed.records


def _remember(ws: Workspace, coder: str, text: str | None, base: dict[Key, Record],
              complete: bool = True) -> None:  # fmt: skip
    """What both sides agree on now. A file with records this study could not place yet (a
    code from a codebook still in a git conflict) is not marked read (`complete` False): its
    hash is remembered as a retry, so the next sync reads it again and places them then."""
    if text is None and not base:
        file_state.forget(ws.db, _rel(coder))
        return
    encoded = json.dumps([base[k] for k in sorted(base, key=str)], ensure_ascii=False)
    seen = sha(text or "")
    file_state.put(ws.db, _rel(coder), seen if complete else RETRY + seen, encoded)


def file_coders(ws: Workspace) -> list[str]:
    folder = ws.study.root / LAYERS_DIR
    on_disk = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
    known = {Path(p).stem for p in file_state.paths(ws.db, LAYERS_DIR + "/")}
    return sorted(on_disk | known)


def reconcile(ws: Workspace, report: LayerReport | None = None,
              dropped: Iterable[tuple[str, Key]] = ()) -> LayerReport:  # fmt: skip
    """Re-read every layer file changed on disk since the last sync, before any write.
    `dropped`: codings this sync deleted because the pulled file moves them (`superseded`):
    unchanged here, not deleted — the file's new place is taken, no tombstone is written."""
    report = report or LayerReport()
    gone: dict[str, set[Key]] = {}
    for who, key in dropped:
        gone.setdefault(who, set()).add(key)
    carrier = Carrier(ws)
    for coder in file_coders(ws):
        path = ws.study.root / _rel(coder)
        text = _read(path)
        seen, base = _state(ws, coder)
        if text is not None and seen == sha(text):
            continue
        if text is None and seen is None:
            continue
        try:
            check_name(coder, "coder")
            parsed = fmt.parse(text, _rel(coder)) if text is not None else fmt.Parsed(coder)
            carry_layer(ws, parsed, carrier)  # a colleague's lines under a renamed key
        except InvalidInput as exc:
            report.unreadable.append(_rel(coder))  # the file stays as it is; nothing is written
            report.conflicts.append(str(exc))
            continue
        if seen != RETRY + sha(text or ""):  # a retry of the same text is not news
            report.files_read.append(_rel(coder))
        report.conflicts += parsed.conflicts
        local = local_records(ws, coder)[0]
        for key in gone.get(coder, set()) - set(local):
            if key in base:
                local[key] = base[key]  # apply re-places it from the file's line
        merged = layer_merge.merge3(base, parsed.records, local)
        report.conflicts += [f"{_rel(coder)}: {c}" for c in merged.conflicts]
        unplaced = apply(ws, coder, merged.records, report, _rel(coder))
        found = parsed.conflicts + [f"{_rel(coder)}: {c}" for c in merged.conflicts]
        if found:
            file_state.add_conflicts(ws.db, found)  # the list to resolve: `qualtool conflicts`
        placed = {k: v for k, v in parsed.records.items() if k not in unplaced}
        _remember(ws, coder, text, placed, complete=not unplaced)
    return report


def superseded(ws: Workspace) -> dict[int, tuple[str, Key]]:
    """Codings a pulled layer file drops (in what both sides last agreed on, unchanged here,
    gone from the file): the pull moved or removed them. A pulled transcript whose old text
    they sat on (an anonymised study's names) may then be imported without placing them —
    the layer file, read right after, brings their new versions — instead of refusing the
    transcript and leaving the first command on the old text. Coding id → (coder, its layer
    key): `reconcile` is told, so a row the sync dropped is not read as a deletion here."""
    out: dict[int, tuple[str, Key]] = {}
    for coder in file_coders(ws):
        text = _read(ws.study.root / _rel(coder))
        seen, base = _state(ws, coder)
        if text is None or seen is None or seen == sha(text):
            continue
        try:
            pulled = fmt.parse(text, _rel(coder)).records
        except InvalidInput:
            continue  # reconcile reports the unreadable file
        local, handles = local_records(ws, coder)
        for key, rec in base.items():
            unchanged_here = key in local and fmt.same(rec, local[key])
            now = pulled.get(key)
            gone = now is None or fmt.is_dead(now) or not fmt.same(now, rec)  # moved, ended
            if key[0] == "coding" and gone and unchanged_here:
                out[int(handles[key])] = (coder, key)
    return out


_TOMBSTONES = {"memo": fmt.memo_tombstone, "suggestion": fmt.decision_tombstone}


def _committed(ws: Workspace, rel: str) -> dict[Key, Record]:
    """The layer's records as the last commit has them (none outside git)."""
    head = writing.committed(ws.study.root, rel)
    try:
        return fmt.parse(head, rel).records if head else {}
    except InvalidInput:
        return {}


def save(ws: Workspace, report: LayerReport | None = None, dry_run: bool = False,
         unmade: Collection[tuple[str, tuple[Any, ...]]] = ()) -> LayerReport:  # fmt: skip
    """Reconcile, then write each layer whose records differ from its file (`dry_run`: only
    list them in `written`). `unmade`: (coder, origin) of codings an undo takes back that its
    step made — as if never made, they leave no tombstone."""
    report = reconcile(ws, report)
    carrier = Carrier(ws)
    coders = sorted(set(file_coders(ws)) | rows.layer_coders(ws.db))
    for coder in coders:
        rel = _rel(coder)
        if rel in report.unreadable:
            continue  # an unreadable file (merge conflict markers) is never overwritten
        try:
            check_name(coder, "coder")
        except InvalidInput as exc:  # a name from an older database: never a path
            report.conflicts.append(
                _("{error}; its codings stay in the database only").format(error=exc)
            )
            continue
        path = ws.study.root / rel
        text = _read(path)
        try:
            parsed = fmt.parse(text, rel) if text is not None else fmt.Parsed(coder)
        except InvalidInput:
            continue
        carried = carry_layer(ws, parsed, carrier)
        disk = parsed.records
        base = _state(ws, coder)[1]
        local = local_records(ws, coder)[0]
        result = layer_merge.merge3(base, disk, local).records
        ended = [k for k, v in result.items() if fmt.is_dead(v) and not fmt.is_dead(disk.get(k))]
        unmade_here = [k for k in ended if (coder, tuple(k[2:])) in unmade]
        # a memo deleted, a suggestion decision undone: no line of their own in the merge
        ended_here = [k for k, v in disk.items() if k[0] in _TOMBSTONES and k not in result
                      and not fmt.is_dead(v) and k in base]  # fmt: skip
        if unmade_here or ended_here:
            # a creation undone goes as if never made, a deleted memo or an undone decision
            # leaves no line — unless it was committed: a colleague may hold its line
            # (re-anchored, edited, renumbered) and a union merge would bring it back silently
            shared = _committed(ws, rel)
            for key in unmade_here:
                if key not in shared:
                    del result[key]
            for key in ended_here:
                if key in shared and not fmt.is_dead(shared[key]):
                    result[key] = _TOMBSTONES[key[0]](disk[key])
        if dry_run:
            if result != disk or carried:
                report.written.append(path)
            continue
        placed = {k: v for k, v in result.items() if k in local or fmt.is_dead(v)}
        # a union merge's repeated line, a line under a renamed key: written back once, clean
        if result == disk and not parsed.duplicates and not carried:
            if text is not None:
                _remember(ws, coder, text, placed, complete=len(placed) == len(result))
            continue
        # a layer left with no record stays, empty and valid: deleting it made git's merge a
        # modify/delete conflict when the other laptop had changed the file
        new = fmt.render(coder, result)
        write_if_changed(path, new)
        report.written.append(path)
        _remember(ws, coder, new, placed, complete=len(placed) == len(result))
    ws.wrote(report.written)
    return report
