"""What anonymisation would replace, per segment, after the study's review decisions: the list
`qualtool anonymise` prints and the TUI review screen walks through."""

from __future__ import annotations

import hashlib
import hmac
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
    digest: str  # of its words, as a decision on it records them (`span_digest`)


def study_detector(ws: Workspace) -> Detector:
    return Detector(allow.load(ws.study.root, store.metadata_words(ws.db)))


def review_key(ws: Workspace) -> bytes:
    """The key of the decisions' word hashes: the study's own, so a decision made on one
    laptop holds on every clone. It is no secret, and need not be: a decision names words
    that are still in the study's transcripts (a name not yet replaced, a word kept), and
    `--apply` drops the decisions on the words it replaced (`forget_replaced`)."""
    return hashlib.sha256(f"qualtool-review\x00{ws.study.id}".encode()).digest()


def span_digest(key: bytes, text: str) -> str:
    norm = " ".join(text.split()).lower()
    return hmac.new(key, f"span\x00{norm}".encode(), hashlib.sha256).hexdigest()[:24]


def _digests(key: bytes, pseud: Pseudonymiser | None, text: str) -> tuple[str, ...]:
    """The study-keyed hash, and the one decisions made before it was keyed by the study
    (keyed by this machine's vault secret) carry."""
    legacy = (pseud.digest("span", " ".join(text.split()).lower())[:24],) if pseud else ()
    return (span_digest(key, text), *legacy)


def context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{'…' if start > width else ''}{left}⟦{text[start:end]}⟧{right}{'…' if end + width < len(text) else ''}"


def segment_findings(ws: Workspace, pseud: Pseudonymiser, keys: list[str] | None = None,
                     detector: Detector | None = None) -> list[Finding]:  # fmt: skip
    """Every finding in every segment (coded or not), with its review status."""
    det = detector or study_detector(ws)
    key = review_key(ws)
    by_where: dict[str, list[decisions.Decision]] = {}
    for d in decisions.load(ws.study.root):
        by_where.setdefault(d.where, []).append(d)
    out: list[Finding] = []
    for seg in store.segments(ws.db):
        if keys and seg["recording"] not in keys:
            continue
        text, where = seg["text"], f"{seg['recording']}#{seg['idx']}"
        here = by_where.get(where, [])
        decided = {(d.start, d.end): d for d in here
                   if d.digest in _digests(key, pseud, text[d.start : d.end])}  # fmt: skip
        found = det.detect(text)
        spans = {(e.start, e.end) for e in found}
        for e in found:
            hashes = _digests(key, pseud, e.text)
            got = decided.get((e.start, e.end)) or _moved(hashes, e, here, decided)
            out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                               context(text, e.start, e.end), got.decision if got else "pending",
                               hashes[0]))  # fmt: skip
        for (s, t), d in decided.items():
            if d.decision == decisions.ADD and (s, t) not in spans:
                e = Entity(Kind(d.kind), s, t, text[s:t], " ".join(text[s:t].lower().split()),
                           "manual")  # fmt: skip
                out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                                   context(text, s, t), decisions.ADD,
                                   span_digest(key, text[s:t])))  # fmt: skip
    return sorted(out, key=lambda f: (f.recording, f.idx, f.entity.start))


def _moved(hashes: tuple[str, ...], e: Entity, here: list[decisions.Decision],
           placed: dict[tuple[int, int], decisions.Decision]) -> decisions.Decision | None:  # fmt: skip
    """The decision on these same words when they have moved within the segment: `--apply`
    replacing a name before them, or an edit, shifts every later offset. The nearest unplaced
    decision with the same words' hash."""
    same = [d for d in here if d.digest in hashes and d not in placed.values()]
    return min(same, key=lambda d: abs(d.start - e.start), default=None)


def decision_on(finding: Finding, decision: str) -> decisions.Decision:
    e = finding.entity
    return decisions.Decision(finding.where, e.start, e.end, e.kind.value, finding.digest,
                              decision)  # fmt: skip


def decide(ws: Workspace, finding: Finding, decision: str) -> None:
    decisions.record(ws.study.root, decision_on(finding, decision))


def add_span(ws: Workspace, recording: str, idx: int, start: int, end: int, kind: str,
             text: str) -> None:  # fmt: skip
    """A span the detector missed; `text` is the segment text (for the hash)."""
    decisions.record(ws.study.root, added(review_key(ws), recording, idx, start, end, kind, text))


def forget_replaced(ws: Workspace, pseud: Pseudonymiser | None = None) -> bool:
    """After `--apply`: the decisions to replace words that are gone now (replaced) are done,
    and dropped — their hashes would name words that are no longer in the study. Idempotent
    (a resumed apply runs it again); True when the file changed."""
    texts = {f"{s['recording']}#{s['idx']}": s["text"] for s in store.segments(ws.db)}
    key = review_key(ws)
    current = decisions.load(ws.study.root)
    keep = [d for d in current if d.decision == decisions.REJECT or (
            d.where in texts and d.digest in _digests(key, pseud, texts[d.where][d.start : d.end]))]  # fmt: skip
    if len(keep) == len(current):
        return False
    decisions.save(ws.study.root, keep)
    return True


def added(key: bytes, recording: str, idx: int, start: int, end: int, kind: str,
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
                              span_digest(key, text[start:end]), decisions.ADD)  # fmt: skip
