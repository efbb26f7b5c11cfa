"""Where each coder stopped in a study — the recording last open and the turn the cursor was on in
each — so the next day starts there: the dashboard's cursor on that recording, its transcript open
at that turn. A coder living in the TUI for days used to scroll back to where they were.

Kept on this machine, outside the study, like `first_steps` (a colleague's place is not yours,
and git should not see cursor moves; QUALTOOL_STATE_DIR moves it). A recording's key can be made
from a name, and `anonymise --apply` renames it: the record holds a hash of the key keyed by the
study's id, never the key, so no name is left outside the study."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import platformdirs

from qualtool.files.study import Study

FILE = "places.json"


def _record() -> Path:
    base = os.environ.get("QUALTOOL_STATE_DIR") or platformdirs.user_state_dir("qualtool")
    return Path(base) / FILE


def _hash(study: Study, key: str) -> str:
    return hashlib.sha256(f"{study.id}\0{key}".encode()).hexdigest()[:16]


def _read() -> dict[str, Any]:
    try:
        doc = json.loads(_record().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _mine(doc: dict[str, Any], study: Study, coder: str) -> dict[str, Any]:
    entry = doc.get(str(study.root.resolve()), {}).get(coder, {})
    return entry if isinstance(entry, dict) else {}


def remember(study: Study, coder: str, key: str, turn: int) -> None:
    """`coder` was last at turn `turn` (a segment's index) of recording `key`."""
    doc = _read()
    entry = doc.setdefault(str(study.root.resolve()), {}).setdefault(coder, {})
    at = entry.setdefault("at", {})
    if entry.get("last") == _hash(study, key) and at.get(_hash(study, key)) == turn:
        return
    entry["last"] = _hash(study, key)
    at[_hash(study, key)] = turn
    path = _record()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: the transcript simply opens at its start


def turn(study: Study, coder: str, key: str) -> int | None:
    """The turn `coder` was last at in recording `key`, if known."""
    found = _mine(_read(), study, coder).get("at", {}).get(_hash(study, key))
    return found if isinstance(found, int) else None


def last(study: Study, coder: str, keys: Iterable[str]) -> str | None:
    """Which of the recordings `keys` `coder` had open last, if any."""
    wanted = _mine(_read(), study, coder).get("last")
    return next((k for k in keys if _hash(study, k) == wanted), None)
