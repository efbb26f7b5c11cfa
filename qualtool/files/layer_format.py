"""codings/<coder>.json: one coder's decisions as a file git merges line by line.

The file is valid JSON, laid out so that every record is exactly one line and no line depends
on its neighbours (each record line starts with its own comma):

    [{"coder": "anna", "format": "qualtool-coder-layer", "version": 2}
    ,{"code": "STAFF.CONDUCT", "end": 25, "kind": "coding", ...}
    ]

Records are sorted by a stable key (recording, segment, span, code), carry no timestamps or
database ids, so a file only changes when a decision changes, two people's additions in different
places merge with git's ordinary merge, and `merge=union` (see .gitattributes) keeps both sides'
lines when they land in the same place. Reading tolerates unsorted and duplicated lines (a union
merge); two different versions of one record are combined and reported as a conflict.

The reconcile step (`merge3`: the database's records, the file's records and what both agreed
on at the last sync) is `files.layer_merge`.

A coding is known by where it was first written (`origin`: segment, span and code when it was
made, the line's own while it has not moved), not by where it stands now: a re-anchored line
(a split, an edited transcript, a recode) keeps its identity, so a union merge that kept the
line twice — a colleague's re-anchor and the coder's own change — is one coding (`settle`).
A deleted coding leaves a tombstone line (`kind: deleted`, its identity only) where its line
was, so a union merge that also kept a colleague's re-anchored line does not bring it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qualtool.domain.errors import InvalidInput
from qualtool.files.layer_v1 import from_v1
from qualtool.i18n import _

FORMAT = "qualtool-coder-layer"
VERSION = 2
KINDS = ("coding", "memo", "absent", "suggestion")
DELETED = "deleted"  # a coding's tombstone: keyed (and sorted) as the coding it ended
MEMO_GONE = "memo-deleted"  # a committed memo's tombstone: keyed as the memo
WITHDRAWN = "suggestion-withdrawn"  # a committed suggestion decision's tombstone

Record = dict[str, Any]
Key = tuple[Any, ...]
# fields that follow the text rather than the decision: not compared when merging
_DERIVED = ("recording_sha256", "segment_sha")


ANCHOR = ("segment", "start", "end", "quote", "recording_sha256", "segment_sha")


def origin(rec: Record) -> list[Any]:
    """A coding's identity within its recording: [segment, start, end, code] where it was
    first written (a fifth item tells two apart that were first written at one place)."""
    found = rec.get("origin")
    if found:
        return [int(found[0]), int(found[1]), int(found[2]), str(found[3]), *found[4:]]
    return [int(rec["segment"]), int(rec["start"]), int(rec["end"]), str(rec["code"])]


def placed_at(rec: Record, where: list[Any]) -> Record:
    """The record with its `origin` written only where it differs from the line's own place
    (an unmoved line stays as earlier releases wrote it)."""
    out = {k: v for k, v in rec.items() if k != "origin"}
    own = [out.get("segment"), out.get("start"), out.get("end"), out.get("code")]
    if where != own:
        out["origin"] = where
    return out


def is_dead(rec: Record | None) -> bool:
    return rec is not None and rec.get("kind") in (DELETED, MEMO_GONE, WITHDRAWN)


def decision_origin(rec: Record) -> int:
    """A suggestion decision's identity: the segment index where it was first made (in the
    line only once a split or merge renumbered it)."""
    return int(rec["origin"] if rec.get("origin") is not None else rec["segment"])


def decision_tombstone(rec: Record) -> Record:
    """The line an undone suggestion decision leaves once it was committed: its recording,
    identity and code, no words (a quote would keep transcript words `--apply` never cleans)."""
    if is_dead(rec):
        return rec
    return {"kind": WITHDRAWN, "recording": rec["recording"], "segment": decision_origin(rec),
            "code": rec["code"]}  # fmt: skip


def memo_tombstone(rec: Record) -> Record:
    """The line a deleted memo leaves once it was committed: its target, no words."""
    return {"kind": MEMO_GONE, "target_type": rec["target_type"], "target_id": rec["target_id"]}


def tombstone(rec: Record) -> Record:
    """The line a deleted coding leaves: its recording and identity, no words."""
    if is_dead(rec):
        return rec
    where = origin(rec)
    out: Record = {"kind": DELETED, "recording": rec["recording"]}
    out.update(zip(("segment", "start", "end", "code"), where[:4], strict=True))
    if len(where) > 4:
        out["origin"] = where
    return out


def record_key(rec: Record) -> Key:
    kind = rec.get("kind")
    if kind in ("coding", DELETED):
        return ("coding", rec["recording"], *origin(rec))
    if kind in ("memo", MEMO_GONE):
        return ("memo", str(rec["target_type"]), str(rec["target_id"]))
    if kind in ("suggestion", WITHDRAWN):
        return ("suggestion", rec["recording"], decision_origin(rec), rec["code"])
    if kind == "absent":
        return (kind, rec["recording"], int(rec["segment"]), rec["code"])
    raise InvalidInput(_("unknown record kind {kind!r}").format(kind=kind))


def _sort_key(key: Key) -> tuple[Any, ...]:
    return (KINDS.index(key[0]), *(str(k) if isinstance(k, str) else f"{k:012d}" for k in key[1:]))


_ORDER = ("kind", "recording", "segment", "start", "end", "code", "target_type", "target_id",
          "status", "quote", "text", "memo", "note", "key_quote", "provenance", "decided_by",
          "origin")  # fmt: skip


def _ordered(rec: Record) -> Record:
    """Readable lines: what the record is about first, checksums last; always the same order."""
    rank = {k: i for i, k in enumerate(_ORDER)}
    return {k: rec[k] for k in sorted(rec, key=lambda k: (rank.get(k, len(rank)), k))}


def render(coder: str, records: dict[Key, Record]) -> str:
    head = json.dumps({"coder": coder, "format": FORMAT, "version": VERSION}, ensure_ascii=False)
    lines = ["[" + head]
    for key in sorted(records, key=_sort_key):
        lines.append("," + json.dumps(_ordered(records[key]), ensure_ascii=False))
    return "\n".join(lines) + "\n]\n"


@dataclass
class Parsed:
    coder: str
    records: dict[Key, Record] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    duplicates: int = 0  # the same record line twice (a union merge): the next save cleans it


def parse(text: str, source: str) -> Parsed:
    """Both this format and version 1 (one JSON document with `codings` and `memos` lists)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = (
            _("{source}: not valid JSON at line {line} (an unresolved git merge conflict?)")
            if "<<<<<<<" in text
            else _("{source}: not valid JSON at line {line}")
        )
        raise InvalidInput(problem.format(source=source, line=exc.lineno)) from None
    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        head, items = doc, from_v1(doc)
    elif isinstance(doc, list) and doc and isinstance(doc[0], dict):
        head, items = doc[0], doc[1:]
    else:
        raise InvalidInput(_("{source}: not a qualtool coder layer").format(source=source))
    if head.get("format") != FORMAT:
        raise InvalidInput(
            _("{source}: not a qualtool coder layer (format {format!r})").format(
                source=source, format=head.get("format")
            )
        )
    out = Parsed(str(head.get("coder", "")))
    codings: dict[Key, list[Record]] = {}
    for item in items:
        try:
            key = record_key(item)
        except (KeyError, TypeError, ValueError, InvalidInput) as exc:
            raise InvalidInput(
                _("{source}: a record is incomplete ({error}): {item}").format(
                    source=source, error=exc, item=item
                )
            ) from None
        if key[0] == "coding":
            codings.setdefault(key, []).append(item)
        elif key[0] == "suggestion" and key in out.records:
            out.duplicates += 1
            out.records[key] = _decision_lines(out.records[key], item)
        elif is_dead(item) or is_dead(out.records.get(key)):
            out.duplicates += key in out.records
            out.records[key], edited = _memo_lines(out.records.get(key), item)
            if edited:  # a memo deleted on one laptop and edited on another: the edit kept
                gone = _("{source}: {record} deleted on one laptop and edited on another "
                         "(the edit kept)")  # fmt: skip
                out.conflicts.append(gone.format(source=source, record=describe(key)))
        elif key in out.records and not same(out.records[key], item):
            out.records[key] = combine(out.records[key], item)
            out.conflicts.append(
                _("{source}: {record} has two versions (both kept)").format(
                    source=source, record=describe(key)
                )
            )
        else:
            out.duplicates += key in out.records
            out.records[key] = item
    for key, lines in codings.items():
        out.duplicates += len(lines) - 1
        out.records[key], doubt = settle(lines)
        if doubt:
            out.conflicts.append(
                _("{source}: {record} has two versions (both kept)").format(
                    source=source, record=describe(key)
                )
            )
    # two people settled the same passage differently on two machines and git merged both
    # lines: the layer says «in the consensus» and «does not apply» at once
    ruled_out = {key[1:] for key in out.records if key[0] == "absent"}
    for key in sorted(out.records, key=_sort_key):
        rec = out.records[key]
        if rec["kind"] == "coding" and (rec["recording"], rec["segment"], rec["code"]) in ruled_out:
            out.conflicts.append(f"{source}: {describe(key)} is also ruled out (settled both "
                                 "ways: adjudicate it again)")  # fmt: skip
    return out


