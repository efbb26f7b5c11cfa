"""From recogniser output to reviewable segments: clean text, split at speaker turns, flag
what a reviewer must check (low confidence, hallucinated silence, repetition loops)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from qualtool.domain import Segment, Word
from qualtool.transcribe.engine import RawSegment

_QUOTES = re.compile(r"[«»“”„\"]")
_SPACES = re.compile(r"\s+")
SENTENCE_END = (".", "?", "!", "…")


@dataclass(frozen=True, slots=True)
class Thresholds:
    low_word_probability: float = 0.5  # a word shown highlighted in review
    low_segment_confidence: float = 0.65  # mean word probability
    low_avg_logprob: float = -0.8
    no_speech_prob: float = 0.6
    loop_compression_ratio: float = 2.4
    turn_gap: float = 0.6  # pause after a sentence end that starts a new segment
    long_gap: float = 1.5  # pause that starts a new segment anywhere


DEFAULT = Thresholds()


def clean_text(text: str) -> str:
    """Whisper adds stray guillemets around speech; quotes belong to the report, not here."""
    return _SPACES.sub(" ", _QUOTES.sub("", text)).strip()


def _join(words: list[Word]) -> str:
    return clean_text("".join(w.text for w in words))


def split_turns(raw: RawSegment, th: Thresholds = DEFAULT) -> list[RawSegment]:
    """Split a segment at pauses that look like a change of turn.

    Whisper merges a question and its answer when the pause is short; the word timestamps
    show the pause, so the reviewer gets one segment per turn to label.
    """
    words = list(raw.words)
    if len(words) < 2:
        return [replace(raw, text=clean_text(raw.text))]
    pieces: list[list[Word]] = [[words[0]]]
    for prev, word in itertools.pairwise(words):
        gap = word.start - prev.end
        ends_sentence = prev.text.strip().rstrip('»"').endswith(SENTENCE_END)
        if gap >= th.long_gap or (gap >= th.turn_gap and ends_sentence):
            pieces.append([word])
        else:
            pieces[-1].append(word)
    if len(pieces) == 1:
        return [replace(raw, text=clean_text(raw.text))]
    return [
        replace(raw, start=p[0].start, end=p[-1].end, text=_join(p), words=tuple(p))
        for p in pieces
        if _join(p)
    ]


def flags_for(seg: RawSegment, th: Thresholds = DEFAULT) -> tuple[str, ...]:
    flags = []
    if seg.words:
        mean = sum(w.probability for w in seg.words) / len(seg.words)
        if mean < th.low_segment_confidence:
            flags.append("low_confidence")
    low_logprob = seg.avg_logprob is not None and seg.avg_logprob < th.low_avg_logprob
    if low_logprob and "low_confidence" not in flags:
        flags.append("low_confidence")
    if (seg.no_speech_prob or 0) > th.no_speech_prob and (seg.avg_logprob or 0) < -0.5:
        flags.append("maybe_silence")  # text invented over silence
    if (seg.compression_ratio or 0) > th.loop_compression_ratio:
        flags.append("repetition_loop")
    return tuple(flags)


def is_prompt_echo(text: str, prompt: str | None) -> bool:
    """Whisper sometimes 'hears' its hotwords in silence at the end of a file."""
    if not prompt:
        return False
    words = [w for w in re.findall(r"\w+", text.lower())]
    vocab = set(re.findall(r"\w+", prompt.lower()))
    return len(words) >= 2 and sum(w in vocab for w in words) / len(words) >= 0.8


def is_fragment_garbage(seg: RawSegment) -> bool:
    """A sub-second, very unlikely decode: what Whisper produces for the last fraction of a
    window (e.g. the 0.25 s after a 20 s window). Real speech this short decodes confidently."""
    return (seg.end - seg.start) <= 0.5 and (seg.avg_logprob or 0.0) < -1.0


def to_segments(
    raw: RawSegment,
    offset: float,
    first_idx: int,
    th: Thresholds = DEFAULT,
    prompt: str | None = None,
) -> list[Segment]:
    """Split, flag and shift a recogniser segment to recording time; drop prompt echoes."""
    if is_fragment_garbage(raw):
        return []
    out: list[Segment] = []
    for piece in split_turns(raw, th):
        if not piece.text or is_prompt_echo(piece.text, prompt):
            continue
        out.append(
            Segment(
                idx=first_idx + len(out),
                start=round(piece.start + offset, 3),
                end=round(piece.end + offset, 3),
                text=piece.text,
                words=tuple(
                    Word(
                        round(w.start + offset, 3), round(w.end + offset, 3), w.text, w.probability
                    )
                    for w in piece.words
                ),
                avg_logprob=piece.avg_logprob,
                no_speech_prob=piece.no_speech_prob,
                compression_ratio=piece.compression_ratio,
                flags=flags_for(piece, th),
            )
        )
    return out
