"""Turn splitting, review flags, prompt echoes and the speaker heuristic on real audio."""

from __future__ import annotations

import numpy as np
from conftest import AUDIO, words_for

from qualtool.domain import Method, Segment
from qualtool.transcribe.engine import RawSegment
from qualtool.transcribe.postprocess import flags_for, is_prompt_echo, split_turns, to_segments
from qualtool.transcribe.speakers import assign_speakers, median_pitch


def test_question_and_answer_in_one_segment_are_split() -> None:
    words = words_for("Как вы получали услугу?", 0.0, 3.0) + words_for(
        "Через ЦОН, долго.", 3.8, 6.0
    )
    raw = RawSegment(0.0, 6.0, " «Как вы получали услугу? Через ЦОН, долго.»", words)
    parts = split_turns(raw)
    assert [p.text for p in parts] == ["Как вы получали услугу?", "Через ЦОН, долго."]
    assert parts[1].start == 3.8


def test_short_pause_mid_sentence_does_not_split() -> None:
    words = words_for("Я ждал", 0.0, 1.0) + words_for("больше месяца.", 1.7, 3.0)
    assert len(split_turns(RawSegment(0.0, 3.0, "Я ждал больше месяца.", words))) == 1


def test_flags() -> None:
    low = RawSegment(0, 2, "эцэпэ", words_for("эцэпэ", 0, 2, prob=0.3), avg_logprob=-1.2)
    loop = RawSegment(
        0, 2, "да да да", words_for("да да да", 0, 2), compression_ratio=3.1, avg_logprob=-0.3
    )
    ghost = RawSegment(
        0, 2, "Спасибо", words_for("Спасибо", 0, 2), no_speech_prob=0.9, avg_logprob=-0.8
    )
    assert flags_for(low) == ("low_confidence",)
    assert flags_for(loop) == ("repetition_loop",)
    assert "maybe_silence" in flags_for(ghost)


def test_prompt_echo_and_tail_garbage_are_dropped() -> None:
    prompt = "ЦОН ЭЦП eGov ЕНПФ 1414 акимат"
    assert is_prompt_echo("ЦОН ЭЦП eGov ЕНПФ", prompt)
    assert not is_prompt_echo("Я пошёл в ЦОН за справкой", prompt)
    tail = RawSegment(20.0, 20.24, " И", words_for("И", 20.0, 20.24, 0.01), avg_logprob=-2.6)
    assert to_segments(tail, 0.0, 7) == []
    real = RawSegment(1.0, 3.0, " Я ждал.", words_for("Я ждал.", 1.0, 3.0))
    assert [(s.idx, s.start) for s in to_segments(real, 10.0, 7)] == [(7, 11.0)]


def _audio(name: str) -> np.ndarray:
    from faster_whisper import decode_audio  # resamples to 16 kHz mono, as the runner does

    return decode_audio(str(AUDIO / name))


def test_pitch_separates_interviewer_from_respondent() -> None:
    audio = _audio("idi-02.flac")  # the interviewer's voice is pitched up
    turns = [(0.0, 5.4, "Расскажите, как вы получали услугу?"), (6.0, 13.2, "Сначала через портал."),
             (14.2, 17.5, "А подпись работала"), (18.2, 28.4, "Нет, не срабатывала.")]  # fmt: skip
    pitches = [median_pitch(audio, a, b) for a, b, _ in turns]
    assert pitches[0] > pitches[1] * 1.15 and pitches[2] > pitches[3] * 1.15
    segs = [Segment(i, a, b, t) for i, (a, b, t) in enumerate(turns)]
    labelled = assign_speakers(segs, audio, Method.INTERVIEW, ("R02",))
    # the third turn has no question mark, yet its voice marks it as the interviewer's
    assert [s.speaker for s in labelled] == ["I", "R02", "I", "R02"]


def test_focus_group_voices_get_participant_pseudonyms() -> None:
    audio = _audio("fg-01.ogg")
    turns = [(0.0, 5.8, "Сотрудники отвечают резко."), (6.8, 12.8, "В районе тяжело с интернетом."),
             (14.0, 20.0, "Через знакомых быстрее.")]  # fmt: skip
    segs = [Segment(i, a, b, t) for i, (a, b, t) in enumerate(turns)]
    labelled = assign_speakers(segs, audio, Method.FOCUS_GROUP, ("P1", "P2", "P3"))
    assert [s.speaker for s in labelled] == ["P1", "P2", "P3"]


def test_without_audio_questions_go_to_interviewer() -> None:
    segs = [Segment(0, 0, 1, "Как дела?"), Segment(1, 1, 2, "Плохо.")]
    assert [s.speaker for s in assign_speakers(segs, None, Method.INTERVIEW)] == ["I", "R"]
