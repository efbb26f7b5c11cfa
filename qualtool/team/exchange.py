"""Move one coder's layer between machines: `export-coder` writes it, `import-coder` merges it.

The file names every coding by recording key + checksum, segment index, the segment's text
(so a different transcript version is detected) and the quote. On import a coding lands on the
same words: directly when the text is unchanged, by re-finding the quote (rapidfuzz) in that
segment or its neighbours when the lead's transcript was edited since. Whatever cannot be
placed (unknown recording or code, quote gone) is reported and written to a conflicts file;
nothing is dropped silently. Re-importing the same file adds nothing (codings are unique).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualtool import __version__
from qualtool.domain import Coding, Memo, Provenance
from qualtool.domain.anchoring import find_quote
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.files.writing import export_file
from qualtool.i18n import N_, _
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import resolve_code_id
from qualtool.store.codings import add_coding, add_memo, list_memos
from qualtool.store.vault import study_uuid
from qualtool.workspace.layers import reconcile as reconcile_layers
from qualtool.workspace.study import Workspace

FORMAT = "qualtool-coder-layer"

# A conflict's problem is stored without a language (conflicts/*.json is read on other machines,
# in other interface languages): its English message id and its values, translated when shown
# (`problem_text`), as a suggestion's reason is (`domain.reason`).
UNKNOWN_CODE = N_("unknown code {code} ({label})")
UNKNOWN_RECORDING = N_("unknown recording {recording}")
QUOTE_GONE = N_("the quote is not in this study's transcript (edited or re-transcribed)")
_PROBLEMS = {UNKNOWN_CODE, UNKNOWN_RECORDING, QUOTE_GONE}


def problem_text(conflict: dict[str, Any]) -> str:
    """A conflict's problem in the interface language now in use; one stored as a sentence
    (before this, or by hand) as it is."""
    mid, values = str(conflict.get("problem", "")), conflict.get("problem_values") or {}
    text = _(mid) if mid in _PROBLEMS else mid
    try:
        return text.format(**values) if isinstance(values, dict) else text
    except (KeyError, IndexError, ValueError):
        return text


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def export_coder(
    ws: Workspace,
    coder: str,
    path: Path,
    stamp: bool = True,
    redact: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    redact_memo: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    redact_text: Callable[[str], str] | None = None,
) -> int:
    """`redact` and `redact_memo` pseudonymise each coding item and memo for sharing, and
    `redact_text` the study's name (privacy.redact builds them: a name left there went out
    while the report and the QDPX replaced it); the study's own layer files (save_layers) are
    written exactly."""
    rows = list(ws.db.query(
        'SELECT c.*, s.idx, s.text AS segment_text, r.key, r.checksum, cd.label_ru '
        "FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id "
        "JOIN codes cd ON cd.id = c.code_id WHERE c.coder_id = ? ORDER BY r.key, s.idx, c.start",
        [coder],
    ))  # fmt: skip
    if not rows:
        raise NotFound(_("coder {coder!r} has no codings to export").format(coder=coder))
    doc = {
        "format": FORMAT,
        "version": 1,
        "qualtool": __version__,
        "study": study_uuid(ws.db),
        "study_name": (redact_text or str)(ws.study.config.name),
        "coder": coder,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds") if stamp else None,
        "codings": [(redact or _same)(_item(r)) for r in rows],
        "memos": [
            (redact_memo or _same)(
                {"target_type": m.target_type, "target_id": m.target_id, "text": m.text}
            )
            for m in list_memos(ws.db, coder=coder)
        ],
    }
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if not (path.exists() and path.read_text(encoding="utf-8") == text):
        with export_file(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return len(rows)


def _same(item: dict[str, Any]) -> dict[str, Any]:
    return item


LAYERS_DIR = "codings"


def save_layers(ws: Workspace) -> list[Path]:
    """codings/<coder>.json for every layer that changed here, after re-reading the files that
    changed on disk (see workspace/layers.py)."""
    return ws.save_layers().written


def load_layers(ws: Workspace) -> list[str]:
    """Merge the layer files changed since the last sync; problems are returned, not raised."""
    report = reconcile_layers(ws)
    return report.unplaced + report.conflicts


def _item(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "recording": r["key"], "recording_sha256": r["checksum"], "segment": r["idx"],
        "segment_sha": _sha(r["segment_text"]), "segment_text": r["segment_text"],
        "start": r["start"], "end": r["end"], "quote": r["quote"],
        "code": r["code_id"], "code_label": r["label_ru"], "memo": r["memo"],
        "provenance": r["provenance"], "key_quote": bool(r["key_quote"]),
        "created_at": r["created_at"],
    }  # fmt: skip


@dataclass
class MergeReport:
    coder: str
    added: int = 0
    already: int = 0
    reanchored: int = 0
    memos: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    conflicts_file: Path | None = None


def _segments(ws: Workspace, key: str) -> list[dict[str, Any]]:
    return list(ws.db.query(
        "SELECT s.id, s.idx, s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? ORDER BY s.idx", [key]))  # fmt: skip


def _place(segs: list[dict[str, Any]], item: dict[str, Any]) -> tuple[int, int, int, bool] | None:
    """(segment id, start, end, moved?) for an exported coding in this study's transcript."""
    by_idx = {s["idx"]: s for s in segs}
    seg = by_idx.get(item["segment"])
    if seg and _sha(seg["text"]) == item["segment_sha"]:
        return seg["id"], item["start"], item["end"], False
    if seg and seg["text"][item["start"] : item["end"]] == item["quote"]:
        return seg["id"], item["start"], item["end"], False
    near = sorted(segs, key=lambda s: abs(s["idx"] - item["segment"]))[:5]
    for s in near:
        span = find_quote(item["quote"], s["text"])
        if span:
            return s["id"], span[0], span[1], True
    return None


