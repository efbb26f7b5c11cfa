"""Transcripts and their segments. Segments are committed one at a time so a killed
transcription loses at most the segment being decoded."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Segment, Transcript, TranscriptStatus, Word
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.store.db import last_id, now, saved


def _segment(row: dict[str, Any]) -> Segment:
    return Segment(
        id=row["id"],
        idx=row["idx"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        speaker=row["speaker"],
        words=tuple(Word(*w) for w in json.loads(row["words"])),
        avg_logprob=row["avg_logprob"],
        no_speech_prob=row["no_speech_prob"],
        compression_ratio=row["compression_ratio"],
        flags=tuple(json.loads(row["flags"])),
    )


def segment_row(transcript_id: int, seg: Segment) -> dict[str, Any]:
    return {
        "transcript_id": transcript_id,
        "idx": seg.idx,
        "start": seg.start,
        "end": seg.end,
        "speaker": seg.speaker,
        "text": seg.text,
        "words": json.dumps(
            [[w.start, w.end, w.text, w.probability] for w in seg.words], ensure_ascii=False
        ),
        "avg_logprob": seg.avg_logprob,
        "no_speech_prob": seg.no_speech_prob,
        "compression_ratio": seg.compression_ratio,
        "flags": json.dumps(list(seg.flags)),
    }


def _transcript(db: Database, row: dict[str, Any], with_segments: bool = True) -> Transcript:
    segs = segments(db, row["id"]) if with_segments else []
    return Transcript(
        id=row["id"],
        recording_id=row["recording_id"],
        status=TranscriptStatus(row["status"]),
        language=row["language"],
        model=row["model"],
        settings=json.loads(row["settings"]),
        duration=row["duration"],
        segments=tuple(segs),
    )


def get_transcript(
    db: Database, recording_id: int, with_segments: bool = True
) -> Transcript | None:
    rows = list(db.query("SELECT * FROM transcripts WHERE recording_id = ?", [recording_id]))
    return _transcript(db, rows[0], with_segments) if rows else None


def transcript_states(db: Database) -> dict[int, dict[str, Any]]:
    """recording id → {status, progress, segments}: the dashboard's one query."""
    rows = db.query(
        "SELECT t.recording_id, t.status, t.progress, t.duration, t.error, "
        "(SELECT count(*) FROM segments s WHERE s.transcript_id = t.id) AS segments "
        "FROM transcripts t"
    )
    return {r["recording_id"]: r for r in rows}


def segments(db: Database, transcript_id: int) -> list[Segment]:
    rows = db.query("SELECT * FROM segments WHERE transcript_id = ? ORDER BY idx", [transcript_id])
    return [_segment(r) for r in rows]


def insert_segments(db: Database, transcript_id: int, segs: list[Segment]) -> None:
    """Many segments at once (text corpora): one batched insert instead of a row a time."""
    db.table("segments").insert_all((segment_row(transcript_id, s) for s in segs), batch_size=1000)


def get_segment(db: Database, segment_id: int) -> Segment:
    rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
    if not rows:
        raise NotFound(f"no segment {segment_id}")
    return _segment(rows[0])


def segment_recording(db: Database, segment_id: int) -> int:
    row = db.execute(
        "SELECT t.recording_id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE s.id = ?",
        [segment_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no segment {segment_id}")
    return int(row[0])


def start_transcript(
    db: Database,
    recording_id: int,
    *,
    language: str | None,
    model: str,
    settings: dict[str, Any],
    duration: float,
) -> Transcript:
    """Create the transcript row, or mark an existing one running again (resume)."""
    values = {
        "recording_id": recording_id,
        "status": TranscriptStatus.RUNNING.value,
        "language": language,
        "model": model,
        "settings": json.dumps(settings, ensure_ascii=False),
        "duration": duration,
        "error": None,
    }
    with db.atomic():
        existing = get_transcript(db, recording_id, with_segments=False)
        if existing is None:
            db.table("transcripts").insert(values)
        else:
            db.table("transcripts").update(saved(existing.id), {**values, "updated_at": now(db)})
    found = get_transcript(db, recording_id)
    assert found is not None
    return found


def append_segment(db: Database, transcript_id: int, seg: Segment, progress: float) -> Segment:
    with db.atomic():
        sid = last_id(db.table("segments").insert(segment_row(transcript_id, seg)))
        db.table("transcripts").update(transcript_id, {"progress": progress})
    return get_segment(db, int(sid))


def set_status(
    db: Database,
    transcript_id: int,
    status: TranscriptStatus,
    *,
    progress: float | None = None,
    error: str | None = None,
    language: str | None = None,
) -> None:
    values: dict[str, Any] = {"status": status.value, "error": error, "updated_at": now(db)}
    if progress is not None:
        values["progress"] = progress
    if language is not None:
        values["language"] = language
    with db.atomic():
        db.table("transcripts").update(transcript_id, values)


def reset_transcript(db: Database, transcript_id: int) -> None:
    """Forget all segments to transcribe again; refuses if any segment carries codings."""
    n = db.execute(
        "SELECT count(*) FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE s.transcript_id = ?",
        [transcript_id],
    ).fetchone()[0]
    if n:
        raise InvalidInput(
            f"this transcript has {n} coding(s); re-transcribing would discard them. "
            "Edit the transcript instead, or import a corrected transcript file."
        )
    with db.atomic():
        db.execute("DELETE FROM segments WHERE transcript_id = ?", [transcript_id])
        db.table("transcripts").update(transcript_id, {"progress": 0, "status": "pending"})


def update_segment(db: Database, segment_id: int, **values: Any) -> None:
    if "flags" in values:
        values["flags"] = json.dumps(list(values["flags"]))
    if "words" in values:
        values["words"] = json.dumps(
            [[w.start, w.end, w.text, w.probability] for w in values["words"]], ensure_ascii=False
        )
    db.table("segments").update(segment_id, values)
