"""Transcripts from noScribe (0.3, 0.7) and oTranscribe (both .otr stamp formats)."""

from __future__ import annotations

import re

import pytest
from interop_data import DATA

from qualtool.domain.errors import InvalidInput
from qualtool.files.transcript_formats import parse
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import import_transcript


def test_noscribe_07_real_file() -> None:
    html = (DATA / "noscribe" / "interview-0.7.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<a name="ts_\d+_\d+_([^"]*)"', html)
    segs, meta = parse(html, "html")
    assert meta["producer"] == "noScribe 0.7" and meta["media"].endswith("Königing.mp3")
    assert len(anchors) == 81 and len(meta["pauses"]) == 4 and len(segs) == 77
    assert not [s.text for s in segs if re.search(r"\[\d\d:\d\d|//|^\(", s.text)]
    assert {s.speaker for s in segs} == {"S00", "S01", "S02"}  # «//S00» is S00 talking over
    overlaps = [s for s in segs if "overlap" in s.flags]
    assert len(overlaps) == sum(a.startswith("//") for a in anchors) - 1  # one was «(.)»
    assert (overlaps[0].speaker, overlaps[0].text, overlaps[0].start) == (
        "S02", "Ist das herrlich.", 30.09)  # fmt: skip
    first = segs[0]
    assert (first.speaker, first.start, first.end) == ("S01", 12.14, 22.8)
    assert first.text.startswith("Guten Tag, ich habe heute")
    resumed = next(s for s in segs if s.text.startswith("Ich kann das gar nicht"))
    assert resumed.speaker == "S01" and not resumed.flags
    assert (0.0, 12.14) in meta["pauses"] and (22.8, 24.36) in meta["pauses"]  # not speech


def test_noscribe_03_href_anchors() -> None:
    segs, meta = parse((DATA / "noscribe" / "interview-0.3.html").read_text("utf-8"), "html")
    assert meta["producer"] == "noScribe 0.3" and len(segs) == 5
    assert [s.speaker for s in segs] == ["S00", "S01", "S01", "S00", "S01"]
    assert (segs[2].start, segs[2].end) == (12.01, 15.3)
    assert segs[2].text == "Потом ещё раз пришлось идти, очередь была часа два."


def test_otranscribe_current_seconds_stamps() -> None:
    segs, meta = parse((DATA / "otranscribe" / "current.otr").read_text("utf-8"), "otr")
    assert meta["media"] == "idi-08.mp3"
    assert [(s.start, s.speaker) for s in segs] == [
        (3.5, "Интервьюер"), (83.2, "Респондент"), (3725.04, "Интервьюер")]  # fmt: skip
    assert segs[1].text == "Через портал, но «ЭЦП» не подошла. Пришлось идти в ЦОН."


def test_otranscribe_2014_2016_minute_stamps() -> None:
    segs, _ = parse((DATA / "otranscribe" / "legacy-2015.otr").read_text("utf-8"), "otr")
    assert [(s.start, s.speaker) for s in segs] == [
        (4.0, "Интервьюер"), (87.0, "Респондент"), (725.0, "Интервьюер")]  # fmt: skip
    assert segs[1].text == "В марте, ответ пришёл только в мае."


def test_broken_otr_stamp_is_one_clear_error() -> None:
    bad = '{"text": "<span class=\\"timestamp\\" data-timestamp=\\"x:y\\">?</span> a"}'
    with pytest.raises(InvalidInput, match="oTranscribe timestamp"):
        parse(bad, "otr")


def test_noscribe_into_a_study_keeps_pauses_and_overlaps(empty_study: Workspace) -> None:
    ws = empty_study
    rec = add_text_recording(ws.db, "heike", [("S01", "Platzhalter.")])
    t = import_transcript(ws, rec, DATA / "noscribe" / "interview-0.7.html", force=True)
    stored = tr_store.get_transcript(ws.db, rec.id or 0)
    assert stored is not None and len(stored.segments) == 77
    assert sum("overlap" in s.flags for s in stored.segments) == 11
    assert [0.0, 12.14] in t.settings["pauses"] and t.settings["source"] == "noScribe 0.7"