def _decision_lines(old: Record, new: Record) -> Record:
    """Two lines of one suggestion decision a union merge kept: its tombstone wins (the undo
    was deliberate; the other line is a renumbering made before it was seen), else the line
    a split or merge moved (the other names an index where other words are now)."""
    for rec in (old, new):
        if is_dead(rec):
            return rec
    moved = [r for r in (old, new) if int(r["segment"]) != decision_origin(r)]
    return moved[0] if moved else min(old, new, key=_text)


def _memo_lines(old: Record | None, new: Record) -> tuple[Record, bool]:
    """A memo's line and its tombstone a union merge kept side by side: the memo (True)."""
    if old is None or (is_dead(old) and is_dead(new)):
        return new, False
    return (old, True) if is_dead(new) else (new, True)


def same(a: Record, b: Record) -> bool:
    return {k: v for k, v in a.items() if k not in _DERIVED} == {
        k: v for k, v in b.items() if k not in _DERIVED
    }


def join_texts(a: object, b: object) -> object:
    if not a or not b or a == b:
        return a or b
    return f"{a}\n— {b}"


def combine(local: Record, other: Record) -> Record:
    """Both versions of one record kept in one: texts joined, a pin kept if either pinned."""
    out = dict(local)
    kind = local.get("kind")
    if kind == "coding":
        out["memo"] = join_texts(local.get("memo"), other.get("memo"))
        out["key_quote"] = bool(local.get("key_quote") or other.get("key_quote"))
    elif kind == "memo":
        out["text"] = join_texts(local.get("text"), other.get("text"))
    elif kind == "absent":
        out["note"] = join_texts(local.get("note"), other.get("note"))
    return out


