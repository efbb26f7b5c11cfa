"""Import a REFI-QDA project (.qdpx) from another tool (or from qualtool itself).

Compatibility rules from the field (see docs in qda-anchors §4): the project file may have any
`.qde` name; `sources/` may be capitalised; namespaces differ (1.0, 0:4), so elements match by
local name; `\r\n` texts with `\n` offsets (ATLAS.ti) are normalised; a selection with a
Description but no Coding (MAXQDA) is an annotation and becomes a memo; categories may be
non-codable. Codes match ours by GUID (qualtool exports), then by the qualtool id in the
description, then by Russian label; the rest are added to the codebook file under IMP.*.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain import Coding, Memo, Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.files import codebook_edit
from qualtool.interop.qdc import ForeignCode, parse_codes, slug_id
from qualtool.interop.qdpx_export import plain_text
from qualtool.interop.refi import child, children, code_guid, local, text_of
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import slug, unique_key
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook, sync_codebook
from qualtool.store.codings import add_coding, add_memo
from qualtool.workspace.study import Workspace

_SPEAKER = re.compile(r"^([^\s:]{1,24}(?: [^\s:]{1,24})?): ")


@dataclass
class ImportReport:
    sources: list[str] = field(default_factory=list)
    codings: int = 0
    already: int = 0
    memos: int = 0
    new_codes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Project:
    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInput(f"{path}: not a QDPX archive ({exc})") from None
        qde = [n for n in self.zip.namelist() if n.lower().endswith(".qde")]
        if not qde:
            raise InvalidInput(f"{path}: no .qde project file inside")
        try:
            self.root = ET.fromstring(self.zip.read(qde[0]).lstrip(b"\xef\xbb\xbf"))
        except ET.ParseError as exc:
            raise InvalidInput(f"{path}: broken project XML ({exc})") from None
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


def _segments(text: str) -> tuple[list[tuple[str | None, str]], list[tuple[int, int]]]:
    """Lines as turns, and where each turn's text lies in the (normalised) source text."""
    turns, spans, pos = [], [], 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        body = line.rstrip()
        if not body.strip():
            continue
        m = _SPEAKER.match(body)
        speaker = m.group(1) if m else None
        offset = m.end() if m else 0
        lead = len(body[offset:]) - len(body[offset:].lstrip())
        turns.append((speaker, body[offset:].strip()))
        spans.append((start + offset + lead, start + len(body)))
    return turns, spans


def import_qdpx(ws: Workspace, path: Path, default_coder: str = "imported") -> ImportReport:
    proj = _Project(path)
    report = ImportReport()
    users = {
        u.get("guid", "").strip("{}").lower(): slug(u.get("id") or u.get("name") or "user")
        for u in _all(proj.root, "User")
    }
    codebook_el = child(proj.root, "CodeBook")
    codes_el = child(codebook_el, "Codes") if codebook_el is not None else None
    code_map = _map_codes(ws, parse_codes(codes_el) if codes_el is not None else [], report)
    sources_el = child(proj.root, "Sources")
    text_names: set[str] = set()
    for src in children(sources_el, "TextSource") if sources_el is not None else ():
        raw = proj.text(src)
        if raw is None:
            report.problems.append(f"{src.get('name')}: no text found; skipped")
            continue
        text = raw.replace("\r\n", "\n")
        name = src.get("name") or "source"
        text_names.add(name)
        segs, spans = _target(ws, name, text, report)
        for sel in children(src, "PlainTextSelection"):
            a, b = int(sel.get("startPosition", 0)), int(sel.get("endPosition", 0))
            _apply(ws, sel, segs, spans, a, b, code_map, users, default_coder, report)
    for kind in ("AudioSource", "VideoSource"):
        for src in children(sources_el, kind) if sources_el is not None else ():
            base = (src.get("name") or "").removesuffix(" (audio)")
            if base in text_names:
                continue  # the same transcript came as a TextSource already
            for tr in children(src, "Transcript"):
                _transcript(ws, proj, base or "audio", tr, code_map, users, default_coder, report)
    notes = child(proj.root, "Notes")
    for note in children(notes, "Note") if notes is not None else ():
        text = proj.text(note)
        if text and text.strip():
            coder = users.get((note.get("creatingUser") or "").strip("{}").lower(), default_coder)
            add_memo(ws.db, Memo("study", note.get("name") or "note", text.strip(), coder))
            report.memos += 1
    ws.save_manifest()
    from qualtool.workspace.transcripts import write_outputs

    for key in report.sources:  # the text is kept as files too, like every transcript
        write_outputs(ws, rec_store.get_recording(ws.db, key))
    return report


def _all(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if local(el.tag) == name]


