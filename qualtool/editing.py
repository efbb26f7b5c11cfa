"""Corrections to a transcript during review, with codings kept on their words."""

from __future__ import annotations

from sqlite_utils import Database

from qualtool.anchoring import reanchor
from qualtool.errors import InvalidInput
from qualtool.store.codings import codings_for_segment, move_coding
from qualtool.store.transcripts import get_segment, update_segment


def edit_segment_text(db: Database, segment_id: int, new_text: str) -> int:
    """Replace a segment's text; returns how many codings were re-anchored.

    Refuses (changing nothing) when an edit removes the words a coding is on: the coder must
    remove or move that coding first.
    """
    new_text = " ".join(new_text.split())
    if not new_text:
        raise InvalidInput("a segment cannot be empty (merge it with its neighbour instead)")
    seg = get_segment(db, segment_id)
    codings = codings_for_segment(db, segment_id)
    spans = []
    for c in codings:
        span = reanchor(seg.text, new_text, c.start, c.end, c.quote)
        if span is None or span[1] <= span[0]:
            raise InvalidInput(f"this edit removes the coded quote «{c.quote[:40]}» ({c.code_id})")
        spans.append((c, span))
    with db.atomic():
        update_segment(db, segment_id, text=new_text, words=(), flags=())
        for c, span in spans:
            move_coding(db, c, segment_id, span)
    return len(spans)


def set_speaker(db: Database, segment_id: int, speaker: str | None) -> None:
    update_segment(db, segment_id, speaker=(speaker or "").strip() or None)
