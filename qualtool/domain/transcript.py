"""Transcripts as timed segments: the unit of review, search and coding."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


BEYOND_AUDIO = "beyond_audio"  # the segment starts after the recording has ended
LATE = 0.5  # seconds past the end still counted as the end (stamps rounded, players' lag)


def check_duration(segments: list[Segment], duration: float | None) -> list[Segment]:
    """An imported transcript against its recording's length. A segment that starts after the
    recording ends (a stamp typed by hand, another recording's file) is kept with its text and
    times — which are evidence, not ours to invent — and flagged `beyond_audio` for review,
    like any doubtful segment (`n`/`p`, `transcript show --flagged`). A segment that starts in
    the recording but runs past its end stops at the end: the last end is an estimate in most
    formats. Unknown length (text-only sources): nothing to check."""
    if not duration or duration <= 0:
        return list(segments)
    out = []
    for s in segments:
        if s.start > duration + LATE:
            if BEYOND_AUDIO not in s.flags:
                s = replace(s, flags=(*s.flags, BEYOND_AUDIO))
        elif s.start < duration < s.end:
            s = replace(s, end=duration)
        out.append(s)
    return out


def format_timestamp(seconds: float, *, millis: bool = False, sep: str = ".") -> str:
    """hh:mm:ss (or hh:mm:ss.mmm), the notation every QDA tool reads."""
    total_ms = round(seconds * 1000)
    h, rem = divmod(total_ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    base = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{base}{sep}{ms:03d}" if millis else base
