"""Reading a project that Taguette exported (`project.sqlite3`): another tool's database, so
it is opened read-only and never migrated. Only the tables Taguette's export always has are
read (documents, tags, highlights, highlight_tags, commands); the shape is Taguette 1.x's
(`taguette/database/models.py`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _


@dataclass(frozen=True, slots=True)
class TaguetteDocument:
    id: int
    name: str
    description: str
    filename: str
    contents: str  # HTML; highlight offsets count UTF-8 bytes of its text nodes


@dataclass(frozen=True, slots=True)
class TaguetteTag:
    id: int
    path: str  # «barrier.queue»: Taguette's hierarchy is the dotted path
    description: str


@dataclass(frozen=True, slots=True)
class TaguetteHighlight:
    id: int
    document_id: int
    start: int  # UTF-8 bytes of the document's text content, tags not counted
    end: int
    snippet: str  # the HTML Taguette cut out with those offsets (`extract.extract`)
    tags: tuple[int, ...]
    user: str  # who added it (from Taguette's command log), "" when unknown


@dataclass(frozen=True, slots=True)
class TaguetteExport:
    name: str
    description: str
    documents: list[TaguetteDocument]
    tags: list[TaguetteTag]
    highlights: list[TaguetteHighlight]


_TABLES = {"projects", "documents", "tags", "highlights", "highlight_tags"}


def read_export(path: Path) -> TaguetteExport:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput(
            _("{path}: cannot open ({error})").format(path=path, error=exc)
        ) from None
    try:
        return _read(conn, path)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(
            _("{path}: not a Taguette project export ({error})").format(path=path, error=exc)
        ) from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path) -> TaguetteExport:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables >= _TABLES:
        raise InvalidInput(_("{path}: not a Taguette project export (tables {tables} missing)")
                           .format(path=path, tables=", ".join(sorted(_TABLES - tables))))  # fmt: skip
    projects = conn.execute("SELECT id, name, description FROM projects ORDER BY id").fetchall()
    if len(projects) != 1:
        raise InvalidInput(_("{path}: {count} projects inside; a Taguette export has one").format(
            path=path, count=len(projects)))  # fmt: skip
    pid, name, description = projects[0]
    docs = [TaguetteDocument(*r) for r in conn.execute(
        "SELECT id, name, description, filename, contents FROM documents WHERE project_id = ? "
        "ORDER BY id", (pid,))]  # fmt: skip
    tags = [TaguetteTag(*r) for r in conn.execute(
        "SELECT id, path, description FROM tags WHERE project_id = ? ORDER BY id", (pid,))]  # fmt: skip
    links: dict[int, list[int]] = {}
    for hl, tag in conn.execute("SELECT highlight_id, tag_id FROM highlight_tags "
                                "ORDER BY highlight_id, tag_id"):  # fmt: skip
        links.setdefault(hl, []).append(tag)
    users = _creators(conn, pid) if "commands" in tables else {}
    doc_ids = tuple(d.id for d in docs)
    marks = ",".join("?" * len(doc_ids)) or "NULL"
    highlights = [
        TaguetteHighlight(hid, doc, a, b, snippet, tuple(links.get(hid, ())), users.get(hid, ""))
        for hid, doc, a, b, snippet in conn.execute(
            "SELECT id, document_id, start_offset, end_offset, snippet FROM highlights "
            f"WHERE document_id IN ({marks}) ORDER BY document_id, start_offset, id", doc_ids)
    ]  # fmt: skip
    return TaguetteExport(name, description, docs, tags, highlights)


def _creators(conn: sqlite3.Connection, pid: int) -> dict[int, str]:
    """Highlights carry no author; Taguette's command log says who added each one."""
    out: dict[int, str] = {}
    for login, payload in conn.execute("SELECT user_login, payload FROM commands "
                                       "WHERE project_id = ? ORDER BY id", (pid,)):  # fmt: skip
        try:
            data = json.loads(payload)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and data.get("type") == "highlight_add":
            hid = data.get("highlight_id")
            if isinstance(hid, int):
                out.setdefault(hid, str(login))
    return out
