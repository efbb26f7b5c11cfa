"""A project's codes into the study's codebook: matched where they exist, added in bulk where
they do not, and the codebook file created when the study has none yet.

Codes match ours by GUID (qualtool exports), then by the qualtool id in the description, then by
Russian label. New codes keep their hierarchy, colour and description; a description that
qualtool wrote (definition, «Включать:», «Не включать:», «EN:», «qualtool id:») goes back into
its fields. REFI-QDA Sets become the codebook's top-level `groups:` list: each group's member
codes (code ids) and member sources (recording keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualtool.files import codebook_edit
from qualtool.files.codebook import COLOR_PATTERN
from qualtool.files.codebook import load_codebook as load_file
from qualtool.interop.qdc import ForeignCode, slug_id
from qualtool.interop.qdpx_read import Group
from qualtool.interop.refi import code_guid
from qualtool.store.codebook import load_codebook, sync_codebook
from qualtool.store.db import Database

_FIELDS = (("Включать: ", "include"), ("Не включать: ", "exclude"), ("EN: ", "label_en"))


def description_fields(text: str) -> dict[str, str]:
    """qualtool's own description layout back into code fields; anything else is a definition."""
    out: dict[str, str] = {}
    rest = []
    for line in text.strip().split("\n"):
        if line.startswith("qualtool id: "):
            continue
        for prefix, key in _FIELDS:
            if line.startswith(prefix):
                out[key] = line[len(prefix) :].strip()
                break
        else:
            rest.append(line)
    definition = "\n".join(rest).strip()
    if definition:
        out["definition"] = re.sub(r"\s*\n\s*", " ", definition) if len(rest) > 1 else definition
    return out


@dataclass
class CodeImport:
    mapping: dict[str, str] = field(default_factory=dict)  # foreign guid -> our code id
    new_codes: list[str] = field(default_factory=list)
    created_file: bool = False


def import_codes(db: Database, path: Path, codes: list[ForeignCode], name: str,
                 groups: list[Group] = (), source_keys: dict[str, str] | None = None,  # type: ignore[assignment]
                 ) -> CodeImport:  # fmt: skip
    """Map and add codes; one read and one write of the codebook file for the whole import."""
    cb = load_codebook(db)
    by_guid = {code_guid(c.id): c.id for c in cb.codes}
    by_label = {c.label_ru.casefold(): c.id for c in cb.codes}
    taken = {c.id for c in cb.codes}
    out = CodeImport(created_file=not path.exists())
    new: list[tuple[str | None, dict[str, Any]]] = []
    for fc in codes:
        found = by_guid.get(fc.guid) or (fc.qualtool_id if fc.qualtool_id in cb else None)
        found = found or by_label.get(fc.name.casefold())
        if not found:
            found = fc.qualtool_id if fc.qualtool_id and fc.qualtool_id not in taken else None
            found = found or slug_id(fc.name, taken)
            taken.add(found)
            node: dict[str, Any] = {"id": found, "label_ru": fc.name}
            node.update(description_fields(fc.description))
            if fc.color and COLOR_PATTERN.match(fc.color):
                node["color"] = fc.color
            new.append((out.mapping.get(fc.parent_guid or ""), node))
            out.new_codes.append(found)
        out.mapping[fc.guid] = found
    keys = source_keys or {}
    sets = [
        {"name": g.name,
         "codes": [out.mapping[c] for c in g.codes if c in out.mapping],
         "sources": [keys[s] for s in g.sources if s in keys]}
        for g in groups
    ]  # fmt: skip
    if new or sets:
        codebook_edit.add_codes(path, new, name, sets)
        sync_codebook(db, load_file(path), str(path))
    return out
