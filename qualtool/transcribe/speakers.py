"""A first pass at who speaks when, for the reviewer to correct.

There is no diarization model on this stack, so two cheap cues are combined: each turn's
median voice pitch (autocorrelation F0; different people rarely share one) and the turn's
form (interviewers ask, respondents answer). Pitch clusters are used only when they are
clearly apart; otherwise questions go to the interviewer and the rest to the respondent.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from qualtool.domain import Method, Segment
from qualtool.transcribe.engine import SAMPLE_RATE

INTERVIEWER = "I"
MIN_SEPARATION_SEMITONES = 1.5


def median_pitch(audio: np.ndarray, start: float, end: float) -> float | None:
    """Median F0 in Hz of the voiced 40 ms frames of audio[start:end], or None."""
    clip = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    frame, hop = 640, 160
    if len(clip) < frame:
        return None
    n = 1 + (len(clip) - frame) // hop
    idx = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    frames = clip[idx] * np.hanning(frame)
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = (frames**2).sum(axis=1)
    loud = energy > 0.1 * np.median(energy[energy > 0]) if np.any(energy > 0) else energy > 0
    spec = np.fft.rfft(frames[loud], n=2 * frame)
    ac = np.fft.irfft(np.abs(spec) ** 2)[:, :frame]
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60  # 60–400 Hz
    if ac.shape[0] == 0:
        return None
    peak = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(ac.shape[0]), peak] / np.maximum(ac[:, 0], 1e-9)
    voiced = peak[strength > 0.45]
    if len(voiced) < 5:
        return None
    return float(SAMPLE_RATE / np.median(voiced))


def _voice_groups(values: np.ndarray, max_groups: int) -> np.ndarray:
    """1-D single-linkage: turns whose pitch differs by less than the threshold share a voice;
    if that yields more voices than people, the closest groups merge."""
    order = np.argsort(values)
    cuts = [i + 1 for i, d in enumerate(np.diff(values[order])) if d >= MIN_SEPARATION_SEMITONES]
    bounds = [0, *cuts, len(values)]
    groups = [list(order[a:b]) for a, b in itertools.pairwise(bounds)]
    while len(groups) > max_groups:
        means = [float(np.mean(values[g])) for g in groups]
        j = int(np.argmin(np.diff(means)))
        groups[j : j + 2] = [groups[j] + groups[j + 1]]
    labels = np.empty(len(values), dtype=int)
    for n, g in enumerate(groups):
        labels[g] = n
    return labels


def _is_question(seg: Segment) -> bool:
    return seg.text.rstrip().endswith("?")


def assign_speakers(
    segments: list[Segment],
    audio: np.ndarray | None,
    method: Method,
    participants: tuple[str, ...] = (),
) -> list[Segment]:
    """Label segments: "I" for the interviewer/moderator, participant pseudonyms (or R, P1…)."""
    if not segments:
        return segments
    respondents = list(participants) or (
        ["P1", "P2", "P3"] if method == Method.FOCUS_GROUP else ["R"]
    )
    voices = len(respondents) + 1
    pitches = [median_pitch(audio, s.start, s.end) if audio is not None else None for s in segments]
    known = [i for i, p in enumerate(pitches) if p]
    clusters: dict[int, int] = {}
    if len(known) >= 2:
        semis = 12 * np.log2(np.array([pitches[i] for i in known], dtype=float))
        labels = _voice_groups(semis, voices)
        if len(set(labels.tolist())) > 1:
            clusters = dict(zip(known, labels.tolist(), strict=True))
    if not clusters:
        return [
            replace(s, speaker=INTERVIEWER if _is_question(s) else respondents[0]) for s in segments
        ]
    # the voice that asks most is the interviewer; the others take pseudonyms in order of speaking
    asks: dict[int, int] = {}
    for i, c in clusters.items():
        asks[c] = asks.get(c, 0) + (2 if _is_question(segments[i]) else -1)
    interviewer = max(asks, key=lambda c: asks[c]) if max(asks.values()) > 0 else None
    names: dict[int, str] = {}
    for i in sorted(clusters):
        c = clusters[i]
        if c == interviewer:
            names[c] = INTERVIEWER
        elif c not in names:
            taken = sum(1 for v in names.values() if v != INTERVIEWER)
            names[c] = respondents[min(taken, len(respondents) - 1)]
    out, last = [], respondents[0]
    for i, s in enumerate(segments):
        if i in clusters:
            last = names[clusters[i]]
        out.append(replace(s, speaker=last))
    return out
