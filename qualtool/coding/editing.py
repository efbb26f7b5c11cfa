"""Corrections to a transcript during review, with codings kept on their words. Each action
is one journaled service (undo/redo) that writes the database and the transcript files
together; the CLI and the TUI both call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from qualtool.coding import persist
from qualtool.coding.persist import Target
from qualtool.domain import Segment, Word
from qualtool.domain.anchoring import reanchor
from qualtool.domain.errors import InvalidInput
from qualtool.domain.word_timings import keep_word_timings
from qualtool.files import decisions as review_file
from qualtool.i18n import _
from qualtool.store import journal
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import (
    coders_in_transcript,
    codings_for_segment,
    move_coding,
    shift_codings,
)
from qualtool.workspace.study import Workspace

Renumber = Callable[[list[review_file.Decision]], list[review_file.Decision]]
_Review = tuple[str, list[review_file.Decision]] | None


def _review_decisions(ws: Workspace | None) -> _Review:
    """The anonymisation review's decisions (file text and items), read and checked before a
    split or merge starts: a broken file refuses the edit before anything is written."""
    path = ws.study.root / review_file.DECISIONS_FILE if ws else None
    if ws is None or path is None or not path.exists():
        return None
    return path.read_text(encoding="utf-8"), review_file.read(ws.study.root)


def _renumber_decisions(ws: Workspace | None, j: journal.Recorder, current: _Review,
                        renumber: Renumber) -> None:  # fmt: skip
    """The review's decisions are keyed by segment index: a split or merge renumbers them in
    the same journaled step (undo puts the file back with the rows), or a decision would land
    on another segment's words. Written only when it changes."""
    if ws is None or current is None:
        return
    before, items = current
    if review_file.save(ws.study.root, renumber(items)):
        path = ws.study.root / review_file.DECISIONS_FILE
        j.file(review_file.DECISIONS_FILE.as_posix(), before, path.read_text(encoding="utf-8"))


class SpeakerMismatch(InvalidInput):
    """Merging would put one speaker's words in another's mouth; the TUI asks first."""


def edit_segment_text(target: Target, segment_id: int, new_text: str) -> int:
    """Replace a segment's text; returns how many codings were re-anchored. The same text
    (spaces aside) changes nothing: no undo step, the words' timings and flags kept; otherwise
    the words the edit did not touch keep their timings (`domain.word_timings`).

    Refuses (changing nothing) when an edit removes the words a coding is on: the coder must
    remove or move that coding first.
    """
    db, ws = persist.begin(target, [segment_id], typed=new_text)
    new_text = " ".join(new_text.split())
    if not new_text:
        raise InvalidInput(_("a segment cannot be empty (merge it with its neighbour instead)"))
    seg = tr_store.get_segment(db, segment_id)
    if new_text == seg.text:  # Enter in an untouched editor: the word timings and flags stay
        return 0
    codings = codings_for_segment(db, segment_id)
    spans = []
    for c in codings:
        span = reanchor(seg.text, new_text, c.start, c.end, c.quote)
        if span is None or span[1] <= span[0]:
            raise InvalidInput(_("this edit removes the coded quote «{quote}» ({code})").format(
                quote=c.quote[:40], code=c.code_id))  # fmt: skip
        spans.append((c, span))
    tid = tr_store.transcript_of_segment(db, segment_id)
    with journal.action(db, _("edit text"), tid) as j:
        j.touch("segments", segment_id)
        # the words the edit left as they were keep Whisper's moments (playback follows them, the
        # TUI marks the unsure ones); a changed word loses its timing rather than get a made-up one
        edited = keep_word_timings([seg], [replace(seg, text=new_text, words=())])[0]
        tr_store.update_segment(db, segment_id, text=new_text, words=edited.words, flags=())
        for c, span in spans:
            j.touch("codings", c.id)
            move_coding(db, c, segment_id, span)
        persist.write(ws, {tid}, {c.coder_id for c in codings})
    return len(spans)


def set_speaker(target: Target, segment_id: int, speaker: str | None) -> bool:
    """Set a segment's speaker label; False (nothing written) when it already has it."""
    db, ws = persist.begin(target, [segment_id])
    label = (speaker or "").strip() or None
    if tr_store.get_segment(db, segment_id).speaker == label:
        return False
    tid = tr_store.transcript_of_segment(db, segment_id)
    with journal.action(db, _("speaker"), tid) as j:
        j.touch("segments", segment_id)
        tr_store.update_segment(db, segment_id, speaker=label)
        persist.write(ws, {tid})
    return True


