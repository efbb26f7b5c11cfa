"""Transcribing one recording: resumable, cancellable, with progress.

Each segment is committed as it arrives. A run that is killed or cancelled leaves its
segments in the database; the next run starts at the end of the last stored segment instead
of at zero. The same function serves the CLI (progress bar, Ctrl-C) and the TUI (a worker).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from qualtool.domain import Codebook, Language, Recording, Segment, Transcript, TranscriptStatus
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.files.codebook import load_codebook as load_codebook_file
from qualtool.files.study import Study
from qualtool.i18n import _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import coded_count
from qualtool.store.db import open_db, user_error
from qualtool.transcribe.engine import SAMPLE_RATE, Engine, EngineOptions, RawSegment
from qualtool.transcribe.glossary import Corrector
from qualtool.transcribe.model import resolve
from qualtool.transcribe.postprocess import to_segments
from qualtool.transcribe.speakers import assign_speakers
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import refuse_if_anonymised, replace_segments, write_outputs

MAX_HOTWORDS = 40
PROMPT_LEAD = {"ru": "Термины", "kk": "Терминдер"}  # «Terms:», see prompt_line()
CYRILLIC_LANGUAGES = frozenset({"ru", "kk"})
_LATIN = re.compile(r"[A-Za-z]")
TAIL_PADDING = 1.0  # seconds of silence appended: see _with_tail()
# Once a segment ends this close to the end of the recording, the rest (a breath plus the tail
# padding) is not decoded: Whisper, given a half-second scrap after its last timestamp, loops
# through every fallback temperature (48 s for the 11 s sample call with the glossary).
END_SLACK = 0.5


def _with_tail(audio: np.ndarray) -> np.ndarray:
    """Append a second of silence. Whisper decodes a sub-second remainder after its last 30 s
    window badly (invented words, and with hotwords a slow temperature-fallback loop: 8 s
    instead of 22 s on the sample focus group); with the pad the last window closes cleanly."""
    return np.concatenate([audio, np.zeros(int(TAIL_PADDING * SAMPLE_RATE), dtype=audio.dtype)])


@dataclass(frozen=True, slots=True)
class Progress:
    done: float  # seconds of audio transcribed
    total: float
    segments: int
    elapsed: float  # wall seconds of this run
    resumed_from: float
    latest: Segment | None = None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0

    @property
    def speed(self) -> float:
        """× real time for this run's part of the audio."""
        return (self.done - self.resumed_from) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        return (self.total - self.done) / self.speed if self.speed > 0 else None


def make_engine(study: Study) -> Engine:
    """The configured faster-whisper engine (model resolved without surprise downloads)."""
    # faster-whisper (CTranslate2, onnxruntime) takes ~1 s to import: only when a model is needed
    from qualtool.transcribe.whisper import WhisperEngine

    s = study.config.transcription
    return WhisperEngine(resolve(s.model), device=s.device, compute_type=s.compute_type,
                         cpu_threads=s.cpu_threads)  # fmt: skip


def glossary_terms(ws: Workspace) -> tuple[str, ...]:
    """study.toml's glossary and the codebook's: the terms post-correction may write."""
    path = ws.study.codebook_path
    codebook = load_codebook_file(path).glossary if path.exists() else ()
    return tuple(dict.fromkeys([*ws.study.config.transcription.glossary, *codebook]))


def hotwords(ws: Workspace) -> str:
    """The study's glossary, then the codebook's hotwords, comma-separated: glossary from the
    codebook file (the database does not keep it), keywords in stored order. The runner turns
    the list into a line of text in the recording's language (`prompt_line`)."""
    path = ws.study.codebook_path
    glossary = load_codebook_file(path).glossary if path.exists() else ()
    stored = load_codebook(ws.db)
    codebook = Codebook(name=stored.name, codes=stored.codes, glossary=glossary)
    terms = dict.fromkeys([*ws.study.config.transcription.glossary, *codebook.hotwords()])
    return ", ".join(speakable(list(terms), ws.study.config.languages)[:MAX_HOTWORDS])


def prompt_line(terms: str | None, language: str) -> str | None:
    """The glossary as Whisper reads a prompt — the transcript said before this window — so as
    one punctuated line of that text, «Термины: ЦОН, ЭЦП, акимат.», not a bare run of tokens.

    A bare run («ЦОН ЭЦП ЕНПФ … СЭС») is unlike any transcript and perturbed words it has
    nothing to do with: over 16 orders of the sample's 11 terms it made fg-01 (which names no
    term) worse in 15, against 8 for the line, whose mean WER/CER was also lower (issue #16,
    bench/transcribe.py --matrix). Terms only — no topic sentence: the line should add no
    words Whisper might then "hear". Passed as faster-whisper's `hotwords`, which precede every
    window; an `initial_prompt` only starts a sequential decode and scrolls out with its text."""
    if not terms or not terms.strip():
        return None
    if any(terms.startswith(f"{lead}:") for lead in PROMPT_LEAD.values()):
        return terms  # already a line (a caller's own options)
    return f"{PROMPT_LEAD.get(language, PROMPT_LEAD['ru'])}: {terms.strip().rstrip('.')}."


