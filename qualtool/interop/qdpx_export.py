"""Export the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

Each transcript goes out twice, because tools import different halves of the standard:
  * a TextSource (plain text, one "Speaker: text" line per segment) with PlainTextSelections
    at character offsets — what most tools key on;
  * an AudioSource (path relative to the study) whose Transcript carries a SyncPoint per
    segment (ms ↔ character position) and TranscriptSelections between sync points.
Coders are Users; every coding is one Coding with its creatingUser. Participants are Cases with
their attributes as Variables; recordings carry method/service/region/date as VariableValues.
Memos are Notes. GUIDs are deterministic, so re-exports diff cleanly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qualtool import __version__
from qualtool.domain import Coding, Recording, Segment
from qualtool.interop.refi import PROJECT_NS, code_elements, code_guid, guid, write_xml
from qualtool.privacy.apply import export_pseudonymiser, is_anonymised
from qualtool.privacy.audio import redacted_path
from qualtool.privacy.redact import Redactor
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import codings_for_transcript, list_coders, list_memos
from qualtool.store.vault import study_uuid
from qualtool.workspace.study import Workspace

N = f"{{{PROJECT_NS}}}"
REC_VARIABLES = ("method", "service", "region", "language", "date", "interviewer")
PERSON_VARIABLES = ("role", "gender", "age_band", "region")


def _iso(dt: datetime | None) -> str:
    return (dt or datetime.now(UTC)).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def plain_text(segments: list[Segment]) -> tuple[str, list[int]]:
    """The source text and where each segment's own text starts in it."""
    parts, starts, pos = [], [], 0
    for seg in segments:
        prefix = f"{seg.speaker}: " if seg.speaker else ""
        starts.append(pos + len(prefix))
        line = prefix + seg.text + "\n"
        parts.append(line)
        pos += len(line)
    return "".join(parts), starts


@dataclass
class ExportSummary:
    sources: int = 0
    codings: int = 0
    coders: int = 0
    codes: int = 0
    notes: int = 0


def export_qdpx(
    ws: Workspace, path: Path, *, pseudonymise: bool = True, include_audio: bool | None = None
) -> ExportSummary:
    """Pseudonymised by default (text, quotes, memos); audio sources are left out by default
    once the study is anonymised (the recordings still carry the voices and names)."""
    db = ws.db
    redactor = Redactor(ws, export_pseudonymiser(ws)) if pseudonymise else None
    if include_audio is None:
        include_audio = not is_anonymised(ws)
    sid = study_uuid(db)
    cb = load_codebook(db)
    coders = list_coders(db)
    user = {c.id: guid(sid, "user", c.id) for c in coders}
    root = ET.Element(f"{N}Project", {"name": ws.study.config.name,
                                        "origin": f"qualtool {__version__}",
                                        "creationDateTime": _iso(None)})  # fmt: skip
    summary = ExportSummary(coders=len(coders), codes=len(cb))
    if coders:
        users = ET.SubElement(root, f"{N}Users")
        for c in coders:
            ET.SubElement(
                users, f"{N}User", {"guid": user[c.id], "name": c.name or c.id, "id": c.id}
            )
    code_elements(ET.SubElement(ET.SubElement(root, f"{N}CodeBook"), f"{N}Codes"), cb, PROJECT_NS)
    variables = ET.SubElement(root, f"{N}Variables")
    for name in (*REC_VARIABLES, *(f"participant_{v}" for v in PERSON_VARIABLES)):
        ET.SubElement(variables, f"{N}Variable", {"guid": guid(sid, "var", name), "name": name,
                                                  "typeOfVariable": "Text"})  # fmt: skip
    recordings = rec_store.list_recordings(db)
    texts: dict[str, str] = {}
    people: dict[str, list[str]] = {}
    sources = ET.Element(f"{N}Sources")
    for rec in recordings:
        t = tr_store.get_transcript(db, rec.id or 0)
        if t is None or not t.segments:
            continue
        segs = list(t.segments)
        codings = codings_for_transcript(db, t.id or 0)
        if redactor is not None:
            segs, codings = _redacted(redactor, segs, codings)
        text, starts = plain_text(segs)
        by_id = {s.id: (s, starts[i]) for i, s in enumerate(segs)}
        tguid = guid(sid, "text", rec.key)
        texts[tguid] = text
        src = ET.SubElement(sources, f"{N}TextSource", {
            "guid": tguid, "name": rec.key, "plainTextPath": f"internal://{tguid}.txt",
            "creationDateTime": _iso(None)})  # fmt: skip
        ET.SubElement(src, f"{N}Description").text = _describe(rec)
        for c in codings:
            _, offset = by_id[c.segment_id]
            sel = ET.SubElement(src, f"{N}PlainTextSelection", {
                "guid": guid(sid, "sel", c.id), "name": c.quote[:60],
                "startPosition": str(offset + c.start), "endPosition": str(offset + c.end),
                "creatingUser": user[c.coder_id], "creationDateTime": _iso(c.created_at)})  # fmt: skip
            if c.memo:
                ET.SubElement(sel, f"{N}Description").text = c.memo
            coding = ET.SubElement(sel, f"{N}Coding", {"guid": guid(sid, "coding", c.id),
                "creatingUser": user[c.coder_id], "creationDateTime": _iso(c.created_at)})  # fmt: skip
            ET.SubElement(coding, f"{N}CodeRef", {"targetGUID": code_guid(c.code_id)})
            summary.codings += 1
        _variable_values(src, sid, rec)
        if include_audio:
            _audio_source(sources, sid, ws, rec, segs, starts, codings, user, texts)
        summary.sources += 1
        for p in rec.participants:
            people.setdefault(p.pseudonym, []).append(tguid)
    if people:
        cases = ET.SubElement(root, f"{N}Cases")
        persons = {p.pseudonym: p for r in recordings for p in r.participants}
        for name, srcs in sorted(people.items()):
            case = ET.SubElement(cases, f"{N}Case", {"guid": guid(sid, "case", name), "name": name})
            p = persons[name]
            for v in PERSON_VARIABLES:
                value = getattr(p, v)
                if value:
                    _value(case, sid, f"participant_{v}", str(value))
            for s in srcs:
                ET.SubElement(case, f"{N}SourceRef", {"targetGUID": s})
    if len(sources):
        root.append(sources)
    memos = list_memos(db)
    if memos:
        notes = ET.SubElement(root, f"{N}Notes")
        for m in memos:
            note = ET.SubElement(notes, f"{N}Note", {
                "guid": guid(sid, "memo", m.id), "name": f"{m.target_type} {m.target_id}",
                "creationDateTime": _iso(m.created_at),
                **({"creatingUser": user[m.coder_id]} if m.coder_id in user else {})})  # fmt: skip
            ET.SubElement(note, f"{N}PlainTextContent").text = (
                redactor.text(m.text) if redactor else m.text
            )
            summary.notes += 1
    _reorder(root)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", write_xml(root, PROJECT_NS))
        for g, text in texts.items():
            z.writestr(f"sources/{g}.txt", text.encode("utf-8"))
    tmp.replace(path)
    return summary


