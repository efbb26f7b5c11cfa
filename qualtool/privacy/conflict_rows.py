"""The conflicts a team sync lists (`qualtool conflicts`, the sync_conflicts rows) name what to
check by a recording's key and a speaker by its label: «codings/anna.json: coding X on
интервью-гульнара#1 … has two versions», «speakers.yml: Гульнара in интервью-гульнара was
corrected both …». A key made from a name, a label that is one: `--apply` left them as they
were, and `conflicts` printed the originals from a database that held them. The plan rewrites
each row as the apply leaves the study — the renamed keys, the labels speakers.yml is rewritten
with, every other name pseudonymised — so the listing still says which record to check."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from qualtool.files import speaker_map
from qualtool.privacy.metadata import Rename
from qualtool.store import file_state
from qualtool.store.db import Database


def keyed(renames: Iterable[Rename]) -> Callable[[str], str]:
    """A text with every renamed key (a whole word: «интервью-гульнара#1», never inside a
    longer key) its new one."""
    new = {r.old: r.new for r in renames if r.old != r.new}
    if not new:
        return lambda text: text
    olds = sorted(new, key=len, reverse=True)
    found = re.compile("|".join(rf"(?<![\w-]){re.escape(o)}(?![\w-])" for o in olds))
    return lambda text: found.sub(lambda m: new[m.group()], text)


def _pair(ref: str | None) -> tuple[str, str] | None:
    """A speakers.yml conflict's ref: [recording, label]."""
    try:
        found = json.loads(ref or "")
    except ValueError:
        return None
    ok = isinstance(found, list) and len(found) == 2 and all(isinstance(v, str) for v in found)
    return (found[0], found[1]) if ok else None


def planned(db: Database, clean: Callable[[str], str], renames: Iterable[Rename],
            labels: dict[tuple[str, str], str]) -> list[dict[str, Any]]:  # fmt: skip
    """The rows that change: {id, description, ref, before} (`before`: the row as it was, for
    the vault). `clean` replaces the names in a text as the plan does elsewhere; `labels`: the
    speaker labels speakers.yml is rewritten with (`outside.Planned.labels`)."""
    key = keyed(renames)
    out = []
    for row in file_state.conflict_rows(db):
        text, ref = row["description"], row["ref"]
        pair = _pair(ref) if row["source"] == speaker_map.FILE else None
        if pair is not None:  # said again as the sync will read the rewritten file
            who = labels.get(pair, pair[1] if pair[1].startswith("#") else clean(pair[1]))
            lines = speaker_map.conflict_lines({key(pair[0]): {who: speaker_map.ROLES}})
            ref, text = next(iter(lines.items()))
        else:
            text = clean(key(text))
            ref = key(ref) if ref else ref
        if (text, ref) != (row["description"], row["ref"]):
            out.append({"id": row["id"], "description": text, "ref": ref,
                        "before": {"description": row["description"], "ref": row["ref"]}})  # fmt: skip
    return out