def _text(rec: Record) -> str:
    return json.dumps(rec, sort_keys=True, ensure_ascii=False)


def rest_of(rec: Record) -> Record:
    """What a coder decides about a coding besides its place and code (memo, pin, provenance)."""
    return {k: v for k, v in rec.items() if k not in (*ANCHOR, "code", "origin")}


def settle(lines: list[Record]) -> tuple[Record, bool]:
    """One coding from the lines a union merge kept of it; True when they disagree in a way no
    rule settles (reported). A tombstone wins: the deletion was deliberate, a line beside it
    is a re-anchor or change made before the deleting laptop's push was seen. Otherwise the
    moved line gives the place, a recoded one the code, and the lines still where it was
    first written the rest — a colleague's sync that re-anchors a line keeps its memo as it
    was; a change the coder made is made where the coding stood."""
    dead = [r for r in lines if is_dead(r)]
    if dead:
        return min(dead, key=_text), False
    distinct: list[Record] = []
    for rec in sorted(lines, key=_text):
        if not any(same(rec, d) for d in distinct):
            distinct.append(rec)
    if len(distinct) == 1:
        return distinct[0], False
    where = origin(distinct[0])
    moved = [r for r in distinct if [r["segment"], r["start"], r["end"]] != where[:3]]
    recoded = [r for r in distinct if r["code"] != where[3]]
    still = [r for r in distinct if r not in moved] or distinct
    doubt = len({_text({k: r.get(k) for k in ANCHOR[:3]}) for r in moved}) > 1
    doubt = doubt or len({r["code"] for r in recoded}) > 1
    out = dict(still[0])
    for rec in still[1:]:
        if rest_of(rec) != rest_of(out):
            out, doubt = combine(out, rec), True
    if moved:
        out.update({k: moved[0][k] for k in ANCHOR if k in moved[0]})
    if recoded:
        out["code"] = recoded[0]["code"]
    return placed_at(out, where), doubt


def describe(key: Key) -> str:
    if key[0] == "coding":
        return _("coding {code} on {recording}#{segment} [{start}:{end}]").format(
            code=key[5], recording=key[1], segment=key[2], start=key[3], end=key[4]
        )
    if key[0] == "memo":
        return _("memo on {target} {id}").format(target=key[1], id=key[2])
    return _("{kind} {code} on {recording}#{segment}").format(
        kind=key[0], code=key[3], recording=key[1], segment=key[2]
    )
