"""Inter-coder agreement between coders' layers, the disagreements behind it, and adjudication
into a consensus layer.

Units (what a "judgement" is):
  segment   — per segment and code: did the coder apply the code anywhere in the segment?
  sentence  — per sentence (spaCy sentencizer) and code: does a coding overlap the sentence?
  overlap   — per passage: spans of one code whose overlap (intersection over union) reaches
              `threshold` are the same passage; each coder applied it there or not. Segments
              nobody coded with that code count as agreed absences.
What a coder judged (their coverage of a transcript), as QDA tools count it: the whole transcript
once they marked it done (codings/assignments.yml) — every unit they left uncoded there is an
absence, even when they coded nothing at all; otherwise the stretch from the first to the last
segment they coded (a coder works through a transcript in order: what lies beyond their last
coding they have not read yet). Coding one segment of a long interview is not a judgement on the
rest of it. A segment enters the figure when at least two of the compared coders judged it; a
coder who did not is missing there (α handles that; κ skips those units). The report says which
transcripts entered the figure, how many of their segments, and on what basis per coder.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from qualtool.coding import apply_codes, persist
from qualtool.coding.persist import Target, begin
from qualtool.domain import Coding, Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.i18n import N_, _, ngettext
from qualtool.nlp import analyzer
from qualtool.store import journal, layers
from qualtool.store.codings import codings_for_segment, list_coders
from qualtool.store.db import Database
from qualtool.store.layers import CONSENSUS
from qualtool.store.transcripts import transcript_of_segment as segment_transcript
from qualtool.team.reliability import cohen_kappa, krippendorff_alpha, percent_agreement
from qualtool.workspace.study import Workspace


class Unit(StrEnum):
    SEGMENT = "segment"
    SENTENCE = "sentence"
    OVERLAP = "overlap"


@dataclass
class Score:
    code_id: str
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    applied: dict[str, int] = field(default_factory=dict)  # coder -> units with the code


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one coder judged in one transcript: all of it once done, else the stretch of
    segments from their first coding to their last (None: they coded nothing there)."""

    done: bool
    stretch: tuple[int, int] | None = None

    def covers(self, idx: int) -> bool:
        if self.done:
            return True
        return self.stretch is not None and self.stretch[0] <= idx <= self.stretch[1]

    def shown(self, coder: str) -> str:
        if self.stretch is None:
            return _("{coder} done, nothing coded").format(coder=coder)
        if self.done:
            return _("{coder} done").format(coder=coder)
        first, last = self.stretch
        if first == last:
            return _("{coder} coded #{first} only").format(coder=coder, first=first)
        return _("{coder} coded #{first}–#{last}").format(coder=coder, first=first, last=last)


@dataclass
class Report:
    coders: list[str]
    unit: Unit
    threshold: float
    transcripts: list[str]
    per_code: list[Score]
    overall: Score
    basis: dict[str, dict[str, Coverage]] = field(default_factory=dict)  # key -> coder -> what
    compared: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (segments, of)

    def basis_line(self, key: str) -> str:
        """«3 of 6 segments (anna done, boris coded #3–#5)»: what entered the figure and why."""
        n, total = self.compared.get(key, (0, 0))
        who = ", ".join(cov.shown(c) for c, cov in sorted(self.basis.get(key, {}).items()))
        return ngettext("{n} of {total} segment ({who})", "{n} of {total} segments ({who})",
                        total).format(n=n, total=total, who=who)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Disagreement:
    segment_id: int
    recording: str
    idx: int
    code_id: str
    with_code: tuple[str, ...]
    without: tuple[str, ...]
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (coder, start, end)


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


