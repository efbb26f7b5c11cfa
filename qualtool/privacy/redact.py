"""Pseudonymised copies for exports (QDPX, export-coder), leaving the study as it is.

Uses the same findings and review decisions as `anonymise --apply`, so an export of a study
not yet anonymised reads exactly like the study will after apply; coded spans move with the
text so they stay on their words. The recordings' metadata too: a key or media file named after
a person, the interviewer, the participants go out as `--apply` will rename them — the plan is
`metadata.plan`'s, the one definition apply uses, never a second one here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from qualtool.domain import Coding, Participant, Recording, Segment
from qualtool.domain.codebook import Code, Codebook, Example
from qualtool.domain.errors import QualtoolError
from qualtool.files import codebook_edit, free_text
from qualtool.privacy import decisions, lone_names, metadata, outside_names
from qualtool.privacy.apply import export_pseudonymiser
from qualtool.privacy.entity import Entity
from qualtool.privacy.pseudonyms import Edit, Pseudonymiser, map_pos
from qualtool.privacy.review import recording_people, segment_findings, study_detector
from qualtool.store import privacy as store
from qualtool.store import recordings as rec_store
from qualtool.team.exchange import _sha as segment_sha
from qualtool.workspace.study import Workspace


class Redactor:
    """The study's review (findings less the rejected, plus the added spans) applied to any
    text of the study: one redaction service for every export."""

    def __init__(self, ws: Workspace, pseud: Pseudonymiser) -> None:
        self.pseud = pseud
        self.detector = study_detector(ws)
        self.found: dict[int, list[Entity]] = {}
        findings = segment_findings(ws, pseud, None, self.detector)
        for f in findings:
            if f.status != decisions.REJECT:
                self.found.setdefault(f.segment_id, []).append(f.entity)
        # a recording's notes: a name alone there is its person, as `--apply` reads them
        self.people = recording_people(ws, findings, self.detector)
        # memos, notes, labels: the detector, the names a reviewer added there and every span
        # the review replaces in the segments, as `--apply` cleans them
        self.known = outside_names.reviewed(e for ents in self.found.values() for e in ents)
        self.outside = outside_names.detector(ws, self.detector, self.known)
        self.ws = ws
        self._meta: metadata.Plan | None = None
        self._study: lone_names.People | None = None

    @property
    def meta(self) -> metadata.Plan:
        """What `--apply` would change in the recordings' metadata (planned once, on demand)."""
        if self._meta is None:
            self._meta = metadata.plan(self.ws, self.pseud, self.detector, self.known)
        return self._meta

    def key(self, key: str) -> str:
        """A recording's key as `--apply` renames it (one named after a person)."""
        return next((r.new for r in self.meta.renames if r.old == key), key)

    def path(self, rec: Recording) -> str:
        """The recording's media path as `--apply` records it: renamed with the recording, or
        — a file outside the study, never moved — with the names in its path replaced."""
        return next((r.new_path for r in self.meta.renames if r.old == rec.key), rec.path)

    def memo_target(self, kind: str, target: str) -> str:
        """A memo's target: a recording's key (a segment's `KEY#IDX`) as `--apply` renames
        it (`store.recordings.memos_naming`)."""
        if kind == "recording":
            return self.key(target)
        if kind == "segment" and "#" in target:
            key, idx = target.rsplit("#", 1)
            return f"{self.key(key)}#{idx}"
        return target

    def source(self, model: str | None) -> str | None:
        """A transcript's model, «imported:<file name>» naming the file it came from, as
        `--apply` cleans it."""
        value = metadata.clean_source(model, lambda t: self.text(t) or t, self.meta.clean_stem)
        for r in self.meta.renames:
            value = value.replace(r.old, r.new) if value else value
        return value

    def codebook(self, path: Path) -> str | None:
        """A codebook file's text as `--apply` cleans it (its examples, definitions and
        criteria quote interviews), or None when it names no one."""
        try:
            return codebook_edit.mapped_text(path, lambda _code, t: self.text(t) or t)
        except (QualtoolError, YAMLError, OSError, ValueError):
            return None

    def settings(self, settings: dict[str, object]) -> dict[str, object]:
        """A transcript's settings as `--apply` cleans them: the glossary `transcribe` copied
        there from study.toml (`glossary`, `hotwords`) may name people."""
        raw = json.dumps(settings, ensure_ascii=False)
        after = free_text.json_strings(raw, lambda t: self.text(t) or t)
        return settings if after is None else dict(json.loads(after))

    def codes(self, cb: Codebook) -> Codebook:
        """The codebook as `--apply` leaves it (`codebook_edit.mapped_text`): each code's
        labels (the report's headings, the QDPX codes' names), definition, criteria,
        keywords and examples cleaned."""

        def t(value: str) -> str:
            return self.text(value) or value

        def code(c: Code) -> Code:
            return replace(
                c, label_ru=t(c.label_ru), label_en=c.label_en and t(c.label_en),
                definition=c.definition and t(c.definition),
                inclusion=c.inclusion and t(c.inclusion), exclusion=c.exclusion and t(c.exclusion),
                keywords=tuple(t(w) for w in c.keywords),
                keywords_kk=tuple(t(w) for w in c.keywords_kk),
                examples=tuple(Example(t(e.text), e.source) for e in c.examples))  # fmt: skip

        return Codebook(name=cb.name, codes=tuple(code(c) for c in cb.codes), version=cb.version,
                        glossary=cb.glossary)  # fmt: skip

    def participant(self, p: Participant) -> Participant:
        """The participant's pseudonym and attributes as `--apply` writes them."""
        row = next((r for r in self.meta.participants if r["id"] == p.id), None)
        if row is None:
            return p
        return replace(p, pseudonym=row["pseudonym"], attributes=json.loads(row["attributes"]))

    def recording(self, rec: Recording) -> Recording:
        """The recording as an export shows it: key, media path, interviewer, notes and
        participants as `--apply` will leave them."""
        inter = next((r["interviewer"] for r in self.meta.recordings if r["id"] == rec.id),
                     rec.interviewer)  # fmt: skip
        return replace(rec, key=self.key(rec.key), path=self.path(rec), interviewer=inter,
                       notes=self.notes(rec.key, rec.notes),
                       participants=tuple(self.participant(p) for p in rec.participants))  # fmt: skip

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

    def notes(self, key: str, value: str | None) -> str | None:
        """A recording's notes as `--apply` cleans them: free text (`text`), a first name or a
        surname alone there the person the recording names in full (`review.recording_people`)."""
        if not value:
            return value
        detect = self.meta.detect or self.outside
        return self.pseud.apply(value, lambda t: lone_names.joined(key, detect(t), self.people))

    def text(self, value: str | None) -> str | None:
        """Free text (memos, labels), read also for the people the recordings' metadata
        names, a surname alone the study's one person with it (`lone_names.in_study`): an
        export says no more than `--apply` leaves, and no less."""
        if not value:
            return value
        if self._study is None:
            self._study = lone_names.study_people(e for by in self.meta.people.values()
                                                  for e in by.values())  # fmt: skip
        detect, study = self.meta.detect or self.outside, self._study
        return self.pseud.apply(value, lambda t: lone_names.in_study(detect(t), study))


