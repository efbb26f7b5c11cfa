"""Real faster-whisper on the shipped Russian fixtures (needs the `model` extra).

The fixtures were synthesised with festival's Russian voice; their reference texts are in
audio/reference/. Bounds are loose: they catch a broken pipeline, not a 1-point regression
(bench/transcribe.py prints the exact figures).
"""

from __future__ import annotations

import pytest
from conftest import AUDIO

from qualtool.store import recordings as rec_store
from qualtool.transcribe import model
from qualtool.transcribe.metrics import reference_text, wer
from qualtool.transcribe.run import make_engine, transcribe_recording
from qualtool.workspace.study import open_workspace

pytestmark = pytest.mark.whisper


@pytest.fixture(scope="module")
def engine(tmp_path_factory):  # type: ignore[no-untyped-def]
    if not model.offline_parts_available():
        pytest.skip("offline model extra not installed")
    from qualtool.files.study import Study, StudyConfig

    return make_engine(Study(tmp_path_factory.mktemp("s"), StudyConfig(name="x")))


def test_sample_study_transcribes_within_wer_bound(sample_copy, engine) -> None:  # type: ignore[no-untyped-def]
    ws = open_workspace(sample_copy)
    results = {}
    for rec in rec_store.list_recordings(ws.db):
        t = transcribe_recording(ws, rec, engine)
        results[rec.key] = wer(reference_text(str(AUDIO / "reference" / f"{rec.key}.txt")), t.text)
        assert t.language == "ru"
        assert all(s.words for s in t.segments)
    assert max(results.values()) < 0.35, results
    assert sum(results.values()) / len(results) < 0.2, results
    idi = rec_store.get_recording(ws.db, "idi-02")
    from qualtool.store.transcripts import get_transcript

    speakers = [s.speaker for s in get_transcript(ws.db, idi.id).segments]
    assert speakers[0] == "I" and "R02" in speakers
    ws.close()


def test_real_model_resumes_after_cancel(sample_copy, engine) -> None:  # type: ignore[no-untyped-def]
    ws = open_workspace(sample_copy)
    # idi-01 is decoded as two segments, so there is a point to stop at (idi-02 comes out as
    # one 28 s segment with the glossary prompt: nothing is left to resume after it)
    rec = rec_store.get_recording(ws.db, "idi-01")
    stops = iter([True])
    part = transcribe_recording(ws, rec, engine, should_stop=lambda: next(stops, False))
    assert part.status.value == "pending" and 1 <= len(part.segments) < 4
    full = transcribe_recording(ws, rec, engine)
    assert full.status.value == "done"
    assert full.segments[0].text == part.segments[0].text  # kept, not redone
    assert wer(reference_text(str(AUDIO / "reference" / "idi-01.txt")), full.text) < 0.35
    ws.close()
