"""Read a REFI-QDA project (.qdpx) into plain data, before anything touches the study.

Compatibility rules from the field: the project file may have any `.qde` name (ATLAS.ti names it
after the project); `sources/` may be capitalised; namespaces differ (1.0, 0:4, none), so
elements match by local name; GUIDs come with or without braces, in either case. Texts are kept
exactly as stored (BOM removed): positions are mapped onto them as the producer counted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.interop.offsets import Producer, producer
from qualtool.interop.qdc import ForeignCode, parse_codes
from qualtool.interop.refi import child, children, local, text_of

MARKER = "qualtool: "  # marker Notes qualtool writes: key quote, provenance <value>
KEY_QUOTE_NOTE = "qualtool: key quote"
PROVENANCE_NOTE = "qualtool: provenance "


def gid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


@dataclass(frozen=True, slots=True)
class Tagging:
    code: str  # code GUID
    user: str  # user GUID ("" when not given)
    key_quote: bool = False
    provenance: str | None = None  # qualtool's own, when it wrote the project


@dataclass(frozen=True, slots=True)
class Selection:
    guid: str
    start: int
    end: int
    codings: tuple[Tagging, ...]
    memo: str | None
    user: str


@dataclass
class Source:
    guid: str
    name: str
    text: str | None
    kind: str  # "text" | "audio" | "video"
    selections: list[Selection] = field(default_factory=list)
    sync: dict[str, tuple[int, int]] = field(default_factory=dict)  # guid -> (position, ms)
    values: dict[str, str] = field(default_factory=dict)  # variable name -> value
    path: str | None = None  # media path as written (relative://…, absolute://…, file)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    guid: str
    name: str
    values: dict[str, str]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    codes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Note:
    guid: str
    name: str
    text: str
    user: str


@dataclass
class Project:
    name: str
    origin: str
    producer: Producer
    base_path: str
    users: dict[str, str]  # guid -> login-like name
    codes: list[ForeignCode]
    sources: list[Source]
    cases: list[Case]
    groups: list[Group]
    notes: list[Note]
    skipped: list[str] = field(default_factory=list)  # what qualtool has no place for


class _Archive:
    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInput(_("{path}: not a QDPX archive ({exc})").format(path=path, exc=exc)
                               ) from None  # fmt: skip
        qde = [n for n in self.zip.namelist() if n.lower().endswith(".qde")]
        if not qde:
            raise InvalidInput(_("{path}: no .qde project file inside").format(path=path))
        try:
            self.root = ET.fromstring(self.zip.read(qde[0]).lstrip(b"\xef\xbb\xbf"))
        except ET.ParseError as exc:
            raise InvalidInput(_("{path}: broken project XML ({exc})").format(path=path, exc=exc)
                               ) from None  # fmt: skip
        self.files = {n.lower(): n for n in self.zip.namelist()}

    def text(self, el: ET.Element) -> str | None:
        content = child(el, "PlainTextContent")
        if content is not None:
            return text_of(content)
        ref = el.get("plainTextPath", "")
        if ref.startswith("internal://"):
            name = self.files.get("sources/" + ref[len("internal://") :].lower())
            if name:
                return self.zip.read(name).decode("utf-8-sig")
        return None


def _values(el: ET.Element, variables: dict[str, str]) -> dict[str, str]:
    out = {}
    for vv in children(el, "VariableValue"):
        ref = child(vv, "VariableRef")
        name = variables.get(gid(ref.get("targetGUID")) if ref is not None else "")
        value = next((text_of(c) for c in vv if local(c.tag).endswith("Value")
                      and local(c.tag) != "VariableValue"), "")  # fmt: skip
        if name:
            out[name] = value
    return out


def _selection(el: ET.Element, start: int, end: int, markers: dict[str, str]) -> Selection:
    taggings = []
    for coding in children(el, "Coding"):
        ref = child(coding, "CodeRef")
        if ref is None:
            continue
        marks = [markers.get(gid(n.get("targetGUID")), "") for n in children(coding, "NoteRef")]
        prov = next((m[len(PROVENANCE_NOTE) :] for m in marks if m.startswith(PROVENANCE_NOTE)),
                    None)  # fmt: skip
        taggings.append(Tagging(gid(ref.get("targetGUID")),
                                gid(coding.get("creatingUser") or el.get("creatingUser")),
                                KEY_QUOTE_NOTE in marks, prov))  # fmt: skip
    memo = text_of(child(el, "Description")).strip() or None
    return Selection(gid(el.get("guid")), start, end, tuple(taggings), memo,
                     gid(el.get("creatingUser")))  # fmt: skip


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


def read_qdpx(path: Path) -> Project:
    arc = _Archive(path)
    root = arc.root
    users = {
        gid(u.get("guid")): (u.get("id") or u.get("name") or "user")
        for u in root.iter()
        if local(u.tag) == "User"
    }
    codebook = child(root, "CodeBook")
    codes_el = child(codebook, "Codes") if codebook is not None else None
    variables = {gid(v.get("guid")): v.get("name") or "?" for v in root.iter()
                 if local(v.tag) == "Variable"}  # fmt: skip
    notes_el = child(root, "Notes")
    notes = [
        Note(gid(n.get("guid")), n.get("name") or "", arc.text(n) or "", gid(n.get("creatingUser")))
        for n in (children(notes_el, "Note") if notes_el is not None else ())
    ]
    key_notes = {n.guid: n.name for n in notes if n.name.startswith(MARKER)}
    sources = []
    skipped: list[str] = []
    sources_el = child(root, "Sources")
    for el in list(sources_el) if sources_el is not None else []:
        kind = local(el.tag)
        timed = [local(c.tag) for c in el if local(c.tag) in ("AudioSelection", "VideoSelection")]
        if timed:
            skipped.append(_("{name}: {n} time-only selection(s) without transcript text; not "
                             "imported").format(name=el.get("name"), n=len(timed)))  # fmt: skip
        if kind == "TextSource":
            src = Source(gid(el.get("guid")), el.get("name") or "source", arc.text(el), "text")
            for sel in children(el, "PlainTextSelection"):
                a, b = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
                src.selections.append(_selection(sel, a, b, key_notes))
        elif kind in ("AudioSource", "VideoSource"):
            tr = child(el, "Transcript")
            src = Source(gid(el.get("guid")), el.get("name") or "audio",
                         arc.text(tr) if tr is not None else None,
                         "audio" if kind == "AudioSource" else "video",
                         path=el.get("path") or el.get("currentPath"))  # fmt: skip
            if tr is not None:
                src.sync = {gid(sp.get("guid")): (_int(sp.get("position")),
                            _int(sp.get("timeStamp"))) for sp in children(tr, "SyncPoint")}  # fmt: skip
                for sel in children(tr, "TranscriptSelection"):
                    a = src.sync.get(gid(sel.get("fromSyncPoint")), (-1, 0))[0]
                    b = src.sync.get(gid(sel.get("toSyncPoint")), (-1, 0))[0]
                    src.selections.append(_selection(sel, a, b, key_notes))
        else:
            skipped.append(_("{name}: a {kind} (qualtool keeps text); not imported").format(
                name=el.get("name"), kind=kind))  # fmt: skip
            continue
        src.values = _values(el, variables)
        src.description = text_of(child(el, "Description")).strip()
        sources.append(src)
    cases_el = child(root, "Cases")
    cases = [
        Case(gid(c.get("guid")), c.get("name") or "case", _values(c, variables),
             tuple(gid(r.get("targetGUID")) for r in children(c, "SourceRef")))
        for c in (children(cases_el, "Case") if cases_el is not None else ())
    ]  # fmt: skip
    sets_el = child(root, "Sets")
    groups = [
        Group(s.get("name") or "set",
              tuple(gid(m.get("targetGUID")) for m in children(s, "MemberCode")),
              tuple(gid(m.get("targetGUID")) for m in children(s, "MemberSource")))
        for s in (children(sets_el, "Set") if sets_el is not None else ())
    ]  # fmt: skip
    origin = root.get("origin") or ""
    return Project(
        name=root.get("name") or path.stem,
        origin=origin,
        producer=producer(origin),
        base_path=root.get("basePath") or "",
        users=users,
        codes=parse_codes(codes_el) if codes_el is not None else [],
        sources=sources,
        cases=cases,
        groups=groups,
        notes=[n for n in notes if not n.name.startswith(MARKER)],
        skipped=skipped,
    )