class _Data:
    def __init__(self, db: Database, coders: list[str] | None,
                 finished: dict[int, set[str]] | None = None) -> None:  # fmt: skip
        done = finished or {}
        everyone = {c.id for c in list_coders(db)} | {c for who in done.values() for c in who}
        self.coders = coders or sorted(everyone - {CONSENSUS})
        if len(self.coders) < 2:
            raise InvalidInput(_("agreement needs at least two coders with codings"))
        stretches = layers.coded_stretches(db, self.coders)
        self.basis: dict[int, dict[str, Coverage]] = {}
        for t in stretches.keys() | done.keys():
            got, fin = stretches.get(t, {}), done.get(t, set()) & set(self.coders)
            self.basis[t] = {c: Coverage(c in fin, got.get(c)) for c in got.keys() | fin}
        pairs = [t for t, cov in self.basis.items() if len(cov) >= 2]
        self.total: dict[int, int] = defaultdict(int)
        self.judges: dict[int, set[str]] = {}  # segment id -> coders who judged it
        self.segments = []
        for seg in layers.segments_of(db, pairs) if pairs else []:
            t = seg["transcript_id"]
            self.total[t] += 1
            who = {c for c, cov in self.basis[t].items() if cov.covers(seg["idx"])}
            if len(who) >= 2:
                self.judges[seg["id"]] = who
                self.segments.append(seg)
        self.scope = sorted({seg["transcript_id"] for seg in self.segments})
        self.spans: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for s in layers.spans_of(db, self.scope, self.coders) if self.scope else []:
            if s["segment_id"] in self.judges:
                self.spans[(s["segment_id"], s["code_id"])].append(s)
        self.codes = sorted({code for _, code in self.spans})

    def value(self, coder: str, segment: int, present: bool) -> int | None:
        return int(present) if coder in self.judges[segment] else None


def _units(data: _Data, code: str, unit: Unit, threshold: float) -> list[list[int | None]]:
    rows: list[list[int | None]] = []
    for seg in data.segments:
        sid = seg["id"]
        spans = data.spans.get((sid, code), [])
        if unit == Unit.SEGMENT or not spans:
            if unit == Unit.SENTENCE and not spans:
                n = len(analyzer("ru").sentences(seg["text"])) or 1
                rows.extend([[data.value(c, sid, False) for c in data.coders]] * n)
                continue
            have = {s["coder_id"] for s in spans}
            rows.append([data.value(c, sid, c in have) for c in data.coders])
        elif unit == Unit.SENTENCE:
            for a, b in analyzer("ru").sentences(seg["text"]) or [(0, len(seg["text"]))]:
                have = {s["coder_id"] for s in spans if s["start"] < b and s["end"] > a}
                rows.append([data.value(c, sid, c in have) for c in data.coders])
        else:
            for cluster in _clusters(spans, threshold):
                have = {s["coder_id"] for s in cluster}
                rows.append([data.value(c, sid, c in have) for c in data.coders])
    return rows


def _clusters(spans: list[dict[str, Any]], threshold: float) -> list[list[dict[str, Any]]]:
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            a, b = spans[i], spans[j]
            if _jaccard((a["start"], a["end"]), (b["start"], b["end"])) >= threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, s in enumerate(spans):
        groups[find(i)].append(s)
    return list(groups.values())


def _score(code: str, rows: list[list[int | None]], coders: list[str]) -> Score:
    applied = {c: sum(1 for r in rows if r[i] == 1) for i, c in enumerate(coders)}
    kappa = cohen_kappa(rows) if len(coders) == 2 else None
    return Score(code, len(rows), percent_agreement(rows), kappa, krippendorff_alpha(rows),
                 applied)  # fmt: skip


def agreement(
    db: Database,
    coders: list[str] | None = None,
    unit: Unit = Unit.SEGMENT,
    threshold: float = 0.5,
    codes: list[str] | None = None,
    finished: dict[int, set[str]] | None = None,
) -> Report:
    """`finished`: transcript id -> coders who marked it done (team.assignments.finished)."""
    data = _Data(db, coders, finished)
    chosen = [c for c in data.codes if not codes or c in codes]
    per_code, pooled = [], []
    for code in chosen:
        rows = _units(data, code, unit, threshold)
        pooled.extend(rows)
        per_code.append(_score(code, rows, data.coders))
    key_of = {s["transcript_id"]: s["recording"] for s in data.segments}
    basis = {key_of[t]: data.basis[t] for t in data.scope}
    compared = {key_of[t]: (sum(s["transcript_id"] == t for s in data.segments), data.total[t])
                for t in data.scope}  # fmt: skip
    return Report(data.coders, unit, threshold, sorted(basis), per_code,
                  _score("(all codes)", pooled, data.coders), basis, compared)  # fmt: skip