def _map_codes(ws: Workspace, codes: list[ForeignCode], report: ImportReport) -> dict[str, str]:
    cb = load_codebook(ws.db)
    by_guid = {code_guid(c.id): c.id for c in cb.codes}
    by_label = {c.label_ru.casefold(): c.id for c in cb.codes}
    out: dict[str, str] = {}
    taken = {c.id for c in cb.codes}
    for fc in codes:
        found = by_guid.get(fc.guid) or (fc.qualtool_id if fc.qualtool_id in cb else None)
        found = found or by_label.get(fc.name.casefold())
        if not found:
            found = slug_id(fc.name, taken)
            parent = out.get(fc.parent_guid or "")
            codebook_edit.add_code(ws.study.codebook_path, found, fc.name, parent,
                                   definition=fc.description.strip() or None,
                                   color=fc.color)  # fmt: skip
            report.new_codes.append(found)
        out[fc.guid] = found
    if report.new_codes:
        from qualtool.files.codebook import load_codebook as load_file

        sync_codebook(ws.db, load_file(ws.study.codebook_path), str(ws.study.codebook_path))
    return out


def _target(ws: Workspace, name: str, text: str,
            report: ImportReport) -> tuple[list[int], list[tuple[int, int]]]:  # fmt: skip
    """Segment ids and their spans in `text`: an existing identical transcript, or a new one."""
    key = slug(name)
    for rec in rec_store.list_recordings(ws.db):
        if rec.key != key:
            continue
        t = tr_store.get_transcript(ws.db, rec.id or 0)
        if t and plain_text(list(t.segments))[0] == text:
            _, starts = plain_text(list(t.segments))
            return [s.id or 0 for s in t.segments], [
                (st, st + len(s.text)) for s, st in zip(t.segments, starts, strict=True)
            ]
    turns, spans = _segments(text)
    rec = add_text_recording(ws.db, unique_key(ws.db, key), turns)
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    report.sources.append(rec.key)
    return [s.id or 0 for s in t.segments] if t else [], spans


def _apply(ws: Workspace, sel: ET.Element, segs: list[int], spans: list[tuple[int, int]],
           a: int, b: int, code_map: dict[str, str], users: dict[str, str], default: str,
           report: ImportReport) -> None:  # fmt: skip
    memo = text_of(child(sel, "Description")).strip() or None
    codings = list(children(sel, "Coding"))
    pieces = [(segs[i], max(a, s) - s, min(b, e) - s) for i, (s, e) in enumerate(spans)
              if max(a, s) < min(b, e)]  # fmt: skip
    if not pieces:
        report.problems.append(f"selection {a}-{b} lies outside the text; skipped")
        return
    if not codings:  # an annotation without a code (MAXQDA): keep it as a memo
        if memo:
            add_memo(ws.db, Memo("segment", str(pieces[0][0]), memo, default))
            report.memos += 1
        return
    for coding in codings:
        ref = child(coding, "CodeRef")
        code = (
            code_map.get((ref.get("targetGUID") or "").strip("{}").lower())
            if ref is not None
            else None
        )
        if code is None:
            report.problems.append(f"selection {a}-{b}: unknown code reference; skipped")
            continue
        who = coding.get("creatingUser") or sel.get("creatingUser") or ""
        coder = users.get(who.strip("{}").lower(), default)
        for sid, start, end in pieces:
            before = ws.db.execute("SELECT count(*) FROM codings").fetchone()[0]
            add_coding(ws.db, Coding(sid, code, coder, start, end, "", memo=memo,
                                     provenance=Provenance.IMPORTED))  # fmt: skip
            grew = ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] > before
            report.codings += grew
            report.already += not grew


def _transcript(ws: Workspace, proj: _Project, name: str, tr: ET.Element,
                code_map: dict[str, str], users: dict[str, str], default: str,
                report: ImportReport) -> None:  # fmt: skip
    raw = proj.text(tr)
    if raw is None:
        report.problems.append(f"{name}: transcript without text; skipped")
        return
    text = raw.replace("\r\n", "\n")
    sync = {sp.get("guid", "").strip("{}").lower(): (int(sp.get("position", 0)),
            int(sp.get("timeStamp", 0))) for sp in children(tr, "SyncPoint")}  # fmt: skip
    segs, spans = _target(ws, name, text, report)
    _retime(ws, segs, spans, sorted(sync.values()))
    for sel in children(tr, "TranscriptSelection"):
        a = sync.get((sel.get("fromSyncPoint") or "").strip("{}").lower())
        b = sync.get((sel.get("toSyncPoint") or "").strip("{}").lower())
        if a is None or b is None:
            report.problems.append(f"{name}: selection with unknown sync points; skipped")
            continue
        _apply(ws, sel, segs, spans, a[0], b[0], code_map, users, default, report)


def _retime(ws: Workspace, segs: list[int], spans: list[tuple[int, int]],
            points: list[tuple[int, int]]) -> None:  # fmt: skip
    """Segment times from the sync points nearest their text (ms → s)."""
    if not points:
        return
    for sid, (s, e) in zip(segs, spans, strict=True):
        before = [t for p, t in points if p <= s] or [points[0][1]]
        after = [t for p, t in points if p >= e] or [points[-1][1]]
        start, end = before[-1] / 1000, max(after[0], before[-1]) / 1000
        tr_store.update_segment(ws.db, sid, start=start, end=max(end, start + 0.01))
