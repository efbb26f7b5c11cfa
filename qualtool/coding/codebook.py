"""Codebook edits from the tools: add, rename, edit definition / criteria / examples, move,
merge, delete with reassignment. Each is one journaled action over the YAML file and the
database: the file is rewritten (validated first) and the database synced in one
transaction; if either fails, both stay as they were. Undo puts back both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from qualtool.coding import persist
from qualtool.domain import Codebook
from qualtool.domain.errors import InvalidInput
from qualtool.files import codebook_edit
from qualtool.i18n import _
from qualtool.store import journal
from qualtool.store.codebook import SyncReport, resolve_code_id, sync_codebook
from qualtool.store.codings import codings_of_codes, delete_coding
from qualtool.workspace.study import Workspace


def nothing_changed() -> str:
    """What the CLI and the TUI say when an edit asks for what the codebook already says
    (a function: said in the language of the moment)."""
    return _("nothing to change: the codebook already says that")


def _restore(path: Path, text: str | None) -> None:
    if text is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)


def _run(ws: Workspace, label: str, codes: list[str], change: Callable[..., Codebook],
         *args: Any, drop_codings: bool = False) -> SyncReport:  # fmt: skip
    """The one path of every codebook edit: journal the rows it can touch (all codes and
    aliases, the codings, suggestions and adjudications of `codes`), write the file, sync."""
    ws.catch_up()  # a codebook pulled under an open TUI is read before it is edited
    db, path = ws.db, ws.study.codebook_path
    before = path.read_text(encoding="utf-8") if path.exists() else None
    rel = ws.study.relative(path)
    try:
        with journal.action(db, label) as j:
            j.touch_where("codes", "1", [])
            j.touch_where("code_aliases", "1", [])
            if codes:
                marks = ", ".join("?" * len(codes))
                for table in ("codings", "suggestions", "adjudications"):
                    j.touch_where(table, f"code_id IN ({marks})", codes)
            if drop_codings:
                for c in codings_of_codes(db, codes[:1]):
                    delete_coding(db, c.id or 0)
            cb = change(path, *args)  # validated before it replaces the file
            report = sync_codebook(db, cb, str(path))
            j.created_where("codes")
            j.created_where("code_aliases")
            after = path.read_text(encoding="utf-8")
            j.file(rel, before, after)
            persist.write(ws, all_coders=True)
        report.unchanged = after == before and not (report.added or report.changed or
                                                    report.moved or report.renamed or
                                                    report.removed)  # fmt: skip
    except BaseException:
        _restore(path, before)
        raise
    return report


def add_code(ws: Workspace, code_id: str, label_ru: str, parent_id: str | None = None,
             **fields: Any) -> SyncReport:  # fmt: skip
    code_id, label_ru = code_id.strip(), label_ru.strip()
    if not label_ru:
        raise InvalidInput(_("a code needs a Russian label"))
    return _run(ws, _("add code {code}").format(code=code_id), [],
                lambda p: codebook_edit.add_code(p, code_id, label_ru, parent_id, **fields))  # fmt: skip


def rename_code(ws: Workspace, code_id: str, label_ru: str | None = None,
                label_en: str | None = None) -> SyncReport:  # fmt: skip
    """All labels at once; an empty English label removes it."""
    fields: dict[str, Any] = {}
    if label_ru is not None:
        fields["label_ru"] = label_ru
    if label_en is not None:
        fields["label_en"] = label_en
    return edit_code(ws, code_id, **fields)


def edit_code(ws: Workspace, code_id: str, **fields: Any) -> SyncReport:
    """label_ru, label_en, definition, include, exclude, examples (one per line), keywords and
    keywords_kk (comma-separated)."""
    code_id = resolve_code_id(ws.db, code_id)
    return _run(ws, _("edit code {code}").format(code=code_id), [],
                lambda p: codebook_edit.edit_fields(p, code_id, **fields))  # fmt: skip


def move_code(ws: Workspace, code_id: str, new_parent: str | None) -> SyncReport:
    code_id = resolve_code_id(ws.db, code_id)
    return _run(ws, _("move {code}").format(code=code_id), [], codebook_edit.move_code, code_id,
                new_parent)  # fmt: skip


def merge_codes(ws: Workspace, source: str, target: str) -> SyncReport:
    """`source` disappears into `target`; codings of both codes on one span become one."""
    source, target = resolve_code_id(ws.db, source), resolve_code_id(ws.db, target)
    return _run(ws, _("merge {a} into {b}").format(a=source, b=target), [source, target],
                codebook_edit.merge_codes, source, target)  # fmt: skip


def delete_code(ws: Workspace, code_id: str, reassign_to: str | None = None, *,
                drop_codings: bool = False) -> SyncReport:  # fmt: skip
    """Remove a code. Its codings move to `reassign_to`, or with `drop_codings` are removed
    (undoable); with neither, a code in use is refused."""
    code_id = resolve_code_id(ws.db, code_id)
    used = codings_of_codes(ws.db, [code_id])
    if used and not reassign_to and not drop_codings:
        raise InvalidInput(_("{code} has {n} coding(s): choose a code to reassign them to").format(
            code=code_id, n=len(used)))  # fmt: skip
    codes = [code_id]
    if reassign_to:
        reassign_to = resolve_code_id(ws.db, reassign_to)
        codes.append(reassign_to)
    return _run(ws, _("delete {code}").format(code=code_id), codes, codebook_edit.delete_code,
                code_id, reassign_to, drop_codings=drop_codings and not reassign_to)  # fmt: skip
