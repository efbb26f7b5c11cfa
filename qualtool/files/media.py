"""What a media file is: probed and test-decoded with PyAV (already a faster-whisper dependency).

Decoding the first second catches files that have a valid header but a broken body, which
would otherwise fail an hour into a transcription.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import av

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _

AUDIO_SUFFIXES = {
    ".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".wma", ".amr", ".3gp",
    ".mp4", ".mov", ".mkv", ".webm", ".avi",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MediaInfo:
    duration: float
    format: str  # container, e.g. "wav", "mp3", "mov,mp4,m4a,3gp,3g2,mj2"
    codec: str
    sample_rate: int
    channels: int
    has_video: bool


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def probe(path: Path) -> MediaInfo:
    """Raise InvalidInput with a one-line reason unless `path` holds decodable audio."""
    if not path.exists():
        raise InvalidInput(_("{path}: no such file").format(path=path))
    if not path.is_file():
        raise InvalidInput(_("{path}: not a file").format(path=path))
    if path.stat().st_size == 0:
        raise InvalidInput(_("{path}: empty file").format(path=path))
    try:
        with av.open(str(path)) as container:
            streams = container.streams.audio
            if not streams:
                raise InvalidInput(
                    _("{path}: no audio stream (not an audio or video file)").format(path=path)
                )
            stream = streams[0]
            decoded = 0.0
            for frame in container.decode(stream):
                decoded += frame.samples / (frame.sample_rate or 1)
                if decoded >= 1.0:
                    break
            duration = _duration(container, stream)
            if decoded <= 0 or duration <= 0:
                raise InvalidInput(
                    _("{path}: no decodable audio (corrupt or truncated file)").format(path=path)
                )
            return MediaInfo(
                duration=duration,
                format=container.format.name,
                codec=stream.codec_context.name,
                sample_rate=stream.codec_context.sample_rate or 0,
                channels=stream.codec_context.channels or 0,
                has_video=bool(container.streams.video),
            )
    except InvalidInput:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).split(":")[0]
        raise InvalidInput(
            _("{path}: not a readable audio/video file ({reason})").format(path=path, reason=reason)
        ) from exc


def check_complete(path: Path, info: MediaInfo) -> float:
    """Decode the whole audio stream: a file cut short (a copy that stopped half-way) or broken
    in the middle still has a header promising the full length, and would otherwise transcribe
    to a silently shorter transcript. Returns the decoded seconds."""
    decoded = 0.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                decoded += frame.samples / (frame.sample_rate or 1)
    except (av.error.FFmpegError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).split(":")[0]
        raise InvalidInput(
            _("{path}: the audio is corrupt after {decoded} of {duration} ({reason}); not added")
            .format(path=path, decoded=_clock(decoded), duration=_clock(info.duration),
                    reason=reason)
        ) from None  # fmt: skip
    if info.duration > 0 and decoded < info.duration * 0.98 - 0.5:
        raise InvalidInput(
            _(
                "{path}: truncated or damaged: only {decoded} of the {duration} its header "
                "announces can be decoded; not added"
            ).format(path=path, decoded=_clock(decoded), duration=_clock(info.duration))
        )
    return decoded


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _duration(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0
