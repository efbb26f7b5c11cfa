"""Transcripts and their segments. Segments are committed one at a time so a killed
transcription loses at most the segment being decoded."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Segment, Transcript, TranscriptStatus, Word
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.recording import text_identity
from qualtool.i18n import _, ngettext
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


def text_digest(db: Database, recording_id: int) -> str | None:
    """The recording's transcript by its words (`domain.recording.text_identity`); None
    without one."""
    texts = segment_texts(db, recording_id)
    return text_identity(texts) if texts else None


def segment_texts(db: Database, recording_id: int) -> list[str]:
    """The recording's segments' texts, in order (none without a transcript)."""
    return [r[0] for r in db.execute(
        "SELECT s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE t.recording_id = ? ORDER BY s.idx", [recording_id]).fetchall()]  # fmt: skip


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


def get_segment(db: Database, segment_id: int) -> Segment:
    rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
    if not rows:
        raise NotFound(_("no segment {id}").format(id=segment_id))
    return _segment(rows[0])


def segment_recording(db: Database, segment_id: int) -> int:
    row = db.execute(
        "SELECT t.recording_id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE s.id = ?",
        [segment_id],
    ).fetchone()
    if row is None:
        raise NotFound(_("no segment {id}").format(id=segment_id))
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
            ngettext(
                "this transcript has {n} coding; re-transcribing would discard it. Edit the "
                "transcript instead, or import a corrected transcript file.",
                "this transcript has {n} codings; re-transcribing would discard them. Edit the "
                "transcript instead, or import a corrected transcript file.",
                n,
            ).format(n=n)
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


def segment_exists(db: Database, segment_id: int) -> bool:
    return db.execute("SELECT 1 FROM segments WHERE id = ?", [segment_id]).fetchone() is not None


def transcript_of_segment(db: Database, segment_id: int) -> int:
    row = db.execute("SELECT transcript_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        raise NotFound(_("no segment {id}").format(id=segment_id))
    return int(row[0])


def segment_at(db: Database, transcript_id: int, idx: int) -> Segment | None:
    rows = list(db.query("SELECT * FROM segments WHERE transcript_id = ? AND idx = ?",
                         [transcript_id, idx]))  # fmt: skip
    return _segment(rows[0]) if rows else None


def find_segment(db: Database, key: str, idx: int) -> Segment:
    """A segment by recording key and index (how the CLI and exports name one: KEY#IDX)."""
    rows = list(db.query(
        "SELECT s.* FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?", [key, idx]))  # fmt: skip
    if not rows:
        raise NotFound(_("no segment {key}#{idx}").format(key=key, idx=idx))
    return _segment(rows[0])


def recording_key_of_transcript(db: Database, transcript_id: int) -> str | None:
    row = db.execute("SELECT r.key FROM transcripts t JOIN recordings r ON r.id = t.recording_id "
                     "WHERE t.id = ?", [transcript_id]).fetchone()  # fmt: skip
    return str(row[0]) if row else None


def shift_following(db: Database, transcript_id: int, idx: int, delta: int) -> None:
    """Move idx of segments after `idx` by delta, without tripping UNIQUE(transcript, idx)."""
    db.execute("UPDATE segments SET idx = -idx - 1000000 WHERE transcript_id = ? AND idx > ?",
               [transcript_id, idx])  # fmt: skip
    db.execute(
        "UPDATE segments SET idx = -(idx + 1000000) + ? WHERE transcript_id = ? AND idx < -999999",
        [delta, transcript_id],
    )


def insert_segment(db: Database, transcript_id: int, seg: Segment) -> int:
    return last_id(db.table("segments").insert(segment_row(transcript_id, seg)))


def reuse_segment(db: Database, segment_id: int, transcript_id: int, seg: Segment) -> int:
    """A parked segment takes a replacement's place (its text unchanged): its id stays, so
    what holds that id — an open screen's row, an undo entry, a suggestion — still finds it."""
    db.table("segments").update(segment_id, segment_row(transcript_id, seg))
    return segment_id


def park_segments(db: Database, transcript_id: int) -> None:
    """Move a transcript's segments to negative indexes, so replacements can take 0, 1, …"""
    db.execute("UPDATE segments SET idx = -idx - 1 WHERE transcript_id = ?", [transcript_id])


def drop_parked_segments(db: Database, transcript_id: int) -> None:
    db.execute("DELETE FROM segments WHERE transcript_id = ? AND idx < 0", [transcript_id])


def delete_segment(db: Database, segment_id: int) -> None:
    db.execute("DELETE FROM segments WHERE id = ?", [segment_id])


def insert_segments(db: Database, transcript_id: int, segs: list[Segment]) -> list[Segment]:
    """A whole transcript's segments at once (imports of long documents), stored in order."""
    with db.atomic():
        db.table("segments").insert_all(
            [segment_row(transcript_id, s) for s in segs], batch_size=1000
        )
        db.table("transcripts").update(transcript_id, {"progress": 1.0})
    return segments(db, transcript_id)
