"""Where each source of a project lands in the study: an identical transcript already there
(re-import adds nothing), or a new recording with the source's text as segments, its timings
from the SyncPoints, its metadata from its Variables, and its audio when the file is found
next to the project (basePath or the archive's folder)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualtool.domain import Language, Method, Recording, Segment, TranscriptStatus
from qualtool.domain.errors import QualtoolError
from qualtool.files import media
from qualtool.files import transcript_formats as formats
from qualtool.interop.offsets import ModelChoice, PositionMap
from qualtool.interop.qdpx_read import Project, Source
from qualtool.recordings.importing import slug
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace

if TYPE_CHECKING:
    from qualtool.interop.qdpx_import import ImportReport

_SPEAKER = re.compile(r"^([^\s:]{1,24}(?: [^\s:]{1,24})?): ")
FALLBACK_SECONDS = 6.0  # a turn's length when the source carries no timing at all


@dataclass
class SourcePlan:
    source: Source
    key: str
    existing: Recording | None
    media_path: Path | None = None
    own: tuple[list[Segment], dict[str, Any]] | None = None  # qualtool's transcript JSON

    def realise(self, ws: Workspace, choice: ModelChoice,
                report: ImportReport) -> list[tuple[int, int, int]]:  # fmt: skip
        """(segment id, start, end) of every turn, in the normalised text."""
        raw = self.source.text or ""
        if self.existing is not None:  # the same turns: codings go onto its segments
            t = tr_store.get_transcript(ws.db, self.existing.id or 0)
            _, spans = segments_of(normalise(raw)[0])
            ids = [s.id or 0 for s in t.segments] if t else []
            return [(sid, a, b) for sid, (a, b) in zip(ids, spans, strict=True)]
        norm, index = normalise(raw)
        turns, spans = segments_of(norm)
        times = _times(self.source, raw, index, spans, choice)
        fields = recording_fields(self.source.values)
        if self.source.description:  # another tool's document memo: keep it with the recording
            fields["notes"] = "\n".join(filter(None, [self.source.description,
                                                      str(fields.get("notes") or "")]))  # fmt: skip
        rec = _insert(ws, self, fields, times[-1][1] if times else 0.0)
        language = rec.language.value if rec.language != Language.AUTO else None
        meta: dict[str, Any] = {"model": "imported", "settings": {"source": "REFI-QDA"},
                                "language": language, "duration": rec.duration}  # fmt: skip
        segs = [Segment(i, t0, t1, text, speaker)
                for i, ((speaker, text), (t0, t1)) in enumerate(zip(turns, times, strict=True))]  # fmt: skip
        if self.own and [(x.speaker, x.text) for x in self.own[0]] == turns:
            # our own export: the same turns, so words, confidences and flags come back too
            segs = self.own[0]
            meta.update({k: v for k, v in self.own[1].items() if k in meta and v is not None})
        tr = tr_store.start_transcript(ws.db, rec.id or 0, language=meta["language"],
                                       model=meta["model"], settings=meta["settings"],
                                       duration=meta["duration"])  # fmt: skip
        stored = tr_store.insert_segments(ws.db, tr.id or 0, segs)
        out = [(x.id or 0, a, b) for x, (a, b) in zip(stored, spans, strict=True)]
        tr_store.set_status(ws.db, tr.id or 0, TranscriptStatus.DONE, progress=1.0)
        report.sources.append(rec.key)
        return out


def _insert(ws: Workspace, plan: SourcePlan, fields: dict[str, object],
            duration: float) -> Recording:  # fmt: skip
    if plan.media_path is not None:
        try:
            info = media.probe(plan.media_path)
            digest = media.checksum(plan.media_path)
            if rec_store.by_checksum(ws.db, digest) is None:
                return rec_store.insert_recording(ws.db, Recording(
                    key=plan.key, path=ws.study.relative(plan.media_path), checksum=digest,
                    duration=round(info.duration, 3), format=info.format, **fields))  # type: ignore[arg-type]  # fmt: skip
        except QualtoolError:
            pass  # not playable here: the transcript still comes in, as text
    return rec_store.insert_recording(ws.db, Recording(
        key=plan.key, path=f"text:{plan.key}", format="text", duration=duration,
        checksum=hashlib.sha256(f"text:{plan.key}".encode()).hexdigest(),
        **{"language": Language.RU, **fields}))  # type: ignore[arg-type]  # fmt: skip


def _times(src: Source, raw: str, index: Callable[[int], int], spans: list[tuple[int, int]],
           choice: ModelChoice) -> list[tuple[float, float]]:  # fmt: skip
    """Each turn's (start, end) in seconds: the SyncPoints at its edges (or the nearest ones
    around it); turns of an untimed source follow each other FALLBACK_SECONDS apart."""
    pm = PositionMap.build(raw, choice.model)
    points = []
    for pos, ms in src.sync.values():
        i = pm.index(pos)
        if i is not None and ms >= 0:
            points.append((index(i), ms / 1000))
    points.sort()
    if not points:
        return [(i * FALLBACK_SECONDS, (i + 1) * FALLBACK_SECONDS) for i in range(len(spans))]
    at = dict(points)
    out = []
    for a, b in spans:
        start = at.get(a)
        if start is None:
            before = [t for p, t in points if p <= a]
            start = before[-1] if before else points[0][1]
        end = at.get(b)
        if end is None:
            after = [t for p, t in points if p >= b]
            end = after[0] if after else points[-1][1]
        out.append((start, max(end, start)))
    return out


def _media(proj: Project, src: Source, archive: Path) -> Path | None:
    ref = src.path or ""
    if ref.startswith("relative://"):
        rel = ref[len("relative://") :].lstrip("/")
        base = Path(proj.base_path.removeprefix("file://")) if proj.base_path else None
        # an absolute basePath (most tools), a relative one (qualtool: the study folder's
        # name, next to the .qdpx), then the archive's own folder
        tries = [base if base.is_absolute() else archive.parent / base] if base else []
        for folder in [*tries, archive.parent]:
            p = folder / rel
            if p.is_file():
                return p
    elif ref.startswith("absolute://"):
        p = Path(ref[len("absolute://") :])
        return p if p.is_file() else None
    return None


def place_source(ws: Workspace, proj: Project, src: Source, taken: set[str],
                 archive: Path) -> SourcePlan:  # fmt: skip
    """The recording key a source will have; an identical transcript is reused."""
    base = src.name if proj.producer == "qualtool" else slug(src.name)
    base = slug(base) if not base or " " in base else base
    norm, _ = normalise(src.text or "")
    known = {r.key: r for r in rec_store.list_recordings(ws.db)}
    rec = known.get(base)
    if rec is not None and base not in taken:
        t = tr_store.get_transcript(ws.db, rec.id or 0)
        if t and same_text(list(t.segments), norm):
            return SourcePlan(src, base, rec)
    key, n = base, 2
    while key in known or key in taken:
        key, n = f"{base}-{n}", n + 1
    return SourcePlan(src, key, None, _media(proj, src, archive), _own_json(proj, src, archive))


def _own_json(proj: Project, src: Source,
              archive: Path) -> tuple[list[Segment], dict[str, Any]] | None:  # fmt: skip
    """qualtool/transcripts/<key>.json from one of our own exports, when it is there."""
    if proj.producer != "qualtool":
        return None
    with zipfile.ZipFile(archive) as z:
        name = f"qualtool/transcripts/{src.name}.json"
        if name not in z.namelist():
            return None
        try:
            return formats.parse(z.read(name).decode("utf-8"), "json")
        except QualtoolError:
            return None


def segments_of(text: str) -> tuple[list[tuple[str | None, str]], list[tuple[int, int]]]:
    """Lines as turns, and where each turn's own text lies in the (normalised) text."""
    turns, spans, pos = [], [], 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        body = line.rstrip()
        if not body.strip():
            continue
        m = _SPEAKER.match(body)
        offset = m.end() if m else 0
        lead = len(body[offset:]) - len(body[offset:].lstrip())
        turns.append((m.group(1) if m else None, body[offset:].strip()))
        spans.append((start + offset + lead, start + len(body)))
    return turns, spans


