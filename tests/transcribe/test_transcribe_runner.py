"""The transcription runner with an injected engine: storage, progress, cancel, resume, kill."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AUDIO, SCRIPT, FakeEngine

from qualtool.domain import Recording, TranscriptStatus
from qualtool.files.study import init_study, load_study
from qualtool.recordings.importing import import_file
from qualtool.store import transcripts as tr_store
from qualtool.transcribe.engine import EngineOptions
from qualtool.transcribe.run import engine_options, prompt_line, speakable, transcribe_recording
from qualtool.workspace.study import open_workspace


def _rec(ws):  # type: ignore[no-untyped-def]
    from qualtool.domain import Language

    return import_file(ws.study, ws.db, AUDIO / "idi-02.flac", Recording(language=Language.RU))


def test_segments_progress_and_outputs(empty_study, fake_engine) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = _rec(ws)
    seen = []
    t = transcribe_recording(ws, rec, fake_engine, on_progress=seen.append)
    assert t.status == TranscriptStatus.DONE and len(t.segments) == 5
    assert [s.idx for s in t.segments] == list(range(5))
    assert t.segments[1].text.startswith("Мне пришлось три раза")
    assert t.segments[0].words and t.language == "ru"
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert t.segments[0].speaker == "I" and t.segments[1].speaker == "R"  # questions → interviewer
    for suffix in ("json", "md", "srt", "vtt"):
        assert (ws.study.transcripts_dir / f"{rec.key}.{suffix}").exists()
    md = (ws.study.transcripts_dir / f"{rec.key}.md").read_text(encoding="utf-8")
    assert "[00:00:03] R: Мне пришлось" in md
    # a second run does nothing: the transcript is done
    again = transcribe_recording(ws, rec, fake_engine)
    assert len(again.segments) == 5 and len(fake_engine.calls) == 1


def test_cancel_then_resume_continues_after_last_segment(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = _rec(ws)
    engine = FakeEngine(SCRIPT)
    stop_after = iter([False, True])
    t = transcribe_recording(ws, rec, engine, should_stop=lambda: next(stop_after, True))
    assert t.status == TranscriptStatus.PENDING and len(t.segments) == 2
    t = transcribe_recording(ws, rec, engine)
    assert engine.calls == [0.0, 8.0]  # resumed at the end of the second segment
    assert t.status == TranscriptStatus.DONE
    assert [s.text for s in t.segments] == [text for _, _, text in SCRIPT]


KILL_SCRIPT = """
import sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEngine, SCRIPT
from qualtool.workspace.study import open_workspace
from qualtool.store.recordings import get_recording
from qualtool.transcribe.run import speakable, transcribe_recording
from pathlib import Path
ws = open_workspace(Path({root!r}))
rec = get_recording(ws.db, 'idi-02')
class Stalls(FakeEngine):
    # after three segments the decoder hangs: the kill lands at a known point, not a timed one
    def segments(self, audio, language, options):
        for n, seg in enumerate(super().segments(audio, language, options), 1):
            yield seg
            if n == 3:
                time.sleep(3600)
transcribe_recording(ws, rec, Stalls(SCRIPT),
                     on_progress=lambda p: print('segment', p.segments, flush=True))
