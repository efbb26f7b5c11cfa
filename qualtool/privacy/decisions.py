"""Review decisions in the study's files (`privacy/decisions.yml`), so they survive a rebuilt
database and are reused on every later run.

The file holds no original text: a finding is named by where it is (recording#segment),
its character span and a hash of the words under it, keyed by the study (`review.review_key`)
so that every clone of the study reads the same decisions. A decision follows its words within
the segment (nearest first, each decision on one finding only); a split or merge renumbers it
(`files.decisions`, in the editor's journaled step); `--apply` drops every decision whose
words are gone, so no hash of a replaced or removed name stays behind. The file format itself
(layout, checks, merges) is `qualtool.files.decisions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from qualtool.domain.errors import InvalidInput
from qualtool.files.decision_tombstones import committed, fresh_origin, origins_in
from qualtool.files.decisions import (
    ACCEPT,
    ADD,
    DECISIONS,
    DECISIONS_FILE,
    MEMOS,
    NOTES,
    REJECT,
    SPEAKER,
    Decision,
    every,
    is_outside,
    read,
    save,
    span_key,
    tombstone,
)
from qualtool.i18n import _
from qualtool.privacy.entity import Kind

__all__ = [
    "ACCEPT",
    "ADD",
    "DECISIONS_FILE",
    "MEMOS",
    "NOTES",
    "REJECT",
    "SPEAKER",
    "Decision",
    "is_outside",
    "load",
    "record",
    "save",
]


def load(root: Path) -> list[Decision]:
    """The file's decisions, checked (kinds too: a decision of an unknown kind would fail
    later, deep in the review, with a traceback)."""
    out = read(root)
    kinds = {k.value for k in Kind}
    for d in out:
        if d.kind not in kinds:
            raise InvalidInput(_("{path}: unknown kind {kind!r}; use one of {kinds}").format(
                path=root / DECISIONS_FILE, kind=d.kind, kinds=", ".join(sorted(kinds))))  # fmt: skip
    return out


def record(root: Path, *new: Decision, drop: Iterable[Decision] = ()) -> None:
    """Add or replace the decisions on these spans, in one write (all or none). `drop`: the
    decisions these supersede (the same words' earlier decision, matched at other offsets
    after an edit), so a changed mind is not outvoted by the old decision."""
    for decision in new:
        if decision.decision not in DECISIONS:
            raise InvalidInput(
                _("unknown decision {decision!r}").format(decision=decision.decision)
            )
    spans = {span_key(d): d for d in new}  # the last one on a span wins
    gone = set(drop)
    current = every(root)
    replaced = [d for d in current if not d.dead and (span_key(d) in spans or d in gone)]
    keep = [d for d in current if d not in replaced]
    taken = {d.origin for d in keep}
    made = []
    for d in spans.values():
        # a changed mind on a decision is that decision (its identity kept, as it moved)
        heir = [o for o in replaced if o.origin not in taken and (
            span_key(o) == span_key(d) or (o.where, o.digest) == (d.where, d.digest))]  # fmt: skip
        d = replace(d, origin=heir[0].origin) if heir else fresh_origin(d, taken)
        taken.add(d.origin)
        made.append(d)
    ended = [o for o in replaced if o.origin not in taken]  # withdrawn: an added span rejected
    shared = origins_in(committed(root)) if ended else set()
    save(root, [*keep, *made, *(tombstone(o) for o in ended if o.origin in shared)])
