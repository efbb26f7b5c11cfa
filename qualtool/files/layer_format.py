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

`merge3` is the reconcile step: the database's records, the file's records and what both agreed
on at the last sync; a record changed on one side takes that side, changed on both is combined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _

FORMAT = "qualtool-coder-layer"
VERSION = 2
KINDS = ("coding", "memo", "absent", "suggestion")

Record = dict[str, Any]
Key = tuple[Any, ...]
# fields that follow the text rather than the decision: not compared when merging
_DERIVED = ("recording_sha256", "segment_sha")


def record_key(rec: Record) -> Key:
    kind = rec.get("kind")
    if kind == "coding":
        return ("coding", rec["recording"], int(rec["segment"]), int(rec["start"]),
                int(rec["end"]), rec["code"])  # fmt: skip
    if kind == "memo":
        return ("memo", str(rec["target_type"]), str(rec["target_id"]))
    if kind in ("absent", "suggestion"):
        return (kind, rec["recording"], int(rec["segment"]), rec["code"])
    raise InvalidInput(_("unknown record kind {kind!r}").format(kind=kind))


def _sort_key(key: Key) -> tuple[Any, ...]:
    return (KINDS.index(key[0]), *(str(k) if isinstance(k, str) else f"{k:012d}" for k in key[1:]))


_ORDER = ("kind", "recording", "segment", "start", "end", "code", "target_type", "target_id",
          "status", "quote", "text", "memo", "note", "key_quote", "provenance", "decided_by")  # fmt: skip


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
        head, items = doc, _from_v1(doc)
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
    for item in items:
        try:
            key = record_key(item)
        except (KeyError, TypeError, ValueError, InvalidInput) as exc:
            raise InvalidInput(
                _("{source}: a record is incomplete ({error}): {item}").format(
                    source=source, error=exc, item=item
                )
            ) from None
        if key in out.records and not same(out.records[key], item):
            out.records[key] = combine(out.records[key], item)
            out.conflicts.append(
                _("{source}: {record} has two versions (both kept)").format(
                    source=source, record=describe(key)
                )
            )
        else:
            out.duplicates += key in out.records
            out.records[key] = item
    # two people settled the same passage differently on two machines and git merged both
    # lines: the layer says «in the consensus» and «does not apply» at once
    ruled_out = {key[1:] for key in out.records if key[0] == "absent"}
    for key in sorted(out.records, key=_sort_key):
        if key[0] == "coding" and (key[1], key[2], key[5]) in ruled_out:
            out.conflicts.append(f"{source}: {describe(key)} is also ruled out (settled both "
                                 "ways: adjudicate it again)")  # fmt: skip
    return out


def _from_v1(doc: dict[str, Any]) -> list[Record]:
    keep = ("recording", "recording_sha256", "segment", "segment_sha", "start", "end", "quote",
            "code", "memo", "provenance", "key_quote")  # fmt: skip
    items: list[Record] = [
        {"kind": "coding", **{k: c.get(k) for k in keep}} for c in doc.get("codings", [])
    ]
    items += [{"kind": "memo", "target_type": m["target_type"], "target_id": str(m["target_id"]),
               "text": m["text"]} for m in doc.get("memos", [])]  # fmt: skip
    return items


def same(a: Record, b: Record) -> bool:
    return {k: v for k, v in a.items() if k not in _DERIVED} == {
        k: v for k, v in b.items() if k not in _DERIVED
    }


def _join(a: object, b: object) -> object:
    if not a or not b or a == b:
        return a or b
    return f"{a}\n— {b}"


def combine(local: Record, other: Record) -> Record:
    """Both versions of one record kept in one: texts joined, a pin kept if either pinned."""
    out = dict(local)
    kind = local.get("kind")
    if kind == "coding":
        out["memo"] = _join(local.get("memo"), other.get("memo"))
        out["key_quote"] = bool(local.get("key_quote") or other.get("key_quote"))
    elif kind == "memo":
        out["text"] = _join(local.get("text"), other.get("text"))
    elif kind == "absent":
        out["note"] = _join(local.get("note"), other.get("note"))
    return out


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


@dataclass
class Merge:
    records: dict[Key, Record]
    conflicts: list[str] = field(default_factory=list)


def merge3(base: dict[Key, Record], disk: dict[Key, Record], local: dict[Key, Record]) -> Merge:
    """Three-way merge by record. A deletion loses to a change on the other side: nothing one
    person decided disappears because another did not see it."""
    out: dict[Key, Record] = {}
    conflicts = []
    for key in set(base) | set(disk) | set(local):
        b, d, lo = base.get(key), disk.get(key), local.get(key)
        d_changed = not _eq(b, d)
        l_changed = not _eq(b, lo)
        if not d_changed:
            pick = lo
        elif not l_changed or _eq(d, lo):
            pick = d
        elif d is None:
            pick = lo  # deleted there, changed here: keep the change
        elif lo is None:
            pick = d
        else:
            pick = combine(lo, d)
            conflicts.append(
                _("{record} changed here and in the file (both kept)").format(record=describe(key))
            )
        if pick is not None:
            out[key] = pick
    return Merge(out, conflicts)


def _eq(a: Record | None, b: Record | None) -> bool:
    if a is None or b is None:
        return a is b
    return same(a, b)