@dataclass(frozen=True, slots=True)
class LayerRedaction:
    """What `export-coder` pseudonymises: each coding item, each memo, and the free text of
    the file's head (the study's name)."""

    item: Callable[[dict[str, Any]], dict[str, Any]]
    memo: Callable[[dict[str, Any]], dict[str, Any]]
    text: Callable[[str], str]


def layer_redactors(ws: Workspace, pseud: Pseudonymiser) -> tuple[
    Callable[[dict[str, Any]], dict[str, Any]], Callable[[dict[str, Any]], dict[str, Any]]
]:  # fmt: skip
    """`layer_redaction`'s item and memo functions."""
    done = layer_redaction(ws, pseud)
    return done.item, done.memo


def layer_redaction(ws: Workspace, pseud: Pseudonymiser) -> LayerRedaction:
    """For `export-coder`: each coding item and each memo pseudonymised; segment_sha is that
    of the pseudonymised text, so an anonymised study receiving it places it directly. The
    recording's key (and a text source's checksum, the hash of its path) as `--apply` renames
    it, in the items and in the memos that name it; the code's label and the study's name as
    `--apply` cleans them in the codebook and study.toml."""
    r = Redactor(ws, pseud)
    ids = {(s["recording"], s["idx"]): s["id"] for s in store.segments(ws.db)}
    recs = {rec.key: rec for rec in rec_store.list_recordings(ws.db)}

    def item(it: dict[str, Any]) -> dict[str, Any]:
        sid = ids.get((it["recording"], it["segment"]), 0)
        text, edits = r.segment_text(sid, it["segment_text"])
        s, e, quote = r.span(text, edits, it["start"], it["end"])
        key, checksum = it["recording"], it.get("recording_sha256")
        if (new := r.key(key)) != key and key in recs:
            path = r.path(recs[key])
            if path.startswith("text:"):  # a text source's checksum names its key
                checksum = hashlib.sha256(path.encode()).hexdigest()
        label = it.get("code_label")
        return {**it, "recording": new, "recording_sha256": checksum,
                "segment_text": text, "segment_sha": segment_sha(text), "start": s,
                "end": e, "quote": quote, "memo": r.text(it.get("memo")),
                "code_label": r.text(label) if isinstance(label, str) else label}  # fmt: skip

    def memo(m: dict[str, Any]) -> dict[str, Any]:
        target = r.memo_target(m["target_type"], m["target_id"])
        return {**m, "target_id": target, "text": r.text(m["text"]) or m["text"]}

    return LayerRedaction(item, memo, lambda t: r.text(t) or t)


def export_redactor(ws: Workspace) -> Redactor:
    """For an export: the study's numbering when its vault opens (else a throw-away one)."""
    return Redactor(ws, export_pseudonymiser(ws))
