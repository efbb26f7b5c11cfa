"""Export the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder — and
back into qualtool without loss.

Each transcript goes out once, so a reader sees each coding once:
  * a recording with audio is an AudioSource (`relative://` path inside the study; `basePath`
    is the study folder's *name*, read relative to the folder holding the .qdpx, never the
    absolute local path) whose Transcript carries a SyncPoint at every segment's start and end (its real
    times) and at every coding's edges, and a TranscriptSelection per coding on the exact span;
  * a text-only recording is a TextSource with PlainTextSelections at code-point positions.
The text is one "Speaker: text" line per segment. Coders are Users. A recording's metadata
(method, service, region, language, date, interviewer, consent, notes) are VariableValues;
participants are Cases with their fields and attributes as Variables; memos are Notes;
codebook groups are Sets. Key quotes and a coding's provenance are NoteRefs to marker Notes
("qualtool: key quote", "qualtool: provenance consensus"). The codebook file itself rides along
as `qualtool/codebook.yml` and each transcript as `qualtool/transcripts/<key>.json` (other
tools ignore them) so keywords, examples, words and confidences survive a round trip too.
GUIDs are deterministic, so re-exports diff cleanly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ruamel.yaml import YAML

from qualtool import __version__
from qualtool.domain import Coding, Provenance, Recording, Segment
from qualtool.files import transcript_formats as formats
from qualtool.files.writing import export_file
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
REC_VARIABLES = ("method", "service", "region", "language", "date", "interviewer", "consent",
                 "notes")  # fmt: skip
PERSON_VARIABLES = ("role", "gender", "age_band", "region")
KEY_QUOTE_NOTE = "qualtool: key quote"
PROVENANCE_NOTE = "qualtool: provenance "
ATTR = "participant_attr:"


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


class _Exporter:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.sid = study_uuid(ws.db)
        self.user = {c.id: guid(self.sid, "user", c.id) for c in list_coders(ws.db)}
        self.texts: dict[str, str] = {}
        self.source_of: dict[str, str] = {}  # recording key -> source guid
        self.own: dict[str, str] = {}  # recording key -> qualtool transcript JSON
        self.summary = ExportSummary(coders=len(self.user))
        self.original: dict[str, str] = {}  # shown key -> the study's key (pseudonymised)

    def g(self, *parts: object) -> str:
        return guid(self.sid, *parts)

    def value(self, parent: ET.Element, name: str, value: str) -> None:
        vv = ET.SubElement(parent, f"{N}VariableValue")
        ET.SubElement(vv, f"{N}VariableRef", {"targetGUID": self.g("var", name)})
        ET.SubElement(vv, f"{N}TextValue").text = value

    def rec_values(self, el: ET.Element, rec: Recording) -> None:
        for v in REC_VARIABLES:
            value = getattr(rec, v)
            if v == "consent":
                self.value(el, v, "true" if value else "false")
            elif value:
                text = str(getattr(value, "value", value))
                self.value(el, v, text)

    def coding(self, sel: ET.Element, c: Coding, kind: str) -> None:
        if c.memo:
            ET.SubElement(sel, f"{N}Description").text = c.memo
        el = ET.SubElement(sel, f"{N}Coding", {"guid": self.g(kind, c.id),
                           "creatingUser": self.user[c.coder_id],
                           "creationDateTime": _iso(c.created_at)})  # fmt: skip
        ET.SubElement(el, f"{N}CodeRef", {"targetGUID": code_guid(c.code_id)})
        if c.key_quote:
            ET.SubElement(el, f"{N}NoteRef", {"targetGUID": self.g("note", KEY_QUOTE_NOTE)})
        if c.provenance != Provenance.IMPORTED:
            note = PROVENANCE_NOTE + c.provenance.value
            ET.SubElement(el, f"{N}NoteRef", {"targetGUID": self.g("note", note)})
        self.summary.codings += 1

    def text_source(self, sources: ET.Element, rec: Recording, segs: list[Segment],
                    codings: list[Coding]) -> None:  # fmt: skip
        text, starts = plain_text(segs)
        tguid = self.g("text", rec.key)
        self.texts[tguid] = text
        src = ET.SubElement(sources, f"{N}TextSource", {
            "guid": tguid, "name": rec.key, "plainTextPath": f"internal://{tguid}.txt",
            "creationDateTime": _iso(None)})  # fmt: skip
        offset = {s.id: starts[i] for i, s in enumerate(segs)}
        for c in codings:
            sel = ET.SubElement(src, f"{N}PlainTextSelection", {
                "guid": self.g("sel", c.id), "name": c.quote[:60],
                "startPosition": str(offset[c.segment_id] + c.start),
                "endPosition": str(offset[c.segment_id] + c.end),
                "creatingUser": self.user[c.coder_id], "creationDateTime": _iso(c.created_at)})  # fmt: skip
            self.coding(sel, c, "coding")
        self.rec_values(src, rec)
        self.source_of[rec.key] = tguid

    def audio_source(self, sources: ET.Element, rec: Recording, segs: list[Segment],
                     codings: list[Coding]) -> None:  # fmt: skip
        text, starts = plain_text(segs)
        aguid, trguid = self.g("audio", rec.key), self.g("transcript", rec.key)
        self.texts[trguid] = text
        # the copy without the names, if made (under the key the export shows)
        redacted = redacted_path(self.ws, self.original.get(rec.key, rec.key))
        shown = redacted.with_name(rec.key + redacted.suffix)
        stored = self.ws.study.relative(shown) if redacted.exists() else rec.path
        # never an absolute path: it would tell the receiver how this machine is laid out.
        # Audio kept outside the study goes by its file name (found next to the .qdpx).
        ref = f"relative://{Path(_portable(stored)).as_posix()}"
        audio = ET.SubElement(sources, f"{N}AudioSource", {
            "guid": aguid, "name": rec.key, "path": ref, "creationDateTime": _iso(None)})  # fmt: skip
        tr = ET.SubElement(audio, f"{N}Transcript", {
            "guid": trguid, "name": rec.key, "plainTextPath": f"internal://{trguid}.txt"})  # fmt: skip
        index = {s.id: i for i, s in enumerate(segs)}
        points: dict[int, int] = {}  # position -> ms; a segment's own edges win
        for c in codings:
            seg = segs[index[c.segment_id]]
            for off in (c.start, c.end):
                share = off / max(1, len(seg.text))
                ms = round((seg.start + (seg.end - seg.start) * share) * 1000)
                points.setdefault(starts[index[c.segment_id]] + off, ms)
        for i, seg in enumerate(segs):
            points[starts[i]] = round(seg.start * 1000)
            points[starts[i] + len(seg.text)] = round(seg.end * 1000)
        for pos in sorted(points):
            ET.SubElement(tr, f"{N}SyncPoint", {"guid": self.g("sync", rec.key, pos),
                          "timeStamp": str(points[pos]), "position": str(pos)})  # fmt: skip
        for c in codings:
            at = starts[index[c.segment_id]]
            sel = ET.SubElement(tr, f"{N}TranscriptSelection", {
                "guid": self.g("tsel", c.id), "name": c.quote[:60],
                "fromSyncPoint": self.g("sync", rec.key, at + c.start),
                "toSyncPoint": self.g("sync", rec.key, at + c.end),
                "creatingUser": self.user[c.coder_id], "creationDateTime": _iso(c.created_at)})  # fmt: skip
            self.coding(sel, c, "tcoding")
        self.rec_values(audio, rec)
        self.source_of[rec.key] = aguid


def _portable(stored: str) -> str:
    """A recording's path as the archive may carry it: inside the study as stored (relative),
    outside it by file name only."""
    return Path(stored).name if Path(stored).is_absolute() else stored


def base_path(ws: Workspace) -> str:
    """The study folder's name. REFI-QDA resolves `relative://` paths against `basePath`; an
    absolute path there would reveal the exporting machine's folders (user name included), so
    it names the folder only, to be read relative to wherever the .qdpx lies."""
    return ws.study.root.resolve().name or "."


def _groups(path: Path) -> list[dict[str, object]]:
    """The codebook file's `groups:` (REFI-QDA Sets), if any."""
    if not path.exists():
        return []
    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    groups = doc.get("groups") if isinstance(doc, dict) else None
    return [g for g in groups or [] if isinstance(g, dict) and g.get("name")]


