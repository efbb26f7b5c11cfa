"""The plan of `anonymise --apply`: the after-image of every row that changes, and the new
texts of the other files, made before anything is written (`apply.py` writes it, atomically).

Everything that can hold a name is in it: every segment (coded or not) and its word timings,
every coding's quote and memo in every coder layer and the consensus, memos, suggestions (quote
and reason), recording notes, interviewers and participants (audio/recordings.yml), and the
renames of a recording whose key or file name holds a name (`metadata.py`). The same plan, made
on a copy of the vault's numbering, is what `qualtool anonymise` lists and the review screen
shows (`apply.numbered_plan`), so the listing says what the apply will do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qualtool.domain import reason
from qualtool.files import free_text
from qualtool.i18n import _
from qualtool.privacy import (
    conflict_rows,
    decisions,
    diminutives,
    lone_names,
    metadata,
    outside,
    outside_names,
    review,
)
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser, map_pos
from qualtool.privacy.review import context, segment_findings, study_detector
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace


@dataclass
class ApplyReport:
    apply_id: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    # speaker labels renamed ((recording, label) pairs): a name in a label is not a finding in
    # the text, so without this a labels-only apply read as «nothing found»
    speakers: int = 0
    files: int = 0
    # the words the review replaces in the segments, for every other text (in memory only)
    names: outside_names.Known = field(default_factory=dict, repr=False)
    # names in the recordings' metadata: the renames to make, the listing's findings
    metadata: metadata.Plan = field(default_factory=metadata.Plan, repr=False)
    # speakers.yml, conflicts/, the codebooks and reference transcripts cleaned (their new
    # texts, written by step 4), and the names listed in the codebooks and references
    planned: outside.Planned = field(default_factory=outside.Planned, repr=False)
    # exports in the study that held names as spoken, removed by the apply (`stale_exports`)
    removed: list[str] = field(default_factory=list)
    # the conflict rows `qualtool conflicts` lists, rewritten (`conflict_rows.planned`)
    conflicts: list[dict[str, Any]] = field(default_factory=list, repr=False)


class _Doubts:
    """The surnames and patronymics alone in memos and labels that several of the study's
    people may be, and the diminutives of several people's names in memos and notes, each once
    where it stands (a label repeats on every turn), for the listing and the review screen:
    replaced with a pseudonym of their own, a reader should check them."""

    def __init__(self, study: lone_names.People, people: dict[str, str]) -> None:
        self.study, self.people = study, people
        self.found: list[outside.Finding] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._fits: dict[str, tuple[str, ...]] = {}

    def _diminutive(self, e: Entity) -> tuple[str, tuple[str, ...]]:
        """A diminutive several people's names fit (`diminutives.fitting`): why, and who."""
        if e.kind is not Kind.PERSON or " " in e.key:
            return "", ()
        if e.key not in self._fits:
            self._fits[e.key] = diminutives.fitting(e.key, self.people)
        could = self._fits[e.key]
        return (diminutives.SEVERAL, could) if could else ("", ())

    def note(self, where: str, text: str, found: list[Entity], pseud: Pseudonymiser,
             lone: bool = True, at: str = "") -> set[tuple[int, int]]:  # fmt: skip
        """Note the doubtful ones; returns their spans (listed «check», not «replaced»).
        `lone`: a surname or patronymic alone is doubted too (not in a recording's notes,
        where it is that recording's person); a diminutive is listed `at` its place."""
        doubtful: set[tuple[int, int]] = set()
        for e in found:
            place = where
            note, could = lone_names.doubt([e], self.study) if lone else ("", ())
            if not note:
                note, could = self._diminutive(e)
                place = at or where
            if note:
                doubtful.add((e.start, e.end))
            if (place, text, e.text) in self._seen or not note:
                continue
            self._seen.add((place, text, e.text))
            self.found.append(outside.Finding(place, e, pseud.replacement(e),
                                              context(text, e.start, e.end), note, could))  # fmt: skip
        return doubtful


def _words(raw: str, text: str, new_text: str, edits: list[Any]) -> str:
    """Word timings kept (audio redaction needs them), word texts pseudonymised: each word
    takes the part of the new text its characters map to. Words that do not spell the text
    (edited since transcription) are dropped."""
    words = json.loads(raw or "[]")
    if not words:
        return raw
    if "".join(w[2] for w in words).strip() != text.strip():
        return "[]"
    lead = len("".join(w[2] for w in words)) - len("".join(w[2] for w in words).lstrip())
    pos, out = -lead, []
    for w in words:
        a, b = pos, pos + len(w[2])
        pos = b
        na, nb = map_pos(edits, max(a, 0)), map_pos(edits, max(b, 0))
        out.append([w[0], w[1], (w[2][: max(0, -a)] if a < 0 else "") + new_text[na:nb], w[3]])
    return json.dumps(out, ensure_ascii=False)


