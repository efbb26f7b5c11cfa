"""Text-only recordings: generated corpora for benches and tests, where no audio exists.

A recording row needs a file and a checksum; a text corpus records a placeholder path and a
checksum derived from its key, and its transcript is marked done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from qualtool.domain import Language, Method, Participant, Recording, Segment, TranscriptStatus
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.db import Database


def add_text_recording(
    db: Database,
    key: str,
    turns: Sequence[tuple[str | None, str]],
    *,
    method: Method = Method.INTERVIEW,
    service: str | None = None,
    region: str | None = None,
    participants: Sequence[Participant] = (),
    seconds_per_turn: float = 6.0,
    interviewer: str | None = None,
) -> Recording:
    """A recording whose transcript is `turns` [(speaker, text)], committed in one transaction."""
    rec = Recording(
        key=key,
        path=f"text:{key}",
        checksum=hashlib.sha256(f"text:{key}".encode()).hexdigest(),
        duration=len(turns) * seconds_per_turn,
        format="text",
        method=method,
        service=service,
        region=region,
        language=Language.RU,
        interviewer=interviewer,
        participants=tuple(participants),
    )
    with db.atomic():
        rec = rec_store.insert_recording(db, rec)
        t = tr_store.start_transcript(db, rec.id or 0, language="ru", model="text",
                                      settings={}, duration=rec.duration)  # fmt: skip
        segs = [
            Segment(i, i * seconds_per_turn, (i + 1) * seconds_per_turn, text, speaker)
            for i, (speaker, text) in enumerate(turns)
        ]
        tr_store.insert_segments(db, t.id or 0, segs)
        tr_store.set_status(db, t.id or 0, TranscriptStatus.DONE)
    return rec_store.get_recording(db, rec.id or 0)
