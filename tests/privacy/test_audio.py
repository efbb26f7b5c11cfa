"""Audio redaction: after apply, the words that were replaced are silent (or a tone) in the
copy under audio/redacted/; everything else is the original sound; QDPX points to the copy."""

from __future__ import annotations

import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import words_for

from qualtool.domain import Recording, Segment
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.audio import ranges, redact_audio, redacted_path
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace

RATE = 16000
TEXT = "Меня принимала Гульнара Сейткалиева в окне номер пять вчера утром"


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    path = empty_study.study.audio_dir / "idi-s.wav"
    t = np.arange(RATE * 6) / RATE
    tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(tone.tobytes())
    db = empty_study.db
    rec = rec_store.insert_recording(db, Recording(key="idi-s", path="audio/idi-s.wav",
                                                   checksum="x" * 64, duration=6.0, format="wav"))  # fmt: skip
    tr = tr_store.start_transcript(db, rec.id or 0, language="ru", model="test", settings={},
                                   duration=6.0)  # fmt: skip
    seg = Segment(0, 0.0, 5.5, TEXT, "R01", words=words_for(TEXT, 0.0, 5.5))
    tr_store.append_segment(db, tr.id or 0, seg, 1.0)
    return empty_study


def test_names_are_silenced_in_the_redacted_copy(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="anonymise the transcripts first"):
        redact_audio(ws)
    anonymise(ws, study_vault(ws))
    spans = ranges(ws, "idi-s")
    step = 5.5 / len(TEXT.split())  # words_for: equal slots; «Гульнара Сейткалиева» are words 2–3
    assert len(spans) == 1 and spans[0][0] == pytest.approx(2 * step - 0.08)
    rep = redact_audio(ws)
    assert rep.recordings == 1 and rep.ranges == 1
    with wave.open(str(redacted_path(ws, "idi-s"))) as w:
        out = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    a, b = spans[0]
    assert np.abs(out[int(a * RATE) + 10 : int(b * RATE) - 10]).max() == 0
    assert np.abs(out[: int(a * RATE) - 10]).max() > 5000  # the rest is the original sound
    assert np.abs(out[int(b * RATE) + 10 :]).max() > 5000
    export_qdpx(ws, tmp_path / "s.qdpx", include_audio=True)
    with zipfile.ZipFile(tmp_path / "s.qdpx") as z:
        assert "relative://audio/redacted/idi-s.wav" in z.read("project.qde").decode()