def _redacted(r: Redactor, segs: list[Segment], codings: list[Coding]
              ) -> tuple[list[Segment], list[Coding]]:  # fmt: skip
    out, edits = [], {}
    for seg in segs:
        new, e = r.segment(seg)
        out.append(new)
        edits[seg.id] = (new.text, e)
    return out, [r.coding(c, *edits[c.segment_id]) for c in codings]


def _describe(rec: Recording) -> str:
    bits = [rec.method.label_ru, rec.service or "", rec.region or "", str(rec.date or "")]
    return " · ".join(b for b in bits if b)


def _value(parent: ET.Element, sid: str, name: str, value: str) -> None:
    vv = ET.SubElement(parent, f"{N}VariableValue")
    ET.SubElement(vv, f"{N}VariableRef", {"targetGUID": guid(sid, "var", name)})
    ET.SubElement(vv, f"{N}TextValue").text = value


def _variable_values(src: ET.Element, sid: str, rec: Recording) -> None:
    for v in REC_VARIABLES:
        value = getattr(rec, v)
        if value:
            _value(src, sid, v, str(value))


def _audio_source(sources: ET.Element, sid: str, ws: Workspace, rec: Recording,
                  segs: list[Segment], starts: list[int], codings: list,  # type: ignore[type-arg]
                  user: dict[str, str], texts: dict[str, str]) -> None:  # fmt: skip
    if rec.format == "text":
        return
    aguid = guid(sid, "audio", rec.key)
    redacted = redacted_path(ws, rec.key)  # the copy without the names, when there is one
    rel = ws.study.relative(redacted) if redacted.exists() else rec.path
    audio = ET.SubElement(sources, f"{N}AudioSource", {
        "guid": aguid, "name": f"{rec.key} (audio)", "path": f"relative://{rel}"})  # fmt: skip
    trguid = guid(sid, "transcript", rec.key)
    texts[trguid] = texts[guid(sid, "text", rec.key)]
    tr = ET.SubElement(audio, f"{N}Transcript", {"guid": trguid, "name": rec.key,
                                                 "plainTextPath": f"internal://{trguid}.txt"})  # fmt: skip
    index = {s.id: i for i, s in enumerate(segs)}
    for i, seg in enumerate(segs):
        for edge, ms, pos in (
            ("a", seg.start, starts[i]),
            ("b", seg.end, starts[i] + len(seg.text)),
        ):
            ET.SubElement(tr, f"{N}SyncPoint", {"guid": guid(sid, "sync", rec.key, i, edge),
                                                "timeStamp": str(round(ms * 1000)),
                                                "position": str(pos)})  # fmt: skip
    for c in codings:
        i = index[c.segment_id]
        sel = ET.SubElement(tr, f"{N}TranscriptSelection", {
            "guid": guid(sid, "tsel", c.id), "name": c.quote[:60],
            "fromSyncPoint": guid(sid, "sync", rec.key, i, "a"),
            "toSyncPoint": guid(sid, "sync", rec.key, i, "b")})  # fmt: skip
        coding = ET.SubElement(sel, f"{N}Coding", {"guid": guid(sid, "tcoding", c.id),
                                                   "creatingUser": user[c.coder_id]})  # fmt: skip
        ET.SubElement(coding, f"{N}CodeRef", {"targetGUID": code_guid(c.code_id)})
    _variable_values(audio, sid, rec)


_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets"]


def _reorder(root: ET.Element) -> None:
    """The XSD fixes the order of the Project's children."""
    kids = sorted(root, key=lambda e: _ORDER.index(e.tag.rsplit("}", 1)[-1]))
    for k in list(root):
        root.remove(k)
    root.extend(kids)
