"""What anonymisation would replace, per segment, after the study's review decisions: the list
`qualtool anonymise` prints and the TUI review screen walks through."""

from __future__ import annotations

from dataclasses import dataclass

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.privacy import allow, decisions
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace


@dataclass(frozen=True, slots=True)
class Finding:
    where: str  # recording#idx
    recording: str
    idx: int
    segment_id: int
    entity: Entity
    context: str  # the sentence around it, the span marked with ⟦ ⟧
    status: str  # pending, accept, reject, add


def study_detector(ws: Workspace) -> Detector:
    return Detector(allow.load(ws.study.root, store.metadata_words(ws.db)))


def span_digest(pseud: Pseudonymiser, text: str) -> str:
    return pseud.digest("span", " ".join(text.split()).lower())[:24]


def context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{'…' if start > width else ''}{left}⟦{text[start:end]}⟧{right}{'…' if end + width < len(text) else ''}"


def segment_findings(ws: Workspace, pseud: Pseudonymiser, keys: list[str] | None = None,
                     detector: Detector | None = None) -> list[Finding]:  # fmt: skip
    """Every finding in every segment (coded or not), with its review status."""
    det = detector or study_detector(ws)
    by_where: dict[str, list[decisions.Decision]] = {}
    for d in decisions.load(ws.study.root):
        by_where.setdefault(d.where, []).append(d)
    out: list[Finding] = []
    for seg in store.segments(ws.db):
        if keys and seg["recording"] not in keys:
            continue
        text, where = seg["text"], f"{seg['recording']}#{seg['idx']}"
        decided = {(d.start, d.end): d for d in by_where.get(where, [])
                   if span_digest(pseud, text[d.start : d.end]) == d.digest}  # fmt: skip
        found = det.detect(text)
        spans = {(e.start, e.end) for e in found}
        for e in found:
            got = decided.get((e.start, e.end))
            out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                               context(text, e.start, e.end), got.decision if got else "pending"))  # fmt: skip
        for (s, t), d in decided.items():
            if d.decision == decisions.ADD and (s, t) not in spans:
                e = Entity(Kind(d.kind), s, t, text[s:t], " ".join(text[s:t].lower().split()),
                           "manual")  # fmt: skip
                out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                                   context(text, s, t), decisions.ADD))  # fmt: skip
    return sorted(out, key=lambda f: (f.recording, f.idx, f.entity.start))


def decision_on(pseud: Pseudonymiser, finding: Finding, decision: str) -> decisions.Decision:
    e = finding.entity
    return decisions.Decision(finding.where, e.start, e.end, e.kind.value,
                              span_digest(pseud, e.text), decision)  # fmt: skip


def decide(ws: Workspace, pseud: Pseudonymiser, finding: Finding, decision: str) -> None:
    decisions.record(ws.study.root, decision_on(pseud, finding, decision))


def add_span(ws: Workspace, pseud: Pseudonymiser, recording: str, idx: int, start: int, end: int,
             kind: str, text: str) -> None:  # fmt: skip
    """A span the detector missed; `text` is the segment text (for the hash)."""
    decisions.record(ws.study.root, added(pseud, recording, idx, start, end, kind, text))


def added(pseud: Pseudonymiser, recording: str, idx: int, start: int, end: int, kind: str,
          text: str) -> decisions.Decision:  # fmt: skip
    """The decision `add_span` records, checked first (span inside the text, a known kind)."""
    if not (0 <= start < end <= len(text)):
        raise InvalidInput(
            _("span {start}:{end} is outside the segment text").format(start=start, end=end)
        )
    if kind not in {k.value for k in Kind}:
        raise InvalidInput(
            _("unknown kind {kind!r}; use one of {kinds}").format(
                kind=kind, kinds=", ".join(k.value for k in Kind)
            )
        )
    return decisions.Decision(f"{recording}#{idx}", start, end, kind,
                              span_digest(pseud, text[start:end]), decisions.ADD)  # fmt: skip
