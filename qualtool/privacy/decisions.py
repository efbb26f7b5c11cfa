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
from pathlib import Path

from qualtool.domain.errors import InvalidInput
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
    is_outside,
    read,
    save,
    span_key,
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
    keep = [d for d in load(root) if span_key(d) not in spans and d not in gone]
    save(root, [*keep, *spans.values()])
