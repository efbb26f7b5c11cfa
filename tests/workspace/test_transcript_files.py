"""Transcript formats round-trip, other tools' files import, and re-import keeps codings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AUDIO

from qualtool.domain import Coding, Recording, Segment, Transcript
from qualtool.domain.errors import InvalidInput
from qualtool.files import transcript_formats as formats
from qualtool.recordings.importing import import_file
from qualtool.store.codings import add_coding, codings_for_transcript
from qualtool.store.transcripts import get_transcript
from qualtool.transcribe.run import transcribe_recording
from qualtool.workspace.transcripts import import_transcript

T = Transcript(
    recording_id=1, language="ru", model="m",
    segments=(
        Segment(0, 0.0, 3.2, "Расскажите, как вы получали услугу?", "I"),
        Segment(1, 3.5, 8.04, "Мне пришлось три раза приходить в ЦОН.", "R01"),
        Segment(2, 3725.5, 3729.25, "Сроки были нарушены: ждал больше месяца.", "R01"),
    ),
)  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "srt", "vtt", "md"])
def test_round_trip(fmt: str) -> None:
    text = {"json": lambda: formats.to_json(T, "k", "a.wav"), "srt": lambda: formats.to_srt(T),
            "vtt": lambda: formats.to_vtt(T), "md": lambda: formats.to_text(T, "k")}[fmt]()  # fmt: skip
    segs, _ = formats.parse(text, fmt)
    assert [s.text for s in segs] == [s.text for s in T.segments]
    assert [s.speaker for s in segs] == ["I", "R01", "R01"]
    assert segs[2].start == pytest.approx(3725.5 if fmt != "md" else 3725, abs=0.01)
    if fmt != "md":
        assert segs[1].end == pytest.approx(8.04, abs=0.001)


def test_plain_text_variants() -> None:
    text = (
        "[00:34] Интервьюер: Вопрос?\nпродолжение вопроса\n{00.01.10} R: Ответ.\n[1:02:03.5] Ещё.\n"
    )
    segs, _ = formats.parse(text, "txt")
    assert [(s.start, s.speaker, s.text) for s in segs] == [
        (34.0, "Интервьюер", "Вопрос? продолжение вопроса"),
        (70.0, "R", "Ответ."),
        (3723.5, None, "Ещё."),
    ]


def test_otranscribe_and_noscribe() -> None:
    otr = json.dumps({"text": '<p><span class="timestamp" data-timestamp="5.2">0:05</span> R: Ждал месяц.</p>'
                              '<p><span class="timestamp" data-timestamp="9">0:09</span> Всё.</p>',
                      "media": "a.m4a"})  # fmt: skip
    segs, meta = formats.parse(otr, "otr")
    assert [(s.start, s.text) for s in segs] == [(5.2, "Ждал месяц."), (9.0, "Всё.")]
    assert meta["media"] == "a.m4a"
    html = ('<html><head><meta name="audio_source" content="int.mp3"></head><body>'
            '<p><a name="ts_0_4200_S00">S00: Здравствуйте.</a></p>'
            '<p><a name="ts_4300_9000_S01">Я ждала &laquo;справку&raquo; два месяца.</a></p></body></html>')  # fmt: skip
    segs, meta = formats.parse(html, "html")
    assert [(s.start, s.end, s.speaker, s.text) for s in segs] == [
        (0.0, 4.2, "S00", "Здравствуйте."), (4.3, 9.0, "S01", "Я ждала «справку» два месяца.")]  # fmt: skip


def test_bad_transcript_files() -> None:
    with pytest.raises(InvalidInput, match="unknown transcript format"):
        formats.parse("x", "docx")
    with pytest.raises(InvalidInput, match="no transcript segments"):
        formats.parse("just words, no times", "txt")
    with pytest.raises(InvalidInput, match="not a qualtool transcript JSON"):
        formats.parse("{}", "json")


def _coded(ws, fake_engine):  # type: ignore[no-untyped-def]
    rec = import_file(ws.study, ws.db, AUDIO / "idi-02.flac", Recording())
    t = transcribe_recording(ws, rec, fake_engine)
    seg = t.segments[1]
    q = "требовали дополнительные справки"
    c = add_coding(
        ws.db,
        Coding(seg.id, "BUR.EXTRA_DOCS", "anna", seg.text.index(q), seg.text.index(q) + len(q), ""),
    )
    seg3 = t.segments[3]
    c2 = add_coding(
        ws.db, Coding(seg3.id, "TECH.OUTAGE", "anna", 0, len("Портал постоянно зависал"), "")
    )
    return rec, c, c2


def test_reimport_edited_transcript_keeps_codings(empty_study, fake_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec, _c, _c2 = _coded(ws, fake_engine)
    md = (ws.study.transcripts_dir / f"{rec.key}.md").read_text(encoding="utf-8")
    edited = md.replace("Мне пришлось", "Ну, мне пришлось").replace(
        "в ЦОН,", "в ЦОН (центр обслуживания),"
    )
    edited = edited.replace("требовали дополнительные справки", "требовали дополнительную справку")
    edited = edited.replace("[00:00:12] R: Портал", "[00:00:12] R02: Портал")
    path = tmp_path / "edited.md"
    path.write_text(edited, encoding="utf-8")
    import_transcript(ws, rec, path)
    t = get_transcript(ws.db, rec.id)
    codings = {x.code_id: x for x in codings_for_transcript(ws.db, t.id)}
    assert codings["BUR.EXTRA_DOCS"].quote == "требовали дополнительную справку"
    assert codings["TECH.OUTAGE"].quote == "Портал постоянно зависал"
    assert t.segments[3].speaker == "R02"
    seg_text = {s.id: s.text for s in t.segments}
    for x in codings.values():
        assert seg_text[x.segment_id][x.start : x.end] == x.quote


def test_reimport_refuses_to_lose_a_coding(empty_study, fake_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    rec, _c, _ = _coded(ws, fake_engine)
    md = (ws.study.transcripts_dir / f"{rec.key}.md").read_text(encoding="utf-8")
    path = tmp_path / "cut.md"
    path.write_text(
        md.replace(", потому что требовали дополнительные справки", ""), encoding="utf-8"
    )
    before = [s.text for s in get_transcript(ws.db, rec.id).segments]
    with pytest.raises(InvalidInput, match="1 coding"):
        import_transcript(ws, rec, path)
    assert [s.text for s in get_transcript(ws.db, rec.id).segments] == before
    import_transcript(ws, rec, path, force=True)  # attaches to the nearest segment, keeps the quote
    kept = [
        x
        for x in codings_for_transcript(ws.db, get_transcript(ws.db, rec.id).id)
        if x.code_id == "BUR.EXTRA_DOCS"
    ]
    assert len(kept) == 1 and "требовали дополнительные справки" in kept[0].memo
