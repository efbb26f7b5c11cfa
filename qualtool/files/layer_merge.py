"""The reconcile step of a coder layer: the database's records, the file's records and what
both agreed on at the last sync, merged record by record.

A record changed on one side takes that side, changed on both is combined (reported). A
deletion loses to a change on the other side — nothing one person decided disappears because
another did not see it — except a coding's, which leaves a tombstone, and a committed suggestion
decision's undo (its tombstone wins). The line format, identities and tombstones it merges are
`files.layer_format`'s; this is the one place that decides between two versions of a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualtool.files.layer_format import (
    ANCHOR,
    Key,
    Record,
    combine,
    describe,
    is_dead,
    join_texts,
    origin,
    placed_at,
    rest_of,
    same,
    tombstone,
)
from qualtool.i18n import _


@dataclass
class Merge:
    records: dict[Key, Record]
    conflicts: list[str] = field(default_factory=list)


def merge3(base: dict[Key, Record], disk: dict[Key, Record], local: dict[Key, Record]) -> Merge:
    """Three-way merge by record. A deletion loses to a change on the other side: nothing one
    person decided disappears because another did not see it — except a coding's, which leaves
    a tombstone (`_coding`), and a committed suggestion decision's undo (its tombstone wins)."""
    out: dict[Key, Record] = {}
    conflicts = []
    for key in set(base) | set(disk) | set(local):
        b, d, lo = base.get(key), disk.get(key), local.get(key)
        if key[0] in ("coding", "memo"):
            pick, problem = (_coding if key[0] == "coding" else _memo)(b, d, lo)
            if problem:
                conflicts.append(problem.format(record=describe(key)))
            if pick is not None:
                out[key] = pick
            continue
        if key[0] == "suggestion" and is_dead(b) and lo is None:
            lo = b  # the database holds no tombstones: one in `base` is no row here
        d_changed = not _eq(b, d)
        l_changed = not _eq(b, lo)
        if d_changed and l_changed and is_dead(d):
            pick = d  # undone there, renumbered or changed here: the undo wins
        elif not d_changed:
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


def _memo(b: Record | None, d: Record | None, lo: Record | None) -> tuple[Record | None, str]:
    """One memo merged: the database holds no tombstones (one in `base` is no row here). A
    deletion loses to a change on the other side, reported when the deletion was deliberate
    (a tombstone in the file, or deleted here); a memo the file dropped without one was never
    committed: the change here is kept, nothing to say."""
    d_changed = not _eq(b, d)
    l_changed = not (_eq(b, lo) or (is_dead(b) and lo is None))
    if not d_changed:
        return (d if lo is None and is_dead(d) else lo), ""
    if not l_changed or _eq(d, lo) or (is_dead(d) and lo is None):
        return d, ""
    if b is None or is_dead(b) or d is None:
        if d is None or lo is None or is_dead(d) or is_dead(lo):
            return (lo if d is None or is_dead(d) else d), ""
    elif is_dead(d) and lo is not None:
        return lo, _("{record} deleted in the file and changed here (the change kept)")
    elif lo is None:
        return d, _("{record} deleted here and changed in the file (the change kept)")
    return combine(lo, d), _("{record} changed here and in the file (both kept)")


def _moved_only(a: Record, b: Record) -> bool:
    """Do two versions of a coding differ in their place at most (a re-anchor, not news)?"""
    return same(*({k: v for k, v in r.items() if k not in (*ANCHOR, "origin")} for r in (a, b)))


def _coding(b: Record | None, d: Record | None, lo: Record | None) -> tuple[Record | None, str]:
    """One coding merged: (the record or its tombstone or None, a problem to report or "").
    The database holds no tombstones: one in `base` is the same as no row here. A coding
    deleted here while its line is still in the file leaves a tombstone; a tombstone in the
    file ends the coding here, and a deletion wins over a change made meanwhile on the other
    side (reported when the change was more than a re-anchor)."""
    d_changed = not _eq(b, d)
    l_changed = not (_eq(b, lo) or (is_dead(b) and lo is None))
    if not d_changed:
        return (tombstone(d) if lo is None and d is not None else lo), ""
    if not l_changed or _eq(d, lo):
        return d, ""
    if d is None or b is None or is_dead(b):
        return lo, ""  # the file dropped it with no tombstone, or it is new work here
    if lo is None:
        if is_dead(d) or _moved_only(b, d):
            return tombstone(d), ""
        return tombstone(d), _("{record} deleted here and changed in the file (the deletion kept)")
    if is_dead(d):
        if _moved_only(b, lo):
            return d, ""
        return d, _("{record} deleted in the file and changed here (the deletion kept)")
    return _fields(b, d, lo)


def _fields(b: Record, d: Record, lo: Record) -> tuple[Record, str]:
    """A coding changed on both sides, merged part by part against what both last agreed on:
    the place, the code, each other field; a part changed on both sides differently takes the
    file's place, this side's code and both memos, and is reported."""
    out, problem = dict(lo), ""
    for part in (ANCHOR, ("code",), *((k,) for k in sorted(set(rest_of(d)) | set(rest_of(lo))))):
        vb, vd, vl = ([r.get(k) for k in part] for r in (b, d, lo))
        if vl == vb or vd == vl:
            out.update({k: d[k] for k in part if k in d})
        elif vd != vb:
            problem = _("{record} changed here and in the file (both kept)")
            if part == ANCHOR:
                out.update({k: d[k] for k in part if k in d})
            elif part == ("memo",):
                out["memo"] = join_texts(lo.get("memo"), d.get("memo"))
            elif part == ("key_quote",):
                out["key_quote"] = bool(lo.get("key_quote") or d.get("key_quote"))
    return placed_at(out, origin(lo)), problem


def _eq(a: Record | None, b: Record | None) -> bool:
    if a is None or b is None:
        return a is b
    return same(a, b)