def normalise(raw: str) -> tuple[str, Callable[[int], int]]:
    """`\r\n` and lone `\r` as `\n`; and the map from a raw index to the normalised one."""
    removed = [m.start() for m in re.finditer("\r\n", raw)]
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text, lambda i: i - bisect_left(removed, i)


def recording_fields(values: dict[str, str]) -> dict[str, object]:
    """A source's Variables as Recording fields (qualtool's own names; others go to notes)."""
    out: dict[str, object] = {}
    extra = []
    for name, value in values.items():
        if not value:
            continue
        try:
            if name == "method":
                out["method"] = Method.parse(value)
            elif name == "language":
                out["language"] = Language(value)
            elif name == "date":
                out["date"] = date.fromisoformat(value)
            elif name == "consent":
                out["consent"] = value.strip().lower() in ("true", "1", "yes", "да")
            elif name in ("service", "region", "interviewer", "notes"):
                out[name] = value
            else:
                extra.append(f"{name}: {value}")
        except ValueError:
            extra.append(f"{name}: {value}")
    if extra:
        out["notes"] = "\n".join(filter(None, [str(out.get("notes") or ""), *extra]))
    return out


def same_text(segments: list[Segment], text: str) -> bool:
    """The stored transcript has exactly the turns this text would make."""
    return [(s.speaker, s.text) for s in segments] == segments_of(text)[0]