"""


def test_killed_process_resumes_from_last_stored_segment(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = _rec(ws)
    code = KILL_SCRIPT.format(tests=str(Path(__file__).parents[1]), root=str(ws.study.root))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("segment 3"):
            os.kill(proc.pid, signal.SIGKILL)  # no cleanup runs: like a power cut
            break
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    t = tr_store.get_transcript(ws.db, rec.id)
    assert t.status == TranscriptStatus.RUNNING and len(t.segments) == 3
    engine = FakeEngine(SCRIPT)
    t = transcribe_recording(ws, rec, engine)
    assert len(engine.calls) == 1
    assert engine.calls[0] >= 12.0  # started after the stored segments, not at zero
    assert [s.text for s in t.segments] == [text for _, _, text in SCRIPT]
    assert t.status == TranscriptStatus.DONE


def test_engine_crash_marks_failed_and_keeps_segments(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = _rec(ws)

    class Broken(FakeEngine):
        def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
            it = super().segments(audio, language, options)
            yield next(it)
            raise RuntimeError("decoder died")

    with contextlib.suppress(RuntimeError):
        transcribe_recording(ws, rec, Broken(SCRIPT))
    t = tr_store.get_transcript(ws.db, rec.id)
    assert t.status == TranscriptStatus.FAILED and len(t.segments) == 1
    engine = FakeEngine(SCRIPT)
    t = transcribe_recording(ws, rec, engine)
    assert engine.calls[0] == pytest.approx(SCRIPT[0][1])  # resumed after the kept segment
    assert [s.text for s in t.segments] == [text for _, _, text in SCRIPT]
    assert t.status == TranscriptStatus.DONE


def test_restart_keeps_codings_or_changes_nothing(empty_study, fake_engine) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from qualtool.domain import Coding
    from qualtool.domain.errors import InvalidInput
    from qualtool.store.codings import add_coding, codings_for_transcript

    ws = empty_study
    rec = _rec(ws)
    t = transcribe_recording(ws, rec, fake_engine)
    seg = t.segments[1]
    q = "требовали дополнительные справки"
    add_coding(ws.db, Coding(seg.id, "BUR.EXTRA_DOCS", "anna", seg.text.index(q),
                             seg.text.index(q) + len(q), ""))  # fmt: skip
    # the same words again: the coding follows them into the new transcript
    t2 = transcribe_recording(ws, rec, FakeEngine(SCRIPT), restart=True)
    (c,) = codings_for_transcript(ws.db, t2.id)
    assert c.quote == q and len(t2.segments) == 5
    # a transcription that lost those words: refused, nothing changed
    other = [
        (a, b, text.replace("требовали дополнительные справки", "всё прошло быстро"))
        for a, b, text in SCRIPT
    ]
    with pytest.raises(InvalidInput, match="1 coding"):
        transcribe_recording(ws, rec, FakeEngine(other), restart=True)
    t3 = tr_store.get_transcript(ws.db, rec.id)
    assert [s.text for s in t3.segments] == [s.text for s in t2.segments]


def test_unreadable_audio_is_a_clear_error(empty_study, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from qualtool.domain.errors import InvalidInput
    from qualtool.transcribe.whisper import WhisperEngine

    engine = WhisperEngine.__new__(WhisperEngine)  # load_audio needs no model
    bad = tmp_path / "bad.wav"
    bad.write_text("garbage")
    with pytest.raises(InvalidInput, match="cannot decode audio"):
        engine.load_audio(str(bad))


class ScrapAtTheEnd(FakeEngine):
    """Speech that runs to the end of the audio, then the scrap Whisper would loop on."""

    def __init__(self) -> None:
        super().__init__([*SCRIPT, (22.0, 22.3, "и и и и и и")])
        self.total = 22.3  # the last real segment ends 0.3 s before the end of the audio
        self.yielded = 0

    def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
        for raw in super().segments(audio, language, options):
            self.yielded += 1
            yield raw


def test_the_scrap_after_speech_that_reaches_the_end_is_not_decoded(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = _rec(ws)
    engine = ScrapAtTheEnd()
    t = transcribe_recording(ws, rec, engine)
    assert t.status == TranscriptStatus.DONE
    assert [s.text for s in t.segments] == [text for _, _, text in SCRIPT]
    assert engine.yielded == len(SCRIPT)  # the engine was never asked for the scrap


def test_latin_hotwords_stay_out_of_a_russian_prompt() -> None:
    terms = ["ЦОН", "eGov", "ЭЦП", "NCALayer", "1414", "egov.kz"]
    assert speakable(terms, ("ru", "kk")) == ["ЦОН", "ЭЦП", "1414"]
    assert speakable(terms, ("ru", "en")) == terms  # an English study speaks Latin terms


def test_the_glossary_reaches_whisper_as_one_punctuated_line() -> None:
    assert prompt_line("ЦОН, ЭЦП, акимат", "ru") == "Термины: ЦОН, ЭЦП, акимат."
    assert prompt_line("ЦОН, ЭЦП", "kk") == "Терминдер: ЦОН, ЭЦП."
    assert prompt_line("Термины: ЦОН.", "ru") == "Термины: ЦОН."  # already a line
    assert prompt_line(None, "ru") is None and prompt_line(" ", "ru") is None


def test_the_engine_decodes_with_the_line_in_the_recordings_language(empty_study) -> None:  # type: ignore[no-untyped-def]
    class Records(FakeEngine):
        def segments(self, audio, language, options):  # type: ignore[no-untyped-def]
            self.options = options
            yield from super().segments(audio, language, options)

    ws = empty_study
    engine = Records(SCRIPT)
    t = transcribe_recording(ws, _rec(ws), engine, options=EngineOptions(hotwords="ЦОН, ЭЦП"))
    assert engine.options.hotwords == "Термины: ЦОН, ЭЦП."
    assert t.settings["hotwords"] == "Термины: ЦОН, ЭЦП."  # the transcript says what was used


def test_the_glossary_is_a_prompt_only_when_the_study_asks(tmp_path: Path) -> None:
    """By default the glossary only corrects near misses after decoding (a prompt made the
    sample interview idi-02 worse); `glossary_prompt = true` also hands it to Whisper."""
    study = init_study(tmp_path / "s", name="s", year=2025, coder="anna")
    ws = open_workspace(study.root)
    default = engine_options(ws)
    assert default.hotwords is None and "ЦОН" in default.glossary
    ws.close()
    toml = study.root / "study.toml"
    toml.write_text(toml.read_text().replace("glossary_prompt = false", "glossary_prompt = true"))
    assert load_study(study.root).config.transcription.glossary_prompt
    ws = open_workspace(study.root)
    assert "ЦОН" in (engine_options(ws).hotwords or "")
    assert engine_options(ws, glossary_prompt=False).hotwords is None
    ws.close()
