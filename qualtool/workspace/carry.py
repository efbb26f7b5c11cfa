"""A colleague's work under a recording's old key, carried to its new key.

A `qualtool rename` on one laptop while another codes in the same recording: after the pull, the
other coder's layer lines, speakers.yml corrections and review decisions still name the old key,
which no recording has any more — orphaned, refused as «unknown recording» (an assignment
made meanwhile, in codings/assignments.yml, counted nowhere). The sync carries them to the
recording's key now, so every laptop places them and writes them once, the same:

- the recording a former key belongs to is known from the rename itself (`store.recordings.
  renamed_to`: every rename here or followed from a pull leaves the old key's hash behind);
- on a laptop that never saw the rename (a fresh clone), from the records: a coding line keeps
  the media checksum of its recording (`recording_sha256`), and the manifest lists that checksum
  under the new key — every record of the old key in that layer follows the coding lines.

A key that is a recording's key now is never carried anywhere (a new recording may reuse it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qualtool.domain import Recording
from qualtool.domain.errors import InvalidInput
from qualtool.domain.pseudonym import anonymised_from
from qualtool.domain.recording import text_identity
from qualtool.files import assignments as assignments_file
from qualtool.files import decisions as decisions_file
from qualtool.files import layer_format as fmt
from qualtool.files import speaker_map, transcript_formats
from qualtool.files.layer_format import Key, Record
from qualtool.files.writing import union_merge, write_if_changed
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store

if TYPE_CHECKING:
    from qualtool.workspace.study import Workspace


class Carrier:
    """Where each former key goes now, looked up once per key."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.found: dict[str, str | None] = {}
        self.keys = {r.key: r.checksum for r in rec_store.list_recordings(ws.db)}

    def target(self, key: str) -> str | None:
        if key in self.keys:
            return None
        if key not in self.found:
            self.found[key] = rec_store.renamed_to(self.ws.db, key)
        return self.found[key]

    def infer(self, records: dict[Key, Record]) -> None:
        """Former keys a coding line's media checksum names (a clone that never saw the rename):
        the checksum must be one recording's, listed under another key."""
        by_sum: dict[str, list[str]] = {}
        for key, checksum in self.keys.items():
            by_sum.setdefault(checksum, []).append(key)
        for rec in records.values():
            old, digest = rec.get("recording"), rec.get("recording_sha256")
            if rec.get("kind") != "coding" or not isinstance(old, str) or old in self.keys:
                continue
            if self.target(old) is None and len(by_sum.get(str(digest), [])) == 1:
                self.found[old] = by_sum[str(digest)][0]


def _moved(rec: Record, carrier: Carrier) -> Record | None:
    """The record under the new key, or None when it names no former key."""
    if rec.get("kind") in ("memo", fmt.MEMO_GONE):  # a memo's tombstone names its target too
        kind, target = str(rec.get("target_type")), str(rec.get("target_id"))
        if kind == "recording" and (new := carrier.target(target)):
            return {**rec, "target_id": new}
        head, hash_, idx = target.rpartition("#")
        if kind == "segment" and hash_ and (new := carrier.target(head)):
            return {**rec, "target_id": f"{new}#{idx}"}
        return None
    old = rec.get("recording")
    new = carrier.target(old) if isinstance(old, str) else None
    if not new:
        return None
    if "recording_sha256" in rec:  # the recording's now (a text source's follows its key)
        return {**rec, "recording": new, "recording_sha256": carrier.keys.get(new)}
    return {**rec, "recording": new}


def carry_layer(ws: Workspace, parsed: fmt.Parsed, carrier: Carrier | None = None) -> int:
    """Move the parsed layer's records of former keys to the new keys (in place); returns how
    many moved — the caller then writes the file back, once. A record that lands on one the
    layer has under the new key already is combined with it (both kept, as a union merge)."""
    carrier = carrier or Carrier(ws)
    carrier.infer(parsed.records)
    moved = 0
    for key in sorted(parsed.records, key=str):
        new = _moved(parsed.records[key], carrier)
        if new is None:
            continue
        del parsed.records[key]
        new_key = fmt.record_key(new)
        there = parsed.records.get(new_key)
        parsed.records[new_key] = new if there is None else _one(there, new)
        moved += 1
    return moved


def _one(there: Record, new: Record) -> Record:
    """One record of a carried line and the line the new key has already. A coding's or a
    suggestion decision's tombstone wins, as it wins a union merge (`layer_format.settle`): a
    coding deleted here under this laptop's name, its line re-keyed by a colleague's rename of
    the same recording, came back. A memo's edit wins over its tombstone (`layers.save`)."""
    dead = [r for r in (there, new) if fmt.is_dead(r)]
    if len(dead) == 1:
        memo = dead[0].get("kind") == fmt.MEMO_GONE
        return (new if dead[0] is there else there) if memo else dead[0]
    return fmt.combine(there, new)


def carry_files(ws: Workspace) -> list[str]:
    """speakers.yml, codings/assignments.yml and privacy/decisions.yml lines under a former key,
    rewritten under the new one (each file only when it changes; a contested speaker stays
    contested: `speaker_map.rekeyed`); returns the files written."""
    root, carrier, written = ws.study.root, Carrier(ws), []
    for name, rekeyed in ((speaker_map.FILE, speaker_map.rekeyed),
                          (assignments_file.FILE, assignments_file.rekeyed)):  # fmt: skip
        texts = rekeyed(root, carrier.target)
        if texts is not None and write_if_changed(root / name, texts[1]):
            union_merge(root, name)
            written.append(name)
    texts = decisions_file.rekeyed(root, carrier.target)
    if texts is None and decisions_file.leftovers(root):  # a union's lines: written back clean
        texts = ("", decisions_file.render(decisions_file.every(root)))
    if texts is not None:
        write_if_changed(root / decisions_file.DECISIONS_FILE, texts[1])
        written.append(decisions_file.DECISIONS_FILE.as_posix())
    return written


def same_text(ws: Workspace, path: Path, gone: list[Recording]) -> list[Recording]:
    """The text sources of `gone` (recordings the manifest no longer lists) whose transcript the
    pulled one at `path` is: segment for segment with spacing ignored (`text_identity`), else —
    none so — the same with words replaced by pseudonyms (`pseudonym.anonymised_from`: a
    colleague's `anonymise --apply` renamed a key made from a name and replaced the names in
    its text). Not a transcript, or not there: none (the sync reports that file itself)."""
    try:
        segs, _meta = transcript_formats.parse(path.read_text(encoding="utf-8"), "json")
    except (OSError, UnicodeDecodeError, InvalidInput):
        return []
    pulled = [s.text for s in segs]
    local = {r.id: tr_store.segment_texts(ws.db, r.id or 0) for r in gone
             if r.path.startswith("text:")}  # fmt: skip
    digest = text_identity(pulled)
    found = [r for r in gone if local.get(r.id) and text_identity(local[r.id]) == digest]
    return found or [r for r in gone if local.get(r.id) and anonymised_from(pulled, local[r.id])]
