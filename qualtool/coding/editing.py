"""Corrections to a transcript during review, with codings kept on their words. Every action
is undoable (store/journal.py) and saved at once."""

from __future__ import annotations

from qualtool.domain.anchoring import reanchor
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.store import journal
from qualtool.store.codings import codings_for_segment, move_coding
from qualtool.store.db import Database
from qualtool.store.transcripts import get_segment, update_segment


def _transcript_id(db: Database, segment_id: int) -> int:
    row = db.execute("SELECT transcript_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        raise NotFound(f"no segment {segment_id}")
    return int(row[0])


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
    with journal.action(db, "edit text", _transcript_id(db, segment_id)) as j:
        j.touch("segments", segment_id)
        update_segment(db, segment_id, text=new_text, words=(), flags=())
        for c, span in spans:
            j.touch("codings", c.id or 0)
            move_coding(db, c, segment_id, span)
    return len(spans)


def set_speaker(db: Database, segment_id: int, speaker: str | None) -> None:
    with journal.action(db, "speaker", _transcript_id(db, segment_id)) as j:
        j.touch("segments", segment_id)
        update_segment(db, segment_id, speaker=(speaker or "").strip() or None)


def _shift_following(db: Database, j: journal.Recorder, transcript_id: int, idx: int,
                     delta: int) -> None:  # fmt: skip
    """Move idx of segments after `idx` by delta, without tripping UNIQUE(transcript, idx)."""
    where = "transcript_id = ? AND idx > ?"
    j.touch_where("segments", where, [transcript_id, idx])
    db.execute(f"UPDATE segments SET idx = -idx - 1000000 WHERE {where}", [transcript_id, idx])
    db.execute(
        "UPDATE segments SET idx = -(idx + 1000000) + ? WHERE transcript_id = ? AND idx < -999999",
        [delta, transcript_id],
    )


def split_segment(db: Database, segment_id: int, at: int) -> int:
    """Split at character `at`; the second half becomes a new segment (returned id). Codings
    wholly in the second half move with it; one across the split point is refused."""
    seg = get_segment(db, segment_id)
    left, right = seg.text[:at].rstrip(), seg.text[at:].lstrip()
    if not left or not right:
        raise InvalidInput("put the cursor inside the text: both halves need words")
    cut = len(seg.text[:at]) + (len(seg.text[at:]) - len(right))  # where `right` starts
    codings = codings_for_segment(db, segment_id)
    for c in codings:
        if c.start < at < c.end:
            raise InvalidInput(
                f"the split would cut the coded quote «{c.quote[:40]}» ({c.code_id})"
            )
    timed = list(seg.words)
    words_left: tuple = ()  # type: ignore[type-arg]
    split_time = seg.start + (seg.end - seg.start) * (len(left) / max(len(seg.text), 1))
    if timed and "".join(w.text for w in timed).strip() == seg.text:
        pos = 0
        for w in timed:
            pos += len(w.text if pos else w.text.lstrip())
            if pos >= len(left):
                split_time = w.end
                words_left = tuple(x for x in timed if x.end <= w.end)
                break
    tid = _transcript_id(db, segment_id)
    with journal.action(db, "split", tid) as j:
        j.touch("segments", segment_id)
        _shift_following(db, j, tid, seg.idx, 1)
        update_segment(db, segment_id, text=left, end=split_time, words=words_left, flags=())
        new_id = int(db["segments"].insert({
            "transcript_id": tid, "idx": seg.idx + 1, "start": split_time, "end": seg.end,
            "speaker": seg.speaker, "text": right, "words": "[]", "flags": "[]"}).last_pk)  # fmt: skip
        j.created("segments", new_id)
        for c in codings:
            if c.start >= at:
                j.touch("codings", c.id or 0)
                move_coding(db, c, new_id, (c.start - cut, c.end - cut))
    return new_id


def merge_with_next(db: Database, segment_id: int) -> None:
    """Join a segment with the one after it (same transcript); codings keep their words."""
    seg = get_segment(db, segment_id)
    tid = _transcript_id(db, segment_id)
    row = db.execute("SELECT id FROM segments WHERE transcript_id = ? AND idx = ?",
                     [tid, seg.idx + 1]).fetchone()  # fmt: skip
    if row is None:
        raise InvalidInput("this is the last segment: nothing to merge with")
    nxt = get_segment(db, int(row[0]))
    joined = f"{seg.text} {nxt.text}"
    offset = len(seg.text) + 1
    with journal.action(db, "merge", tid) as j:
        j.touch("segments", segment_id)
        j.touch("segments", nxt.id or 0)
        for c in codings_for_segment(db, nxt.id or 0):
            j.touch("codings", c.id or 0)
            db["codings"].update(c.id, {"segment_id": segment_id})
            db.execute('UPDATE codings SET start = start + ?, "end" = "end" + ? WHERE id = ?',
                       [offset, offset, c.id])  # fmt: skip
        update_segment(db, segment_id, text=joined, end=nxt.end, words=seg.words + nxt.words,
                       flags=tuple(dict.fromkeys(seg.flags + nxt.flags)))  # fmt: skip
        db.execute("DELETE FROM segments WHERE id = ?", [nxt.id])
        _shift_following(db, j, tid, seg.idx + 1, -1)
