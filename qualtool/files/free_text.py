"""The free text of study files that are neither transcripts nor codebooks, passed through a
function (anonymisation) with everything else kept: codebooks/recommendations.yml (by round
trip, so comments and layout stay), the study's name in study.toml, and the records of a coder
layer file (codings/<coder>.json) that no recording of the study holds; study.toml's glossary,
and a transcript's settings it was copied into.

Here, below the features, so `privacy/outside.py` plans their new texts without knowing each
file's layout; nothing is written (the apply's step 4 writes what it planned)."""

from __future__ import annotations

import io
import json
import re
import tomllib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qualtool.files import layer_format

RECOMMENDATIONS = "recommendations.yml"
# a recommendation's words; its id, codes and status are the team's, never a name
_RECOMMENDATION_TEXT = ("text", "addressee", "source")
# a coder layer record's words (a quote of the transcript, a memo, a ruling's note)
_RECORD_TEXT = ("quote", "text", "memo", "note")
_NAME_LINE = re.compile(r"^(?P<lead>\s*name\s*=\s*).*$", re.MULTILINE)
_GLOSSARY_LINE = re.compile(r"^(?P<lead>\s*glossary\s*=\s*)\[", re.MULTILINE)


def recommendations(path: Path, fn: Callable[[str], str]) -> str | None:
    """recommendations.yml with each recommendation's words through `fn`; None when nothing
    changes (or the file is no list of recommendations: `report` says why)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    doc = yaml.load(path.read_text(encoding="utf-8"))
    items = doc.get("recommendations") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return None
    changed = False
    for item in items:
        for key in _RECOMMENDATION_TEXT:
            if isinstance(item, dict) and isinstance(item.get(key), str):
                new = fn(item[key])
                if new != item[key]:
                    item[key], changed = new, True
    if not changed:
        return None
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


def study_name(text: str, fn: Callable[[str], str], study_id: str) -> str | None:
    """study.toml's text with the study's `name` through `fn`; None when it stays. A study made
    before study.toml had an `id` is known by one derived from its name (`Study.id`): that id
    is written beside the new name, so the study stays the same study (its vault, its
    layers)."""
    section = tomllib.loads(text).get("study")
    if not isinstance(section, dict):
        return None
    name = section.get("name")
    if not isinstance(name, str) or (new := fn(name)) == name:
        return None
    head = re.search(r"^\[study\]\s*$", text, re.MULTILINE)
    m = _NAME_LINE.search(text, head.end() if head else 0)
    if m is None:
        return None
    line = m.group("lead") + json.dumps(new, ensure_ascii=False)
    if not section.get("id"):
        line = f"id = {json.dumps(study_id)}\n{line}"
    return text[: m.start()] + line + text[m.end() :]


def study_glossary(text: str, fn: Callable[[str], str]) -> str | None:
    """study.toml's text with each term of `[transcription]`'s `glossary` through `fn` (a
    user adds names there so Whisper spells them, and `transcribe` copies them into every
    transcript's settings); None when it stays. The list is written again on one line."""
    section = tomllib.loads(text).get("transcription")
    terms = section.get("glossary") if isinstance(section, dict) else None
    if not isinstance(terms, list):
        return None
    new = [fn(t) if isinstance(t, str) else t for t in terms]
    if new == terms:
        return None
    head = re.search(r"^\[transcription\]\s*$", text, re.MULTILINE)
    m = _GLOSSARY_LINE.search(text, head.end() if head else 0)
    end = _array_end(text, m.end()) if m else None
    if m is None or end is None:
        return None
    return text[: m.start()] + m.group("lead") + json.dumps(new, ensure_ascii=False) + text[end:]


def _array_end(text: str, start: int) -> int | None:
    """Where the TOML array opened just before `start` ends (after its `]`): brackets inside
    its strings and comments skipped."""
    depth, i, quote = 1, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def json_strings(raw: str | None, fn: Callable[[str], str]) -> str | None:
    """A JSON text (a transcript's `settings` column) with every string through `fn`, its
    keys and numbers kept; None when nothing changes or it is no JSON."""
    try:
        doc = json.loads(raw or "")
    except ValueError:
        return None
    after = _walk(doc, fn)
    return json.dumps(after, ensure_ascii=False) if after != doc else None


def _walk(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    return value


# the formats qualtool writes a transcript in (transcripts/<key>.<suffix>)
TRANSCRIPT_SUFFIXES = (".json", ".md", ".srt", ".vtt", ".txt")


def orphan_transcripts(folder: Path, keys: Collection[str]) -> list[Path]:
    """The transcript files of recordings the study no longer has (`qualtool rm`, or removed
    on a colleague's laptop): nothing writes them again, so the apply cleans them."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix in TRANSCRIPT_SUFFIXES and p.stem not in keys)  # fmt: skip


def transcript_text(path: Path, fn: Callable[[str], str]) -> str | None:
    """A transcript file's text with its words through `fn`: every string of a JSON one (its
    keys and numbers kept), every line of the others; None when nothing changes."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        doc = json.loads(text)
        after = _walk(doc, fn)
        return json.dumps(after, ensure_ascii=False, indent=1) + "\n" if after != doc else None
    new = "\n".join(fn(line) if line.strip() else line for line in text.split("\n"))
    return new if new != text else None


def stray_records(text: str, source: str, keys: Collection[str],
                  fn: Callable[[str], str]) -> str | None:  # fmt: skip
    """A coder layer file with the words of its records for a recording not among `keys`
    through `fn` (those records are kept in the file only: the database has nowhere to place
    them, so the apply's rows never reach them); None when nothing changes. The others are
    the database's, written from it after the apply."""
    parsed = layer_format.parse(text, source)
    changed = False
    out: dict[layer_format.Key, dict[str, Any]] = {}
    for key, rec in parsed.records.items():
        if "recording" in rec and rec["recording"] not in keys:
            new = {k: fn(v) if k in _RECORD_TEXT and isinstance(v, str) else v
                   for k, v in rec.items()}  # fmt: skip
            changed = changed or new != rec
            rec = new
        out[key] = rec
    return layer_format.render(parsed.coder, out) if changed else None
