"""`transcribe --restart` of a coded recording never throws decoded work away."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import AUDIO, SCRIPT, FakeEngine

from qualtool.domain import Coding, Language, Recording
from qualtool.domain.errors import QualtoolError
from qualtool.recordings.importing import import_file
from qualtool.store.codings import add_coding, codings_for_transcript
from qualtool.transcribe.run import pending_restarts, scratch_path, transcribe_recording


def test_a_lock_at_the_swap_keeps_the_new_transcript_for_the_next_run(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec = import_file(ws.study, ws.db, AUDIO / "idi-02.flac", Recording(language=Language.RU))
    t = transcribe_recording(ws, rec, FakeEngine(SCRIPT))
    seg = t.segments[1]
    q = "требовали дополнительные справки"
    add_coding(ws.db, Coding(seg.id, "BUR.EXTRA_DOCS", "anna", seg.text.index(q),
                             seg.text.index(q) + len(q), ""))  # fmt: skip
    ws.db.execute("PRAGMA busy_timeout = 100")
    holder = sqlite3.connect(ws.study.db_path)
    holder.execute("BEGIN EXCLUSIVE")
    first = FakeEngine(SCRIPT)
    try:
        with pytest.raises(QualtoolError, match="kept"):
            transcribe_recording(ws, rec, first, restart=True)
    finally:
        holder.rollback()
        holder.close()
    assert first.calls, "the new transcription was decoded"
    assert scratch_path(ws, rec).exists()
    assert pending_restarts(ws) == {rec.key}  # `transcribe --all` picks it up
    # the coded transcript is untouched meanwhile
    assert [c.quote for c in codings_for_transcript(ws.db, t.id)] == [q]
    # next run: swapped in without decoding again
    again = FakeEngine(SCRIPT)
    t2 = transcribe_recording(ws, rec, again, restart=True)
    assert again.calls == []
    (c,) = codings_for_transcript(ws.db, t2.id)
    assert c.quote == q
    assert not scratch_path(ws, rec).exists() and pending_restarts(ws) == set()