def _split_words(seg: Segment, left: str) -> tuple[float, tuple[Word, ...], tuple[Word, ...]]:
    """Split time and the word timings of each half (proportional when there are none)."""
    timed = list(seg.words)
    split_time = seg.start + (seg.end - seg.start) * (len(left) / max(len(seg.text), 1))
    if timed and "".join(w.text for w in timed).strip() == seg.text:
        pos = 0
        for n, w in enumerate(timed):
            pos += len(w.text if pos else w.text.lstrip())
            if pos >= len(left):
                return w.end, tuple(timed[: n + 1]), tuple(timed[n + 1 :])
    return split_time, (), ()


def split_segment(target: Target, segment_id: int, at: int) -> int:
    """Split at character `at`; the second half becomes a new segment (returned id). Codings
    wholly in the second half move with it; one across the split point is refused."""
    db, ws = persist.begin(target, [segment_id])
    seg = tr_store.get_segment(db, segment_id)
    at = max(0, min(at, len(seg.text)))
    left, right = seg.text[:at].rstrip(), seg.text[at:].lstrip()
    if not left or not right:
        raise InvalidInput(_("put the cursor inside the text: both halves need words"))
    cut = len(seg.text[:at]) + (len(seg.text[at:]) - len(right))  # where `right` starts
    codings = codings_for_segment(db, segment_id)
    for c in codings:
        if c.start < at < c.end or (c.start < cut and c.end > len(left)):
            raise InvalidInput(_("the split would cut the coded quote «{quote}» ({code})").format(
                quote=c.quote[:40], code=c.code_id))  # fmt: skip
    split_time, words_left, words_right = _split_words(seg, left)
    tid = tr_store.transcript_of_segment(db, segment_id)
    review = _review_decisions(ws)
    with journal.action(db, _("split"), tid) as j:
        j.touch("segments", segment_id)
        j.touch_where("segments", "transcript_id = ? AND idx > ?", [tid, seg.idx])
        tr_store.shift_following(db, tid, seg.idx, 1)
        tr_store.update_segment(db, segment_id, text=left, end=split_time, words=words_left,
                                flags=())  # fmt: skip
        new_id = tr_store.insert_segment(db, tid, replace(
            seg, id=None, idx=seg.idx + 1, start=split_time, text=right, words=words_right,
            flags=(), avg_logprob=None, no_speech_prob=None, compression_ratio=None))  # fmt: skip
        j.created("segments", new_id)
        for c in codings:
            if c.start >= cut:
                j.touch("codings", c.id)
                move_coding(db, c, new_id, (c.start - cut, c.end - cut))
        persist.write(ws, {tid}, coders_in_transcript(db, tid))  # indexes shifted
        key = tr_store.recording_key_of_transcript(db, tid) or ""
        _renumber_decisions(ws, j, review,
                            lambda ds: review_file.after_split(ds, key, seg.idx, cut))  # fmt: skip
    return new_id


def merge_with_next(target: Target, segment_id: int, force: bool = False) -> None:
    """Join a segment with the one after it (same transcript); codings keep their words.
    Two different speakers are refused unless `force` (the TUI asks the coder first)."""
    db, ws = persist.begin(target, [segment_id])
    seg = tr_store.get_segment(db, segment_id)
    tid = tr_store.transcript_of_segment(db, segment_id)
    nxt = tr_store.segment_at(db, tid, seg.idx + 1)
    if nxt is None:
        raise InvalidInput(_("this is the last segment: nothing to merge with"))
    if seg.speaker and nxt.speaker and seg.speaker != nxt.speaker and not force:
        raise SpeakerMismatch(_(
            "these segments have different speakers ({a} and {b}): merging would attribute "
            "{b}'s words to {a}").format(a=seg.speaker, b=nxt.speaker))  # fmt: skip
    offset = len(seg.text) + 1
    moving = codings_for_segment(db, nxt.id or 0)
    review = _review_decisions(ws)
    with journal.action(db, _("merge"), tid) as j:
        j.touch("segments", segment_id)
        j.touch("segments", nxt.id)
        for c in moving:
            j.touch("codings", c.id)
        shift_codings(db, nxt.id or 0, segment_id, offset)
        tr_store.update_segment(db, segment_id, text=f"{seg.text} {nxt.text}", end=nxt.end,
                                speaker=seg.speaker or nxt.speaker, words=seg.words + nxt.words,
                                flags=tuple(dict.fromkeys(seg.flags + nxt.flags)))  # fmt: skip
        j.touch_where("segments", "transcript_id = ? AND idx > ?", [tid, nxt.idx])
        tr_store.delete_segment(db, nxt.id or 0)
        tr_store.shift_following(db, tid, nxt.idx, -1)
        persist.write(ws, {tid}, coders_in_transcript(db, tid) | {c.coder_id for c in moving})
        key = tr_store.recording_key_of_transcript(db, tid) or ""
        _renumber_decisions(ws, j, review,
                            lambda ds: review_file.after_merge(ds, key, seg.idx, offset))  # fmt: skip
