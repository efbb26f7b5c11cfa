"""Undo and redo of the coders' actions, the same from the TUI (ctrl+z, ctrl+y) and the command
line (`qualtool undo`, `qualtool redo`): one linear history per study.

A step restores rows and study files together (the codebook YAML from its journaled image,
transcripts/ and codings/ regenerated from the restored rows) inside one transaction. A step
that cannot be replayed because something outside the history changed the same rows is
refused with a message and that part of the history is dropped: undo never stays stuck.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qualtool.coding import persist
from qualtool.coding.persist import Target
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.i18n import _
from qualtool.store import journal
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import coders_in_transcript
from qualtool.workspace.study import Workspace


def _write_files(
    ws: Workspace | None, entry: journal.Entry, undo: bool
) -> Callable[[list[journal.FileImage]], None]:
    def write(images: list[journal.FileImage]) -> None:
        if ws is None:
            return
        texts: list[tuple[Path, str | None]] = []
        for img in images:  # every file's new text first: one that changed stops them all
            path = Path(ws.study.resolve(img.path))
            try:
                texts.append((path, img.written(
                    path.read_text(encoding="utf-8") if path.exists() else None)))  # fmt: skip
            except journal.FileChanged:
                what = (
                    _("cannot undo «{label}»: {table} changed outside the undo history since")
                    if undo
                    else _("cannot redo «{label}»: {table} changed outside the undo history since")
                )
                raise journal.JournalConflict(
                    what.format(label=entry.label, table=img.path)
                ) from None
        moves = entry.moves(undo)  # a renamed recording's files (recordings/rename.py)
        for source, target in moves:
            if not (ws.study.root / source).exists() or (ws.study.root / target).exists():
                what = (
                    _("cannot undo «{label}»: {table} changed outside the undo history since")
                    if undo
                    else _("cannot redo «{label}»: {table} changed outside the undo history since")
                )
                raise journal.JournalConflict(what.format(label=entry.label, table=source))
        for path, text in texts:
            if text is None:
                path.unlink(missing_ok=True)
            else:
                tmp = path.with_name(path.name + ".part")
                tmp.write_text(text, encoding="utf-8")
                tmp.replace(path)
        for source, target in moves:
            ws.move_file(source, target)
        tids = {entry.transcript_id} if entry.transcript_id is not None else set()
        for sid in entry.segment_ids():
            try:
                tids.add(tr_store.transcript_of_segment(ws.db, sid))
            except NotFound:
                continue  # a segment that no longer exists after this step
        coders = entry.coders()
        if "segments" in entry.tables():  # layers name segments by index and text
            for tid in tids:
                coders |= coders_in_transcript(ws.db, tid)
        renamed = "recordings" in entry.tables()  # every layer names the recording by key
        persist.write(ws, tids, coders, all_coders="codes" in entry.tables() or renamed)
        if renamed:
            ws.save_manifest()

    return write


def _step(target: Target, undo: bool) -> str:
    db, ws = persist.split(target)
    entry = journal.next_undo(db) if undo else journal.next_redo(db)
    if entry is None:
        raise InvalidInput(_("nothing to undo") if undo else _("nothing to redo"))
    try:
        journal.apply(db, entry, undo, _write_files(ws, entry, undo))
    except journal.JournalConflict as exc:
        journal.forget(db, entry, undo)
        raise InvalidInput(
            str(exc) + " — " + _("that part of the undo history was cleared")
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("could not write the study's files: {error}").format(error=exc)
        ) from None
    key = (
        tr_store.recording_key_of_transcript(db, entry.transcript_id)
        if entry.transcript_id
        else None
    )
    return f"{entry.label} ({key})" if key else entry.label  # where: the history is study-wide


def undo(target: Target) -> str:
    """Revert the newest action; returns its label."""
    return _step(target, undo=True)


def redo(target: Target) -> str:
    """Do again the action undone last; returns its label."""
    return _step(target, undo=False)


def revision(target: Target) -> tuple[int, int, int]:
    """Where the study's history stands (`journal.revision`)."""
    db, _ws = persist.split(target)
    return journal.revision(db)


def history(target: Target, limit: int = 20) -> list[tuple[int, str, bool]]:
    db, _ws = persist.split(target)
    return journal.history(db, limit)
