"""Pseudonymised copies for exports (QDPX, export-coder), leaving the study as it is.

Uses the same findings and review decisions as `anonymise --apply`, so an export of a study
not yet anonymised reads exactly like the study will after apply; coded spans move with the
text so they stay on their words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from qualtool.domain import Coding, Segment
from qualtool.privacy import decisions, outside_names
from qualtool.privacy.apply import export_pseudonymiser
from qualtool.privacy.entity import Entity
from qualtool.privacy.pseudonyms import Edit, Pseudonymiser, map_pos
from qualtool.privacy.review import segment_findings, study_detector
from qualtool.store import privacy as store
from qualtool.team.exchange import _sha as segment_sha
from qualtool.workspace.study import Workspace


class Redactor:
    """The study's review (findings less the rejected, plus the added spans) applied to any
    text of the study: one redaction service for every export."""

    def __init__(self, ws: Workspace, pseud: Pseudonymiser) -> None:
        self.pseud = pseud
        self.detector = study_detector(ws)
        self.found: dict[int, list[Entity]] = {}
        for f in segment_findings(ws, pseud, None, self.detector):
            if f.status != decisions.REJECT:
                self.found.setdefault(f.segment_id, []).append(f.entity)
        # memos, notes, labels: the detector, the names a reviewer added there and every span
        # the review replaces in the segments, as `--apply` cleans them
        known = outside_names.reviewed(e for ents in self.found.values() for e in ents)
        self.outside = outside_names.detector(ws, self.detector, known)

    def segment_text(self, segment_id: int, text: str) -> tuple[str, list[Edit]]:
        ents = self.found.get(segment_id)
        return self.pseud.replace(text, ents) if ents else (text, [])

    def segment(self, seg: Segment) -> tuple[Segment, list[Edit]]:
        """The text as the review replaces it, the speaker label as `--apply` renames it."""
        text, edits = self.segment_text(seg.id or 0, seg.text)
        out = replace(seg, text=text, words=()) if edits else seg
        label = self.text(seg.speaker)
        return (replace(out, speaker=label) if label != seg.speaker else out), edits

    def span(self, text: str, edits: list[Edit], start: int, end: int) -> tuple[int, int, str]:
        s, e = map_pos(edits, start), map_pos(edits, end, "end")
        e = max(e, s + 1)
        return s, e, text[s:e]

    def coding(self, c: Coding, new_text: str, edits: list[Edit]) -> Coding:
        s, e, quote = self.span(new_text, edits, c.start, c.end)
        return replace(c, start=s, end=e, quote=quote, memo=self.text(c.memo))

    def text(self, value: str | None) -> str | None:
        return self.pseud.apply(value, self.outside) if value else value


def layer_redactors(ws: Workspace, pseud: Pseudonymiser) -> tuple[
    Callable[[dict[str, Any]], dict[str, Any]], Callable[[str], str]
]:  # fmt: skip
    """For `export-coder`: each coding item and each memo text pseudonymised; segment_sha is
    that of the pseudonymised text, so an anonymised study receiving it places it directly."""
    r = Redactor(ws, pseud)
    ids = {(s["recording"], s["idx"]): s["id"] for s in store.segments(ws.db)}

    def item(it: dict[str, Any]) -> dict[str, Any]:
        sid = ids.get((it["recording"], it["segment"]), 0)
        text, edits = r.segment_text(sid, it["segment_text"])
        s, e, quote = r.span(text, edits, it["start"], it["end"])
        return {**it, "segment_text": text, "segment_sha": segment_sha(text), "start": s,
                "end": e, "quote": quote, "memo": r.text(it.get("memo"))}  # fmt: skip

    return item, lambda value: r.text(value) or value


def export_redactor(ws: Workspace) -> Redactor:
    """For an export: the study's numbering when its vault opens (else a throw-away one)."""
    return Redactor(ws, export_pseudonymiser(ws))
