"""Coders, codings (a code applied to a span of a segment) and memos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Provenance(StrEnum):
    MANUAL = "manual"
    SUGGESTED = "suggested"  # accepted from the auto-coding review queue
    IMPORTED = "imported"  # merged from another coder's export or a REFI-QDA project
    CONSENSUS = "consensus"  # adjudicated from a disagreement


@dataclass(frozen=True, slots=True)
class Coder:
    id: str  # short login-like name, the key in every layer
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """A code on characters [start, end) of one segment's text.

    `quote` keeps the text as it was when coded, so an edit under the span can be re-anchored
    and an export can prove it quotes the transcript exactly.
    """

    segment_id: int
    code_id: str
    coder_id: str
    start: int
    end: int
    quote: str
    memo: str | None = None
    provenance: Provenance = Provenance.MANUAL
    key_quote: bool = False
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    """A note on the study, a recording, a code or a coding."""

    target_type: str  # "study" | "recording" | "code" | "coding" | "segment"
    target_id: str
    text: str
    coder_id: str | None = None
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """An auto-coding suggestion: a code for a span, with a score and the evidence for it."""

    segment_id: int
    code_id: str
    start: int
    end: int
    quote: str
    score: float
    reason: str