def export_qdpx(
    ws: Workspace, path: Path, *, pseudonymise: bool = True, include_audio: bool | None = None
) -> ExportSummary:
    """Pseudonymised by default (text, quotes, memos, the transcript copies); audio sources are
    left out by default once the study is anonymised (the recordings still carry the voices
    and names): such recordings go out as text sources."""
    db = ws.db
    redactor = Redactor(ws, export_pseudonymiser(ws)) if pseudonymise else None
    if include_audio is None:
        include_audio = not is_anonymised(ws)
    ex = _Exporter(ws)
    cb = load_codebook(db)
    if redactor is not None:  # the codes' names and descriptions as `--apply` leaves them
        cb = redactor.codes(cb)
    ex.summary.codes = len(cb)
    name = ws.study.config.name
    root = ET.Element(f"{N}Project", {"name": (redactor.text(name) or name) if redactor else name,
                                        "origin": f"qualtool {__version__}",
                                        "creationDateTime": _iso(None),
                                        "basePath": base_path(ws)})  # fmt: skip
    if ex.user:
        users = ET.SubElement(root, f"{N}Users")
        for c in list_coders(db):
            ET.SubElement(users, f"{N}User", {"guid": ex.user[c.id], "name": c.name or c.id,
                                              "id": c.id})  # fmt: skip
    code_elements(ET.SubElement(ET.SubElement(root, f"{N}CodeBook"), f"{N}Codes"), cb, PROJECT_NS)
    recordings = rec_store.list_recordings(db)
    if redactor is not None:  # key, media path, interviewer, participants as --apply leaves them
        shown = [redactor.recording(r) for r in recordings]
        ex.original = {new.key: old.key for new, old in zip(shown, recordings, strict=True)}
        recordings = shown
    key_of = {old: new for new, old in ex.original.items()}
    target = redactor.memo_target if redactor is not None else (lambda _kind, t: t)
    persons = {p.pseudonym: p for r in recordings for p in r.participants}
    attrs = sorted({a for p in persons.values() for a in p.attributes})
    variables = ET.SubElement(root, f"{N}Variables")
    for name in (*REC_VARIABLES, *(f"participant_{v}" for v in PERSON_VARIABLES),
                 *(ATTR + a for a in attrs)):  # fmt: skip
        ET.SubElement(variables, f"{N}Variable", {"guid": ex.g("var", name), "name": name,
                                                  "typeOfVariable": "Text"})  # fmt: skip
    sources = ET.Element(f"{N}Sources")
    people: dict[str, list[str]] = {}
    for rec in recordings:
        t = tr_store.get_transcript(db, rec.id or 0)
        if t is None or not t.segments:
            continue
        segs = list(t.segments)
        codings = codings_for_transcript(db, t.id or 0)
        if redactor is not None:
            segs, codings = _redacted(redactor, segs, codings)
        audio = rec.format != "text" and include_audio
        add = ex.audio_source if audio else ex.text_source
        add(sources, rec, segs, codings)
        model = redactor.source(t.model) if redactor is not None else t.model
        settings = redactor.settings(t.settings) if redactor is not None else t.settings
        ex.own[rec.key] = formats.to_json(replace(t, segments=tuple(segs), model=model,
                                                  settings=settings), rec.key,
                                          _portable(rec.path))  # fmt: skip
        ex.summary.sources += 1
        for p in rec.participants:
            people.setdefault(p.pseudonym, []).append(ex.source_of[rec.key])
    if persons:
        cases = ET.SubElement(root, f"{N}Cases")
        for name in sorted(persons):
            p = persons[name]
            case = ET.SubElement(cases, f"{N}Case", {"guid": ex.g("case", name), "name": name})
            for v in PERSON_VARIABLES:
                value = getattr(p, v)
                if value:
                    ex.value(case, f"participant_{v}", str(getattr(value, "value", value)))
            for a, value in sorted(p.attributes.items()):
                ex.value(case, ATTR + a, value)
            for s in people.get(name, []):
                ET.SubElement(case, f"{N}SourceRef", {"targetGUID": s})
    if len(sources):
        root.append(sources)
    notes = ET.Element(f"{N}Notes")
    for m in list_memos(db):
        note = ET.SubElement(notes, f"{N}Note", {
            "guid": ex.g("memo", m.id), "name": f"{m.target_type} {target(m.target_type, m.target_id)}",
            "creationDateTime": _iso(m.created_at),
            **({"creatingUser": ex.user[m.coder_id]} if m.coder_id in ex.user else {})})  # fmt: skip
        ET.SubElement(note, f"{N}PlainTextContent").text = (
            redactor.text(m.text) if redactor else m.text
        )
        ex.summary.notes += 1
    for marker in (KEY_QUOTE_NOTE, *(PROVENANCE_NOTE + p.value for p in Provenance)):
        note = ET.SubElement(notes, f"{N}Note", {"guid": ex.g("note", marker), "name": marker})
        ET.SubElement(note, f"{N}PlainTextContent").text = marker
    root.append(notes)
    groups = _groups(ws.study.codebook_path)
    if groups:
        sets = ET.SubElement(root, f"{N}Sets")
        for grp in groups:
            set_el = ET.SubElement(sets, f"{N}Set", {"guid": ex.g("set", grp["name"]),
                                                     "name": str(grp["name"])})  # fmt: skip
            for code in grp.get("codes") or []:  # type: ignore[attr-defined]
                if code in cb:
                    ET.SubElement(set_el, f"{N}MemberCode", {"targetGUID": code_guid(str(code))})
            for key in grp.get("sources") or []:  # type: ignore[attr-defined]
                key = key_of.get(key, key)
                if key in ex.source_of:
                    ET.SubElement(set_el, f"{N}MemberSource", {"targetGUID": ex.source_of[key]})
    _reorder(root)
    with export_file(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", write_xml(root, PROJECT_NS))
        for g, text in ex.texts.items():
            z.writestr(f"sources/{g}.txt", text.encode("utf-8"))
        if ws.study.codebook_path.exists():  # its examples quote interviews
            book = redactor.codebook(ws.study.codebook_path) if redactor else None
            if book is not None:
                z.writestr("qualtool/codebook.yml", book.encode("utf-8"))
            else:
                z.write(ws.study.codebook_path, "qualtool/codebook.yml")
        for key, doc in ex.own.items():  # words and confidences, which REFI-QDA cannot carry
            z.writestr(f"qualtool/transcripts/{key}.json", doc.encode("utf-8"))
    return ex.summary


def _redacted(r: Redactor, segs: list[Segment], codings: list[Coding]
              ) -> tuple[list[Segment], list[Coding]]:  # fmt: skip
    """The transcript and its codings as an export shows them: names replaced, spans moved
    with the text so each coding stays on its words."""
    out, edits = [], {}
    for seg in segs:
        new, e = r.segment(seg)
        out.append(new)
        edits[seg.id] = (new.text, e)
    return out, [r.coding(c, *edits[c.segment_id]) for c in codings]


_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets"]


def _reorder(root: ET.Element) -> None:
    """The XSD fixes the order of the Project's children."""
    kids = sorted(root, key=lambda e: _ORDER.index(e.tag.rsplit("}", 1)[-1]))
    for k in list(root):
        root.remove(k)
    root.extend(kids)
