"""Transcript formats round-trip, other tools' files import, and re-import keeps codings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AUDIO

from qualtool.autocode.suggest import accept, reject
from qualtool.domain import Coding, Recording, Segment, Transcript
from qualtool.domain.errors import InvalidInput
from qualtool.files import transcript_formats as formats
from qualtool.recordings.importing import import_file
from qualtool.store import suggestions as sug_store
from qualtool.store.codings import add_coding, codings_for_transcript
from qualtool.store.transcripts import get_transcript
from qualtool.team.agreement import adjudicate
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


def test_reimport_keeps_decided_suggestions_and_adjudications(
    empty_study, fake_engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A colleague's corrections (or a new transcription) replace the segments; what the team
    decided on them — a rejected or accepted suggestion, a code ruled out — stays, on the same
    words, and a new auto-coding run does not propose the rejected one again."""
    ws = empty_study
    rec, _c, _c2 = _coded(ws, fake_engine)
    t = get_transcript(ws.db, rec.id)
    seg1, seg3, seg4 = t.segments[1], t.segments[3], t.segments[4]
    q = "три раза приходить в ЦОН"
    sug_store.propose(ws.db, [
        {"segment_id": seg1.id, "code_id": "BUR.REPEAT_VISIT", "start": seg1.text.index(q),
         "end": seg1.text.index(q) + len(q), "quote": q, "score": 0.9, "reason": "r"},
        {"segment_id": seg3.id, "code_id": "TECH.AUTH", "start": 0, "end": 24,
         "quote": seg3.text[:24], "score": 0.5, "reason": "r"},
    ])  # fmt: skip
    by_code = {s.code_id: s for s in sug_store.queue(ws.db)}
    accept(ws, by_code["BUR.REPEAT_VISIT"].id, "anna")
    reject(ws, by_code["TECH.AUTH"].id, "anna")
    adjudicate(ws, seg4.id, "TIME.BREACH", False, "anna", note="это не про сроки")
    md = (ws.study.transcripts_dir / f"{rec.key}.md").read_text(encoding="utf-8")
    edited = md.replace("Мне пришлось", "Ну, мне пришлось").replace(
        "Портал постоянно", "Ну, портал постоянно"
    )
    path = tmp_path / "edited.md"
    path.write_text(edited, encoding="utf-8")
    import_transcript(ws, rec, path)

    t = get_transcript(ws.db, rec.id)
    text_of = {s.id: s.text for s in t.segments}
    decided = {(g["code_id"], g["status"]): g for g in ws.db.query(
        'SELECT code_id, status, segment_id, start, "end", quote FROM suggestions')}  # fmt: skip
    accepted = decided[("BUR.REPEAT_VISIT", "accepted")]
    assert text_of[accepted["segment_id"]][accepted["start"] : accepted["end"]] == q
    rejected = decided[("TECH.AUTH", "rejected")]
    assert text_of[rejected["segment_id"]].startswith("Ну, портал постоянно")
    assert rejected["quote"] in text_of[rejected["segment_id"]]
    ruled_out = ws.db.execute("SELECT segment_id, note FROM adjudications").fetchall()
    assert ruled_out == [(t.segments[4].id, "это не про сроки")]
