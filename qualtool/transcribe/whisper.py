"""faster-whisper behind the Engine protocol. The only module that imports faster_whisper."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from qualtool.domain import Word
from qualtool.domain.errors import InvalidInput, ModelUnavailable
from qualtool.i18n import _
from qualtool.transcribe.engine import SAMPLE_RATE, EngineOptions, RawSegment
from qualtool.transcribe.model import HOW_TO_GET, ModelSpec

_cache: dict[tuple[str, str, str, int], Any] = {}
_lock = threading.Lock()


def _load_model(spec: ModelSpec, device: str, compute_type: str, cpu_threads: int) -> Any:
    """Load once per (model, device, compute type, threads) for the process."""
    key = (spec.source, device, compute_type, cpu_threads)
    with _lock:
        if key not in _cache:
            # faster-whisper (CTranslate2, onnxruntime) costs ~1 s: loaded with the first model
            from faster_whisper import WhisperModel

            try:
                _cache[key] = WhisperModel(
                    spec.source,
                    device=device,
                    compute_type=compute_type,
                    cpu_threads=cpu_threads,
                    local_files_only=spec.local,
                )
            except Exception as exc:
                if not spec.local:
                    try:  # a hub name the user asked for: the only place we may download
                        _cache[key] = WhisperModel(
                            spec.source, device=device, compute_type=compute_type,
                            cpu_threads=cpu_threads,
                        )  # fmt: skip
                        return _cache[key]
                    except Exception as exc2:
                        raise ModelUnavailable(
                            _("cannot get model {model!r} ({error}); {how}").format(
                                model=spec.source, error=type(exc2).__name__, how=_(HOW_TO_GET)
                            )
                        ) from exc2
                raise ModelUnavailable(
                    _("cannot load model from {model} ({error}); {how}").format(
                        model=spec.source, error=exc, how=_(HOW_TO_GET)
                    )
                ) from exc
        return _cache[key]


class WhisperEngine:
    accepts_should_stop = True  # segments() stops its own decode loop on the runner's flag

    def __init__(
        self,
        spec: ModelSpec,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int = 0,
    ) -> None:
        self.name = spec.label
        self._model = _load_model(spec, device, compute_type, cpu_threads)

    def load_audio(self, path: str) -> np.ndarray:
        from faster_whisper import decode_audio  # heavy: see _load_model

        try:
            return decode_audio(path, sampling_rate=SAMPLE_RATE)
        except Exception as exc:
            raise InvalidInput(
                _("{path}: cannot decode audio ({error})").format(path=path, error=exc)
            ) from exc

    def detect_language(self, audio: np.ndarray, candidates: tuple[str, ...]) -> tuple[str, float]:
        probs = self._model.detect_language(audio=audio, vad_filter=True)[2]
        table = dict(probs)
        best = max(candidates, key=lambda lang: table.get(lang, 0.0))
        total = sum(table.get(lang, 0.0) for lang in candidates) or 1.0
        return best, table.get(best, 0.0) / total

    def segments(
        self,
        audio: np.ndarray,
        language: str,
        options: EngineOptions,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[RawSegment]:
        kwargs: dict[str, Any] = {
            "language": language,
            "beam_size": options.beam_size,
            "word_timestamps": True,
            "vad_filter": options.vad,
            "hotwords": options.hotwords or None,
            "initial_prompt": options.initial_prompt or None,
            **options.extra,
        }
        if options.vad:
            kwargs["vad_parameters"] = {"min_silence_duration_ms": options.vad_min_silence_ms}
        if options.batched:
            from faster_whisper import BatchedInferencePipeline  # heavy: see _load_model

            pipeline = BatchedInferencePipeline(self._model)
            segs, _info = pipeline.transcribe(
                audio, without_timestamps=False, batch_size=8, **kwargs
            )
        else:
            segs, _info = self._model.transcribe(audio, **kwargs)
        for s in segs:
            yield RawSegment(
                start=float(s.start),
                end=float(s.end),
                text=s.text,
                words=tuple(
                    Word(float(w.start), float(w.end), w.word, float(w.probability))
                    for w in (s.words or [])
                ),
                avg_logprob=float(s.avg_logprob),
                no_speech_prob=float(s.no_speech_prob),
                compression_ratio=float(s.compression_ratio),
            )
            if should_stop and should_stop():  # checked between segments, never before the first
                close = getattr(segs, "close", None)
                if close:
                    close()  # ends faster-whisper's generator: no further window is decoded
                return