def disagreements(
    db: Database,
    coders: list[str] | None = None,
    include_settled: bool = False,
    finished: dict[int, set[str]] | None = None,
) -> list[Disagreement]:
    """Segment-level disagreements, in transcript order, for the team to adjudicate."""
    data = _Data(db, coders, finished)
    done = set() if include_settled else layers.settled(db)
    out = []
    for seg in data.segments:
        who = data.judges[seg["id"]]
        for code in data.codes:
            spans = data.spans.get((seg["id"], code), [])
            have = {s["coder_id"] for s in spans}
            if not have or have >= who or (seg["id"], code) in done:
                continue
            out.append(Disagreement(
                seg["id"], seg["recording"], seg["idx"], code,
                tuple(sorted(have)), tuple(sorted(who - have)), seg["text"],
                tuple(sorted((s["coder_id"], s["start"], s["end"]) for s in spans)),
            ))  # fmt: skip
    return out


def _written(ws: Workspace | None, message: str) -> str:
    """A memo qualtool writes on a consensus coding: in the study's language (consensus.json
    is the team's), in the interface's for a bare database."""
    return ws.study.written(message) if ws is not None else _(message)


def adjudicate(
    target: Target,
    segment_id: int,
    code_id: str,
    present: bool,
    by: str,
    span: tuple[int, int] | None = None,
    note: str | None = None,
) -> Coding | None:
    """Settle one (segment, code): into the consensus layer, or ruled out. A new decision
    replaces the previous one (a colleague's, pulled): ruling out takes the passage out of the
    consensus layer, putting it in lifts the ruling — the layer never says both. One journaled
    action (undoable like any coding), the consensus file written with it."""
    db, ws = begin(target)
    tid = segment_transcript(db, segment_id)
    with journal.action(db, _("adjudicate {code}").format(code=code_id), tid) as j:
        j.touch_where("adjudications", "segment_id = ? AND code_id = ?", [segment_id, code_id])
        if not present:
            agreed = [c.id for c in codings_for_segment(db, segment_id, CONSENSUS)
                      if c.code_id == code_id and c.id is not None]  # fmt: skip
            for cid in agreed:
                j.touch("codings", cid)
                j.touch_where("suggestions", "coding_id = ?", [cid])
            layers.delete_codings(db, agreed)
            rowid = layers.rule_out(db, segment_id, code_id, by, note)
            j.created("adjudications", rowid)
            persist.write(ws, coders={CONSENSUS})
            return None
        layers.remove_absent(db, segment_id, code_id)
        if span is None:
            spans = layers.coder_spans(db, segment_id, code_id)
            if not spans:
                raise InvalidInput(_("no coder's span to take: give one explicitly"))
            span = (min(a for a, _b in spans), max(b for _a, b in spans))
        memo = (_written(ws, N_("adjudicated by {by}: {note}")) if note else
                _written(ws, N_("adjudicated by {by}"))).format(by=by, note=note)  # fmt: skip
        return apply_codes(target, segment_id, span, [code_id], CONSENSUS, memo,
                           provenance=Provenance.CONSENSUS)[0]  # fmt: skip


def build_consensus(target: Target, coders: list[str] | None = None, by: str = "team",
                    finished: dict[int, set[str]] | None = None) -> int:  # fmt: skip
    """Copy every passage all coders of a transcript agree on into the consensus layer (their
    common span where they overlap); returns how many were added. Disagreements stay open.
    What the team already settled (in the consensus layer, or ruled out) is left as decided:
    adjudicating it again would append another «adjudicated by» to its memo on every run and
    rewrite consensus.json with nothing new. «All coders» are those who judged the segment
    (`finished` as for `agreement`). One undoable action."""
    db, ws = begin(target)
    agreed = _written(ws, N_("all coders agreed"))
    data = _Data(db, coders, finished)
    done = layers.settled(db)
    before = layers.count_codings(db, CONSENSUS)
    with journal.action(db, _("consensus")):
        for seg in data.segments:
            who = data.judges[seg["id"]]
            for code in data.codes:
                spans = data.spans.get((seg["id"], code), [])
                if not spans or {s["coder_id"] for s in spans} < who or (seg["id"], code) in done:
                    continue
                start = max(min(s["start"] for s in spans if s["coder_id"] == c) for c in who)
                end = min(max(s["end"] for s in spans if s["coder_id"] == c) for c in who)
                if end <= start:
                    start, end = min(s["start"] for s in spans), max(s["end"] for s in spans)
                adjudicate(target, seg["id"], code, True, by, (start, end), agreed)
    return layers.count_codings(db, CONSENSUS) - before
