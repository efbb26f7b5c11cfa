"""The study's files outside the database that can hold a name (speakers.yml, conflicts/):
`anonymise --apply` cleans them with the same pseudonymiser as the text, so a name gets the same
pseudonym everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from qualtool.files import speaker_map
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace


def clean_speaker_map(ws: Workspace, clean: Callable[[str], str]) -> int:
    """speakers.yml names speaker labels: a label with a name in it is renamed as the
    segments' labels were (the same keyed pseudonym), so the correction still applies."""
    current = speaker_map.load_speaker_map(ws.study.root)
    if not current:
        return 0
    labels = {(s["recording"], s["speaker"]) for s in store.segments(ws.db)}

    def label(key: str, who: str) -> str:  # renamed only where the segments' label was
        new = who if who.startswith("#") else clean(who)
        return new if (key, new) in labels else who

    cleaned = {key: {label(key, who): role for who, role in entries.items()}
               for key, entries in current.items()}  # fmt: skip
    return int(speaker_map.save_speaker_map(ws.study.root, cleaned))


def clean_conflicts(ws: Workspace, clean: Callable[[str], str], dry_run: bool = False) -> int:
    """conflicts/*.json (unplaced codings from import-coder) quote the text: every string in
    them is pseudonymised. Returns how many files change (`dry_run`: without writing)."""
    folder = ws.study.root / "conflicts"
    if not folder.exists():
        return 0

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    n = 0
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        text = json.dumps(walk(doc), ensure_ascii=False, indent=1)
        if text != path.read_text(encoding="utf-8"):
            if dry_run:
                n += 1
                continue
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            n += 1
    return n