def speakable(terms: list[str], languages: tuple[str, ...]) -> list[str]:
    """Hotwords in the script the recordings are spoken in. Latin terms (eGov, NCALayer, SMS)
    in a Russian or Kazakh prompt pull Whisper into writing Latin for Russian words
    («контакт-центр» came out as «контакт Center» on the sample call, CER 0.09 → 0.12). They
    stay in the glossary's post-correction, which fixes Latin near misses («egov» → «eGov»)."""
    if not languages or not set(languages) <= CYRILLIC_LANGUAGES:
        return terms
    return [t for t in terms if not _LATIN.search(t)]


def engine_options(ws: Workspace, glossary_prompt: bool | None = None) -> EngineOptions:
    """The study's decoding settings. The glossary always corrects near misses after decoding;
    it reaches Whisper as a prompt only when `glossary_prompt` (default: study.toml's): a
    prompt shifts every word of a window, not only the terms — on the sample interview idi-02
    it turned a correct «электронная цифровая подпись» into «электронная цифра, я подпис»
    (WER 0.15 → 0.20) while the correction alone left every sample recording as good or better
    (bench/transcribe.py --matrix)."""
    s = ws.study.config.transcription
    prompt = s.glossary_prompt if glossary_prompt is None else glossary_prompt
    return EngineOptions(beam_size=s.beam_size, vad=s.vad, vad_min_silence_ms=s.vad_min_silence_ms,
                         batched=s.batched, hotwords=hotwords(ws) if prompt else None,
                         glossary=glossary_terms(ws))  # fmt: skip


def no_audio(key: str) -> str:
    """Why a recording whose transcript came as text is not transcribed (the CLI, the TUI)."""
    return _("{key} has no audio (its transcript was imported as text): there is nothing to "
             "transcribe").format(key=key)  # fmt: skip


def transcribe_recording(
    ws: Workspace,
    rec: Recording,
    engine: Engine,
    *,
    options: EngineOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    restart: bool = False,
    write_files: bool = True,
    allow_originals: bool = False,
) -> Transcript:
    """Decode `rec` (resuming a killed run); on an anonymised study a run that would write new
    text is refused unless `allow_originals` (see refuse_if_anonymised)."""
    if rec.text_only:  # its path `text:<key>` is no file: «cannot decode audio» said nothing
        raise InvalidInput(no_audio(rec.key))
    db = ws.db
    options = options or engine_options(ws)
    existing = tr_store.get_transcript(db, rec.id or 0)
    finished = existing and existing.status == TranscriptStatus.DONE and existing.segments
    if not allow_originals and (restart or not finished):
        refuse_if_anonymised(ws, "transcribe")
    if existing and restart and coded_count(db, existing.id or 0):
        return _retranscribe_coded(ws, rec, engine, options, on_progress, should_stop)
    audio = engine.load_audio(str(ws.study.resolve(rec.path)))
    total = len(audio) / SAMPLE_RATE
    if existing and restart:
        tr_store.reset_transcript(db, existing.id or 0)
        existing = tr_store.get_transcript(db, rec.id or 0)
    if existing and existing.status == TranscriptStatus.DONE and existing.segments:
        return existing
    done_segments = list(existing.segments) if existing else []
    offset = done_segments[-1].end if done_segments else 0.0
    language = existing.language if existing and existing.language in ("ru", "kk") else None
    if language is None:
        if rec.language in (Language.RU, Language.KK):
            language = rec.language.value
        else:
            language, _confidence = engine.detect_language(
                audio[: 30 * SAMPLE_RATE], ws.study.config.languages
            )
    options = replace(options, hotwords=prompt_line(options.hotwords, language))
    settings = {**asdict(options), "language_setting": rec.language.value}
    t = tr_store.start_transcript(db, rec.id or 0, language=language, model=engine.name,
                                  settings=settings, duration=total)  # fmt: skip
    tid = t.id or 0
    next_idx = done_segments[-1].idx + 1 if done_segments else 0
    started = time.monotonic()
    count = len(done_segments)
    if on_progress:  # where a resumed run starts, before the first window is decoded
        on_progress(Progress(offset, total, count, 0.0, offset))
    cancelled = False

    def stop() -> bool:  # once cancelled, stays cancelled (the engine may have asked first)
        nonlocal cancelled
        cancelled = cancelled or bool(should_stop and should_stop())
        return cancelled

    corrector = Corrector(options.glossary)
    try:
        if total - offset > 0.3:
            for raw in _stoppable(
                engine, _with_tail(audio[int(offset * SAMPLE_RATE) :]), language, options, stop
            ):
                for seg in to_segments(raw, offset, next_idx, prompt=options.hotwords):
                    if seg.start >= total:
                        continue  # nothing real is said in the padding
                    seg = corrector(seg)
                    stored = tr_store.append_segment(
                        db, tid, seg, progress=min(1.0, seg.end / total)
                    )
                    next_idx, count = seg.idx + 1, count + 1
                    if on_progress:
                        on_progress(
                            Progress(
                                seg.end, total, count, time.monotonic() - started, offset, stored
                            )
                        )
                if stop():
                    tr_store.set_status(db, tid, TranscriptStatus.PENDING)
                    return _reload(ws, rec)
                if offset + raw.end >= total - END_SLACK:
                    break  # the speech reached the end of the audio: see END_SLACK
            if cancelled:  # the engine ended its loop on the flag: not the end of the audio
                tr_store.set_status(db, tid, TranscriptStatus.PENDING)
                return _reload(ws, rec)
    except BaseException as exc:
        # Ctrl-C or a crash: what was committed stays; the next run resumes after it
        status = (
            TranscriptStatus.PENDING
            if isinstance(exc, KeyboardInterrupt)
            else TranscriptStatus.FAILED
        )
        tr_store.set_status(
            db, tid, status, error=None if status == TranscriptStatus.PENDING else str(exc)
        )
        raise
    _label_speakers(ws, rec, tid, audio)
    tr_store.set_status(db, tid, TranscriptStatus.DONE, progress=1.0)
    if on_progress:
        on_progress(Progress(total, total, count, time.monotonic() - started, offset))
    if write_files:
        write_outputs(ws, rec)
    return _reload(ws, rec)


