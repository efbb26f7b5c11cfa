"""decisions/<name>.json: a file-backed home for study-wide decisions kept by an opaque id.

For decisions that belong to the study rather than to one coder, e.g. the pseudonym map (an
HMAC of a name → "[Имя 1]", so the numbering survives a rebuilt database while no name is
ever written into the tracked tree). Same layout as the coder layers: valid JSON, one record
per line sorted by id, so git merges line by line; written only when the content changes.

`update` re-reads the file right before writing, so it never writes from a stale copy: a
record somebody else added (a `git pull`) is kept; the same id changed on both sides keeps
what is on disk and is returned as a conflict for the caller to report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qualtool.domain.errors import InvalidInput
from qualtool.domain.names import check_name
from qualtool.files.writing import write_if_changed
from qualtool.i18n import _

FORMAT = "qualtool-records"
FOLDER = "decisions"


def path_for(root: Path, name: str) -> Path:
    return root / FOLDER / f"{check_name(name, 'decisions file')}.json"


def render(name: str, records: dict[str, dict[str, Any]]) -> str:
    lines = ["[" + json.dumps({"format": FORMAT, "name": name}, ensure_ascii=False)]
    for rid in sorted(records):
        lines.append("," + json.dumps({"id": rid, **records[rid]}, ensure_ascii=False,
                                      sort_keys=True))  # fmt: skip
    return "\n".join(lines) + "\n]\n"


def read(root: Path, name: str) -> dict[str, dict[str, Any]]:
    path = path_for(root, name)
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            _("{path}: not readable ({error})").format(path=path, error=exc)
        ) from None
    if not isinstance(doc, list) or not doc or doc[0].get("format") != FORMAT:
        raise InvalidInput(_("{path}: not a qualtool decisions file").format(path=path))
    out: dict[str, dict[str, Any]] = {}
    for item in doc[1:]:
        rid = str(item.pop("id"))
        out.setdefault(rid, item)  # a union merge's duplicate: the first line wins
    return out


def update(root: Path, name: str, changes: dict[str, dict[str, Any] | None],
           base: dict[str, dict[str, Any]] | None = None) -> list[str]:  # fmt: skip
    """Apply `changes` (None deletes) on top of the file as it is now; returns conflicting
    ids (changed on disk since `base`, when given, and here differently: disk kept)."""
    current = read(root, name)
    conflicts = []
    for rid, value in changes.items():
        on_disk = current.get(rid)
        if base is not None and on_disk != base.get(rid) and on_disk != value:
            conflicts.append(rid)
            continue
        if value is None:
            current.pop(rid, None)
        else:
            current[rid] = value
    write_if_changed(path_for(root, name), render(name, current))
    return conflicts