def _listing(clean: Callable[..., str | None], shown: str) -> Callable[[str], str]:
    """`clean` of one text whose names are listed at `shown`."""
    return lambda text: clean(text, shown=shown) or text


class _Places:
    """Where a memo, a coding's memo, a ruling's note or a transcript's settings stands, in
    the viewer's words, for the listing (`store.text_places`)."""

    def __init__(self, ws: Workspace) -> None:
        self.rows = store.text_places(ws.db)
        self.keys = {str(r["id"]): r["key"] for r in store.rows(ws.db, "recordings")}

    def coding(self, row_id: Any) -> str:
        r = self.rows["codings"].get(row_id)
        if r is None:
            return _("memo of a coding")
        return _("memo of {coder}'s coding {where} {code}").format(
            coder=r["coder"], where=f"{r['recording']}#{r['idx']}", code=r["code"]
        )

    def ruling(self, row_id: Any) -> str:
        r = self.rows["adjudications"].get(row_id)
        if r is None:
            return _("note of a ruling")
        return _("note of the ruling on {where} {code}").format(
            where=f"{r['recording']}#{r['idx']}", code=r["code"]
        )

    def memo(self, row_id: Any) -> str:
        r = self.rows["memos"].get(row_id, {})
        kind, target = r.get("target_type", ""), str(r.get("target_id", ""))
        if kind == "recording":
            target = self.keys.get(target, target)
        return _("memo of {coder} on {kind} {target}").format(
            coder=r.get("coder") or "—", kind=kind, target=target
        )

    def settings(self, row_id: Any) -> str:
        r = self.rows["transcripts"].get(row_id, {})
        return _("transcription settings of {key}").format(key=r.get("recording", "?"))


