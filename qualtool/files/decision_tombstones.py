"""A withdrawn review decision's tombstone in `privacy/decisions.yml` (see `files.decisions`):
when one is owed (the decision was committed, so a colleague may hold it renumbered), where
its line goes, and how an undo or redo of a decision finds its place in a file that gained
or lost one since. Plain text and `git show HEAD:` only; the undo itself is `coding.history`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from qualtool.files import writing
from qualtool.files.decisions import (
    DECISIONS_FILE,
    HEADER,
    LINE,
    WITHDRAWN,
    Decision,
    all_lines,
    line,
    line_order,
    tombstone,
)

__all__ = ["committed", "fresh_origin", "origins_in", "with_tombstones", "withdrawn",
           "without_tombstones"]  # fmt: skip


def fresh_origin(d: Decision, taken: set[str]) -> Decision:
    """`d` with an identity no other line in `taken` has: a new decision made where another
    one was first made (since moved by a split, or withdrawn) is another decision."""
    n, origin = 1, d.origin
    while origin in taken:
        origin, n = f"{d.place}/{n}", n + 1
    return d if origin == d.origin else replace(d, origin=origin)


def committed(root: Path) -> str | None:
    """The file as the study's last commit has it (`writing.committed`)."""
    return writing.committed(root, DECISIONS_FILE.as_posix())


def withdrawn(root: Path, before: str | None, after: str | None) -> list[Decision]:
    """The tombstones a step that rewrote the file from `before` to `after` owes: one for
    each decision it took away whose identity the last commit holds (it may be on a
    colleague's laptop, renumbered: a union merge would bring it back)."""
    path = root / DECISIONS_FILE
    gone = {d.origin: d for d in all_lines(path, before or HEADER) if not d.dead}
    for d in all_lines(path, after or HEADER):
        gone.pop(d.origin, None)
    head = committed(root) if gone else None
    if not head:
        return []
    shared = {d.origin for d in all_lines(path, head) if not d.dead}
    return [tombstone(d) for o, d in sorted(gone.items()) if o in shared]


def with_tombstones(text: str, dead: Iterable[Decision]) -> str:
    """`text` with tombstone lines inserted where `render` sorts them, the rest of it as it is
    (a redo finds its place again by `without_tombstones`)."""
    rows = text.split("\n")
    for t in sorted(set(dead), key=line_order):
        new, key = line(t).rstrip("\n"), line_order(t)
        at = len(rows) - (1 if rows and rows[-1] == "" else 0)
        for i, row in enumerate(rows):
            m = LINE.fullmatch(row)
            if m and (m[1], int(m[2]), int(m[3]), m[6]) > key[:4]:
                at = i
                break
        if new not in rows:
            rows.insert(at, new)
    return "\n".join(rows)


def without_tombstones(text: str, origins: Iterable[str]) -> str:
    """`text` without the tombstone lines of these identities (a decision made again)."""
    drop = set(origins)

    def dead_here(row: str) -> bool:
        m = LINE.fullmatch(row)
        return m is not None and m[6] == WITHDRAWN and _origin(m) in drop

    return "\n".join(r for r in text.split("\n") if not dead_here(r))


def origins_in(text: str | None) -> set[str]:
    """The identities of the decisions (not tombstones) in a file's text or a part of it."""
    out = set()
    for row in (text or "").split("\n"):
        m = LINE.fullmatch(row)
        if m and m[6] != WITHDRAWN:
            out.add(_origin(m))
    return out


def _origin(m: re.Match[str]) -> str:
    """A matched line's identity: its `origin`, or where it stands (`Decision.place`)."""
    return m[7] or f"{m[1]}@{m[2]}-{m[3]}"
