"""Transcripts as timed segments: the unit of review, search and coding."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class TranscriptStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"  # a killed run stays here and resumes from its last segment
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Word:
    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    idx: int
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    flags: tuple[str, ...] = ()  # why a reviewer should look: "low_confidence", "loop", …
    id: int | None = None

    @property
    def confidence(self) -> float | None:
        """Mean word probability: the figure reviewers understand best."""
        if not self.words:
            return None
        return sum(w.probability for w in self.words) / len(self.words)


@dataclass(frozen=True, slots=True)
class Transcript:
    recording_id: int
    segments: tuple[Segment, ...] = ()
    status: TranscriptStatus = TranscriptStatus.PENDING
    language: str | None = None
    model: str | None = None
    settings: dict[str, object] = field(default_factory=dict)
    duration: float | None = None
    id: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


def format_timestamp(seconds: float, *, millis: bool = False, sep: str = ".") -> str:
    """hh:mm:ss (or hh:mm:ss.mmm), the notation every QDA tool reads."""
    total_ms = round(seconds * 1000)
    h, rem = divmod(total_ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    base = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{base}{sep}{ms:03d}" if millis else base
