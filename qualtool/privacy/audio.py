"""Redacted copies of the recordings: every replaced word is silenced (or beeped) using the
word timestamps, so what is shared (QDPX, a colleague's copy) does not say the names either.

After `anonymise --apply` a replaced word's text is the pseudonym («Имя-1», «[ИИН]») or empty
(absorbed into the pseudonym of the words before it); a changed segment without word timings is
silenced whole. Copies go to audio/redacted/<key>.wav (16-bit PCM, original rate, mono); the
originals are not touched.
"""

from __future__ import annotations

import json
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.privacy.detect import PSEUDONYM
from qualtool.store import privacy as store
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import Workspace

REDACTED_DIR = Path("audio") / "redacted"
PAD = 0.08  # seconds around each word: word edges from Whisper are approximate


@dataclass
class AudioReport:
    recordings: int = 0
    ranges: int = 0
    seconds: float = 0.0


def ranges(ws: Workspace, key: str) -> list[tuple[float, float]]:
    """Time ranges to redact in one recording, merged."""
    out: list[tuple[float, float]] = []
    for seg in store.segment_timings(ws.db, key):
        if not PSEUDONYM.search(seg["text"]):
            continue
        words = json.loads(seg["words"] or "[]")
        if not words:
            out.append((seg["start"], seg["end"]))
            continue
        for start, end, text, _p in words:
            if not text.strip() or PSEUDONYM.search(text):
                out.append((max(0.0, start - PAD), end + PAD))
    out.sort()
    merged: list[tuple[float, float]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _decode(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate or 16000
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return (np.concatenate(chunks) if chunks else np.zeros(0, np.int16)).astype(np.int16), rate


def redact_recording(path: Path, spans: list[tuple[float, float]], out: Path,
                     beep: bool = False) -> float:  # fmt: skip
    """Write the redacted copy; returns the seconds covered."""
    samples, rate = _decode(path)
    covered = 0.0
    for a, b in spans:
        i, j = int(a * rate), min(len(samples), int(b * rate))
        if j <= i:
            continue
        if beep:
            t = np.arange(j - i) / rate
            samples[i:j] = (np.sin(2 * np.pi * 1000 * t) * 3000).astype(np.int16)
        else:
            samples[i:j] = 0
        covered += (j - i) / rate
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    tmp.replace(out)
    return covered


def redact_audio(ws: Workspace, beep: bool = False, keys: list[str] | None = None) -> AudioReport:
    if store.applied_id(ws.db) is None:
        raise InvalidInput(
            _(
                "anonymise the transcripts first (`qualtool anonymise --apply`): "
                "the redacted audio follows what was replaced there"
            )
        )
    report = AudioReport()
    for rec in rec_store.list_recordings(ws.db):
        if rec.format == "text" or (keys and rec.key not in keys):
            continue
        source = ws.study.resolve(rec.path)
        if not source.exists():
            continue
        spans = ranges(ws, rec.key)
        report.seconds += redact_recording(source, spans, redacted_path(ws, rec.key), beep)
        report.recordings += 1
        report.ranges += len(spans)
    return report


def redacted_path(ws: Workspace, key: str) -> Path:
    return ws.study.root / REDACTED_DIR / f"{key}.wav"
