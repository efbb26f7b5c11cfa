"""Where a coder layer's record goes in this study's transcripts: the segment and span its line
names, or — a line written before a split, an edit, a union merge's stale copy — where its quote
stands now, in the nearest segments. Read only: `workspace.layers` writes the rows."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from qualtool.domain.anchoring import find_quote
from qualtool.domain.errors import NotFound
from qualtool.files.layer_format import Record
from qualtool.i18n import _
from qualtool.store import layers as rows

if TYPE_CHECKING:
    from qualtool.workspace.study import Workspace


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Placer:
    """Finds the segment a record refers to in this study's transcripts."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache: dict[str, list[dict[str, Any]]] = {}

    def segments(self, recording: str) -> list[dict[str, Any]]:
        if recording not in self.cache:
            self.cache[recording] = rows.segment_index(self.ws.db, recording)
        return self.cache[recording]

    def segment(self, rec: Record) -> int:
        for s in self.segments(rec["recording"]):
            if s["idx"] == rec["segment"]:
                return int(s["id"])
        raise NotFound(
            _("{recording}#{segment} is not in this study").format(
                recording=rec["recording"], segment=rec["segment"]
            )
        )

    def at(self, rec: Record) -> tuple[int | None, int, int]:
        """Where the line itself says it is: (segment id at its index, start, end)."""
        by_idx = {s["idx"]: int(s["id"]) for s in self.segments(rec["recording"])}
        return by_idx.get(rec["segment"]), int(rec["start"]), int(rec["end"])

    def decision(self, rec: Record) -> tuple[int, int, int]:
        """A suggestion decision's segment and span: where its quote stands. A line a union
        merge kept from before a split or merge names the old index, where other words are now:
        it goes to its quote in the nearest segment, so it and its moved line are one decision
        (the next save drops the stale line) instead of two accepted suggestions. A quote found
        nowhere (the text edited) stays on its index, as before: a decision is never dropped."""
        sid = self.segment(rec)
        start, end, quote = int(rec["start"]), int(rec["end"]), rec.get("quote") or ""
        segs = self.segments(rec["recording"])
        by_id = {int(s["id"]): s for s in segs}
        if not quote or by_id[sid]["text"][start:end] == quote:
            return sid, start, end
        return _near(segs, rec, quote) or (sid, start, end)

    def coding(self, rec: Record) -> tuple[int, int, int]:
        segs = self.segments(rec["recording"])
        if not segs:
            raise NotFound(
                _("unknown recording {recording} (or not transcribed here)").format(
                    recording=rec["recording"]
                )
            )
        by_idx = {s["idx"]: s for s in segs}
        seg = by_idx.get(rec["segment"])
        start, end, quote = int(rec["start"]), int(rec["end"]), rec.get("quote") or ""
        known = seg and (
            sha(seg["text"]) == rec.get("segment_sha") or seg["text"][start:end] == quote
        )
        if seg and known and 0 <= start < end <= len(seg["text"]):
            return int(seg["id"]), start, end
        found = _near(segs, rec, quote) if quote else None
        if found is None:
            raise NotFound(
                _("the quote is not in this study's transcript (edited or re-transcribed)")
            )
        return found


def _near(segs: list[dict[str, Any]], rec: Record, quote: str) -> tuple[int, int, int] | None:
    """Where `quote` stands in the five segments nearest the record's index: (id, start, end)."""
    for s in sorted(segs, key=lambda s: abs(s["idx"] - int(rec["segment"])))[:5]:
        span = find_quote(quote, s["text"])
        if span:
            return int(s["id"]), span[0], span[1]
    return None