def _stoppable(engine: Engine, audio: np.ndarray, language: str, options: EngineOptions,
               stop: Callable[[], bool]) -> Iterator[RawSegment]:  # fmt: skip
    """The engine's segments; an engine that can stop inside its own loop (the real one checks
    between segments of a window) is given the flag too."""
    if getattr(engine, "accepts_should_stop", False):
        return engine.segments(audio, language, options, should_stop=stop)  # type: ignore[call-arg]
    return engine.segments(audio, language, options)


def scratch_path(ws: Workspace, rec: Recording) -> Path:
    """Where a re-transcription of a coded recording decodes (never in git: `.qualtool/`)."""
    return ws.study.root / ".qualtool" / "retranscribe" / f"{rec.key}.db"


def pending_restarts(ws: Workspace) -> set[str]:
    """Recordings whose `--restart` was interrupted: `transcribe --all` finishes them."""
    folder = ws.study.root / ".qualtool" / "retranscribe"
    return {p.stem for p in folder.glob("*.db")} if folder.is_dir() else set()


def _retranscribe_coded(ws: Workspace, rec: Recording, engine: Engine, options: EngineOptions,
                        on_progress: Callable[[Progress], None] | None,
                        should_stop: Callable[[], bool] | None) -> Transcript:  # fmt: skip
    """Transcribe again without losing coders' work: decode into a scratch database, then swap
    the new segments in with every coding re-anchored on its words. If any coding cannot be
    re-found, nothing changes (InvalidInput says which).

    The scratch database is a file kept until the swap succeeds: a killed run resumes its
    decoding, and a swap that meets a lock keeps the decoded transcript for the next try."""
    ws.refuse_if_read_only()
    path = scratch_path(ws, rec)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = Workspace(ws.study, open_db(path))
    try:
        copies = rec_store.list_recordings(scratch.db)
        if copies and copies[0].checksum == rec.checksum:
            copy = copies[0]
        else:
            for old in copies:
                rec_store.delete_recording(scratch.db, old)
            copy = rec_store.insert_recording(scratch.db, replace(rec, id=None))
        fresh = transcribe_recording(scratch, copy, engine, options=options,
                                     on_progress=on_progress, should_stop=should_stop,
                                     write_files=False)  # fmt: skip
        if fresh.status != TranscriptStatus.DONE:
            return _reload(ws, rec)  # cancelled: the coded transcript stays as it was
        meta: dict[str, object] = {"language": fresh.language, "model": fresh.model, "settings": fresh.settings,
                "duration": fresh.duration}  # fmt: skip
        try:
            replace_segments(ws, rec, list(fresh.segments), meta, source=_("the new transcription"))
        except Exception as exc:
            err = user_error(exc)
            if err is None:  # codings that cannot be placed: this decode is of no further use
                scratch.close()
                _discard(path)
                raise
            raise QualtoolError(
                _(
                    "{error}; the new transcript of {key} is kept ({path}): "
                    "run `qualtool transcribe {key} --restart` again to swap it in"
                ).format(error=err, key=rec.key, path=ws.study.relative(path))
            ) from None
    finally:
        scratch.close()
    _discard(path)
    write_outputs(ws, rec)
    return _reload(ws, rec)


def _discard(path: Path) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink(missing_ok=True)


def _label_speakers(ws: Workspace, rec: Recording, tid: int, audio) -> None:  # type: ignore[no-untyped-def]
    segs = tr_store.segments(ws.db, tid)
    if all(s.speaker for s in segs):
        return  # never overwrite labels a reviewer set
    people = tuple(p.pseudonym for p in rec.participants if p.role.value != "interviewer")
    labelled = assign_speakers(segs, audio, rec.method, people)
    with ws.db.atomic():
        for old, new in zip(segs, labelled, strict=True):
            if not old.speaker and new.speaker:
                tr_store.update_segment(ws.db, old.id or 0, speaker=new.speaker)


def _reload(ws: Workspace, rec: Recording) -> Transcript:
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    assert t is not None
    return t
