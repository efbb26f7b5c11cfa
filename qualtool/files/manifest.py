"""audio/recordings.yml: the recordings' metadata as a readable, diffable file.

The database is the working store; this file is rewritten after every metadata change so the
study's metadata is versioned with git, and it lets a fresh clone (or a lost database) be
rebuilt with `qualtool sync`.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from ruamel.yaml import YAML

from qualtool.domain import Language, Method, Participant, Recording, Role
from qualtool.domain.errors import InvalidInput
from qualtool.domain.recording import EDITABLE_FIELDS, plain_fields
from qualtool.files.study import Study
from qualtool.i18n import _

HEADER = (
    "# Recordings of this study and their metadata. Written by qualtool after every change;\n"
    "# edit with `qualtool edit` (or here, then run `qualtool sync`).\n"
)


def _yaml() -> YAML:
    y = YAML()
    y.allow_unicode = True
    y.default_flow_style = False
    y.width = 120
    return y


def _entry(rec: Recording) -> dict[str, Any]:
    fields = plain_fields(rec)
    entry: dict[str, Any] = {
        "key": rec.key,
        "file": rec.path,
        "sha256": rec.checksum,
        **{name: fields[name] for name in EDITABLE_FIELDS},
    }
    if rec.participants:
        entry["participants"] = [
            {
                k: v
                for k, v in {
                    "pseudonym": p.pseudonym,
                    "role": p.role.value,
                    "gender": p.gender,
                    "age_band": p.age_band,
                    "region": p.region,
                    "attributes": dict(p.attributes) or None,
                }.items()
                if v is not None
            }
            for p in rec.participants
        ]
    return {k: v for k, v in entry.items() if v is not None}


def render_manifest(recordings: list[Recording]) -> str:
    """Sorted by key, no timestamps: the same recordings always give the same bytes."""
    recs = [_entry(r) for r in sorted(recordings, key=lambda r: r.key)]
    buf = io.StringIO()
    _yaml().dump({"recordings": recs}, buf)
    return HEADER + buf.getvalue()


def read_manifest(study: Study) -> list[dict[str, Any]]:
    path = study.manifest_path
    if not path.exists():
        return []
    try:
        doc = _yaml().load(path.read_text(encoding="utf-8")) or {}
    except Exception as exc:
        raise InvalidInput(
            _("{path}: cannot parse ({error})").format(path=path, error=exc)
        ) from exc
    if isinstance(doc, list):  # a bare list of recordings, written by hand: unambiguous
        entries: Any = doc
    elif isinstance(doc, dict):
        entries = doc.get("recordings") or []
    else:
        raise InvalidInput(
            _("{path}: expected `recordings:` followed by a list of recordings").format(path=path)
        )
    if not isinstance(entries, list):
        raise InvalidInput(
            _("{path}:{line}: `recordings:` must be a list").format(
                path=path, line=_line(doc, "recordings")
            )
        )
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InvalidInput(
                _("{path}:{line}: each recording must be a mapping (`key: …`, `file: …`)").format(
                    path=path, line=_line(entries, i)
                )
            )
    return list(entries)


def _line(node: Any, index: Any) -> int:
    """The 1-based line of `node[index]` as ruamel read it (1 when it does not know)."""
    try:
        return int(node.lc.item(index)[0]) + 1 if hasattr(node, "lc") else 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return 1


def entry_metadata(entry: dict[str, Any]) -> dict[str, Any]:
    """Manifest entry → keyword arguments for a Recording (without file facts)."""
    people = tuple(
        Participant(
            pseudonym=str(p["pseudonym"]),
            role=Role(p.get("role", "recipient")),
            gender=p.get("gender"),
            age_band=p.get("age_band"),
            region=p.get("region"),
            attributes={str(k): str(v) for k, v in (p.get("attributes") or {}).items()},
        )
        for p in entry.get("participants") or []
    )
    raw_date = entry.get("date")
    return {
        "method": Method.parse(str(entry.get("method", "interview"))),
        "service": entry.get("service"),
        "region": entry.get("region"),
        "language": Language(str(entry.get("language", "auto"))),
        "date": date.fromisoformat(str(raw_date)) if raw_date else None,
        "interviewer": entry.get("interviewer"),
        "consent": bool(entry.get("consent", False)),
        "notes": entry.get("notes"),
        "participants": people,
    }