def plan(ws: Workspace, pseud: Pseudonymiser, keys: list[str] | None = None,
         detector: Detector | None = None) -> tuple[dict[str, list[dict[str, Any]]], ApplyReport]:  # fmt: skip
    """The after-image of every row that changes (nothing is written)."""
    det = detector or study_detector(ws)
    report = ApplyReport()
    per_segment: dict[int, list[Entity]] = {}
    found = segment_findings(ws, pseud, keys, det)
    for f in found:
        if f.status != decisions.REJECT:
            per_segment.setdefault(f.segment_id, []).append(f.entity)
            report.entities[f.entity.kind.value] = report.entities.get(f.entity.kind.value, 0) + 1
    changes: dict[str, list[dict[str, Any]]] = {t: [] for t in store.COLUMNS}
    seg_edits: dict[int, tuple[str, list[Any]]] = {}
    seg_text: dict[int, str] = {}
    relabelled: set[tuple[str, str]] = set()
    # with the names a reviewer added there, and every span the review replaces in the
    # segments: a name added on its segment only stayed in the coder's memo
    report.names = outside_names.reviewed(e for ents in per_segment.values() for e in ents)
    # labels, memos and notes are read knowing the people of the recordings' metadata too, as
    # the exports read them: «Шолпан Кенжебаева:» loses her first name as well
    report.metadata = metadata.plan(ws, pseud, det, report.names, keys)
    # a diminutive in a memo or a note is the one person its name is made from, as in the
    # segments (`review.segment_findings` keys those)
    known = review.people_keys(found, report.metadata.people)
    pseud.aliases.update(diminutives.links(known)[0])
    detect = report.metadata.detect or outside_names.detector(ws, det, report.names)
    people = review.recording_people(ws, found, det)
    # memos and speaker labels belong to no one recording: a surname alone there is the
    # study's one person with it (`lone_names.in_study`), flagged where several may be
    study = lone_names.study_people(e for by in report.metadata.people.values()
                                    for e in by.values())  # fmt: skip
    doubts = _Doubts(study, known)
    # the names replaced in memos, notes and settings, listed where they stand (a name only a
    # memo holds was replaced by `--apply` and listed nowhere: the reviewer never saw it)
    listed: list[outside.Finding] = []
    places = _Places(ws)

    def free(text: str) -> list[Entity]:
        """What is replaced in a text no recording owns (memos, labels, speakers.yml …)."""
        return lone_names.in_study(detect(text), study)

    def clean(value: str | None, rec: str = "", where: str = "", shown: str = "") -> str | None:
        """A text outside the segments; a recording's notes: a name alone its person's. With
        `where` (a memo, a label) a surname alone that several people may be is listed «check»;
        with `shown` every other name replaced is listed at it."""
        if not value:
            return value
        found = lone_names.joined(rec, detect(value), people) if rec else free(value)
        new = pseud.replace(value, found)[0]
        doubtful = (doubts.note(where, value, found, pseud, at=shown) if where
                    else doubts.note(shown, value, found, pseud, lone=False) if shown
                    else set())  # fmt: skip
        if shown:
            listed.extend(outside.Finding(shown, e, pseud.replacement(e),
                                          context(value, e.start, e.end))
                          for e in found if (e.start, e.end) not in doubtful)  # fmt: skip
        return new

    labels: outside.Labels = set()  # every segment's label after the apply
    for seg in store.segments(ws.db):
        seg_text[seg["id"]] = seg["text"]
        row: dict[str, Any] = {"id": seg["id"]}
        named = seg["speaker"] and (not keys or seg["recording"] in keys)
        where = f"speaker:{seg['recording']}"
        if named and (label := clean(seg["speaker"], where=where)) != seg["speaker"]:
            row["speaker"] = label  # «Гульнара Серикбаевна:» of an imported transcript
            relabelled.add((seg["recording"], seg["speaker"]))
        labels.add((seg["recording"], row.get("speaker", seg["speaker"])))
        ents = per_segment.get(seg["id"])
        if ents:
            new, edits = pseud.replace(seg["text"], ents)
            seg_edits[seg["id"]] = (new, edits)
            row.update(text=new, words=_words(seg["words"], seg["text"], new, edits))
        if len(row) > 1:
            changes["segments"].append(row)

    for table in ("codings", "suggestions", "suggestion_decisions"):
        for r in store.rows(ws.db, table):
            after = dict(r)
            if r["segment_id"] in seg_edits:
                new, edits = seg_edits[r["segment_id"]]
                s, e = map_pos(edits, r["start"]), map_pos(edits, r["end"], "end")
                after.update(start=s, end=max(e, s + 1), quote=new[s : max(e, s + 1)])
            elif r["quote"] != seg_text.get(r["segment_id"], "")[r["start"] : r["end"]]:
                after["quote"] = clean(r["quote"])  # a stale quote: scanned on its own
            # else the quote is its segment's words, reviewed there: a rejected finding, or a
            # recording left out of `anonymise KEY`, stays as the transcript keeps it
            if table == "codings":
                after["memo"] = clean(r["memo"], where=decisions.MEMOS,
                                      shown=places.coding(r["id"]))  # fmt: skip
            elif r["reason"]:  # the words and examples a reason quotes, its stored form kept
                after["reason"] = reason.map_text(r["reason"], lambda t: clean(t) or t)
            after.pop("segment_id")
            if any(after[c] != r[c] for c in after):
                changes[table].append(after)
    for r in store.rows(ws.db, "memos"):
        if (value := clean(r["text"], where=decisions.MEMOS, shown=places.memo(r["id"]))) != r[
            "text"
        ]:
            changes["memos"].append({"id": r["id"], "text": value})
    for r in store.rows(ws.db, "adjudications"):  # a ruling's note, codings/consensus.json's
        if (value := clean(r["note"], where=decisions.MEMOS, shown=places.ruling(r["id"]))) != r[
            "note"
        ]:
            changes["adjudications"].append({"id": r["id"], "note": value})
    interviewers = {r["id"]: r["interviewer"] for r in report.metadata.recordings}
    for r in store.rows(ws.db, "recordings"):
        row = {"id": r["id"]}
        at = _("notes of {key}").format(key=r["key"])
        if (value := clean(r["notes"], r["key"], shown=at)) != r["notes"]:
            row["notes"] = value
        if r["id"] in interviewers:
            row["interviewer"] = interviewers[r["id"]]
        if len(row) > 1:
            changes["recordings"].append(row)
    changes["participants"] = report.metadata.participants
    for r in store.rows(ws.db, "transcripts"):  # the file a transcript was imported from
        value = metadata.clean_source(r["model"], lambda t: clean(t) or t,
                                      report.metadata.clean_stem)  # fmt: skip
        for rename in report.metadata.renames:
            value = value.replace(rename.old, rename.new) if value else value
        row = {"id": r["id"]}
        if value != r["model"]:
            row["model"] = value
        settings = free_text.json_strings(r["settings"], _listing(clean, places.settings(r["id"])))
        if settings is not None:
            row["settings"] = settings
        if len(row) > 1:
            changes["transcripts"].append(row)
    report.rows = {t: len(v) for t, v in changes.items()}
    report.speakers = len(relabelled)
    # last, so the people first named there are numbered after the text's, as ever
    report.planned = outside.plan_files(ws, pseud, free, labels,
                                        {r.old for r in report.metadata.renames})  # fmt: skip
    report.planned.findings += listed + doubts.found
    report.conflicts = conflict_rows.planned(ws.db, lambda t: clean(t) or t,
                                             report.metadata.renames, report.planned.labels)  # fmt: skip
    return changes, report
