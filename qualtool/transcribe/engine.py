"""The seam between qualtool and a speech recogniser.

`Engine` is what the runner needs; `WhisperEngine` (whisper.py) is the real one. Tests and the
TUI's responsiveness test inject a fake that yields segments without any model weights.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from qualtool.domain import Word

SAMPLE_RATE = 16_000


@dataclass(frozen=True, slots=True)
class RawSegment:
    """A recogniser's segment, times relative to the audio it was given."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None


@dataclass(frozen=True, slots=True)
class EngineOptions:
    beam_size: int = 5
    vad: bool = True
    vad_min_silence_ms: int = 500
    batched: bool = False
    hotwords: str | None = None
    initial_prompt: str | None = None
    glossary: tuple[str, ...] = ()  # terms whose low-confidence near misses are corrected
    extra: dict[str, object] = field(default_factory=dict)


class Engine(Protocol):
    name: str

    def load_audio(self, path: str) -> np.ndarray:
        """16 kHz mono float32 samples."""
        ...

    def detect_language(self, audio: np.ndarray, candidates: tuple[str, ...]) -> tuple[str, float]:
        """The most likely of `candidates` (plain auto-detection mislabels Kazakh)."""
        ...

    def segments(
        self, audio: np.ndarray, language: str, options: EngineOptions
    ) -> Iterator[RawSegment]:
        """Lazily decoded segments: stopping the iteration stops the work."""
        ...
