"""The study's files outside the database that can hold a name (speakers.yml, conflicts/,
the codebooks' examples, the reference transcripts):
`anonymise --apply` cleans them with the same pseudonymiser as the text, so a name gets the same
pseudonym everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from qualtool.domain.errors import QualtoolError
from qualtool.files import codebook_edit, speaker_map
from qualtool.files.codebook import load_codebook
from qualtool.store import privacy as store
from qualtool.store.codebook import sync_codebook
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


def codebook_files(ws: Workspace) -> list[Path]:
    folder = ws.study.codebooks_dir
    return sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.exists() else []


def clean_codebooks(ws: Workspace, clean: Callable[[str], str], dry_run: bool = False) -> int:
    """codebooks/*.yml: a code's examples are quotes from the interviews (and a definition may
    quote one), so they are pseudonymised like the text; comments and layout kept, a file
    written only when it changes, the database's codes read again from it. A file that does
    not parse is left to `codebook check` (it is not read into the database either)."""
    n = 0
    for path in codebook_files(ws):
        try:
            changed = codebook_edit.map_texts(path, clean, dry_run)
        except (QualtoolError, YAMLError, OSError, ValueError):
            continue
        n += changed
        if changed and not dry_run and path == ws.study.codebook_path:
            sync_codebook(ws.db, load_codebook(path), str(path))
    return n


def reference_files(ws: Workspace) -> list[Path]:
    folder = ws.study.root / "audio" / "reference"
    return sorted(folder.glob("*.txt")) if folder.exists() else []


def clean_references(ws: Workspace, clean: Callable[[str], str], dry_run: bool = False) -> int:
    """audio/reference/<key>.txt, the reference transcripts WER is measured against: the
    interview's words, names included, so pseudonymised like the segments."""
    n = 0
    for path in reference_files(ws):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        new = "\n".join(clean(line) if line.strip() else line for line in text.split("\n"))
        if new != text:
            n += 1
            if not dry_run:
                tmp = path.with_name(f".{path.name}.tmp")
                tmp.write_text(new, encoding="utf-8")
                tmp.replace(path)
    return n