def _overlapping(ws: Workspace, sid: int, code: str, coder: str, start: int, end: int) -> bool:
    """The coder already has this code on some of these words (the same code twice on
    overlapping words is one coding)."""
    row = ws.db.execute(
        "SELECT 1 FROM codings WHERE segment_id = ? AND code_id = ? AND coder_id = ?"
        " AND start < ? AND end > ?", (sid, code, coder, end, start)
    ).fetchone()  # fmt: skip
    return row is not None


def import_coder(
    ws: Workspace,
    path: Path,
    conflicts_dir: Path | None = None,
    provenance: Provenance | None = Provenance.IMPORTED,
) -> MergeReport:
    """`provenance=None` keeps each coding's own (rebuilding a study from its layer files)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            _("{path}: not a readable coder export ({error})").format(path=path, error=exc)
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(
            _("{path}: not a qualtool coder export (format {format!r})").format(
                path=path, format=doc.get("format")
            )
            if isinstance(doc, dict)
            else _("{path}: not a qualtool coder export").format(path=path)
        )
    report = MergeReport(str(doc["coder"]))
    known = {r.key: r for r in rec_store.list_recordings(ws.db)}
    cache: dict[str, list[dict[str, Any]]] = {}
    for item in doc.get("codings", []):
        problem: tuple[str, dict[str, Any]] | None = None
        try:
            code = resolve_code_id(ws.db, item["code"])
        except NotFound:
            code, problem = "", (UNKNOWN_CODE, {"code": item["code"],
                                               "label": item.get("code_label")})  # fmt: skip
        rec = known.get(item["recording"]) or next(
            (r for r in known.values() if r.checksum == item.get("recording_sha256")), None
        )
        if not problem and rec is None:
            problem = (UNKNOWN_RECORDING, {"recording": item["recording"]})
        placed = None
        if not problem and rec is not None:
            segs = cache.setdefault(rec.key, _segments(ws, rec.key))
            placed = _place(segs, item)
            if placed is None:
                problem = (QUOTE_GONE, {})
        if problem or placed is None:
            mid, values = problem or (QUOTE_GONE, {})
            report.conflicts.append({**item, "problem": mid,
                                     **({"problem_values": values} if values else {})})  # fmt: skip
            continue
        sid, start, end, moved = placed
        if moved and _overlapping(ws, sid, code, report.coder, start, end):
            report.already += 1  # found again by its words (a pseudonymised export): one coding
            continue
        before = ws.db.execute("SELECT count(*) FROM codings").fetchone()[0]
        add_coding(ws.db, Coding(sid, code, report.coder, start, end, "", memo=item.get("memo"),
                                 provenance=provenance or Provenance(item["provenance"]),
                                 key_quote=bool(item.get("key_quote"))))  # fmt: skip
        if ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] > before:
            report.added += 1
            report.reanchored += moved
        else:
            report.already += 1
    for m in doc.get("memos", []):
        add_memo(ws.db, Memo(m["target_type"], m["target_id"], m["text"], report.coder))
        report.memos += 1
    if report.conflicts:
        out_dir = conflicts_dir or ws.study.root / "conflicts"
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        report.conflicts_file = out_dir / f"{report.coder}-{stamp}.json"
        report.conflicts_file.write_text(
            json.dumps({"source": str(path), "conflicts": report.conflicts}, ensure_ascii=False,
                       indent=1), encoding="utf-8")  # fmt: skip
    return report
