"""Undo and redo of the coders' actions, the same from the TUI (ctrl+z, ctrl+y) and the command
line (`qualtool undo`, `qualtool redo`): one linear history per study.

A step restores rows and study files together (the codebook YAML from its journaled image,
transcripts/ and codings/ regenerated from the restored rows) inside one transaction. A step
that cannot be replayed because something outside the history changed the same rows is
refused with a message and that part of the history is dropped: undo never stays stuck.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qualtool.coding import persist
from qualtool.coding.persist import Target
from qualtool.domain.anchoring import reanchor
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.files import decision_tombstones as dead_lines
from qualtool.files import decisions as review_file
from qualtool.i18n import N_, _
from qualtool.store import journal
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import (
    coders_in_transcript,
    codings_for_segment,
    follow_alias,
    move_coding,
)
from qualtool.workspace.study import Workspace


def _follow_aliases(ws: Workspace, entry: journal.Entry, undo: bool) -> None:
    """An undone merge (or rename) of codes, after a pull: a colleague's coding pulled since
    with the merged code was placed under the code it went into; it goes back to the code its
    author made it with (`store.codings.follow_alias`), as the merge's own rows do. A redo
    moves it again."""
    now_i, then_i = (3, 2) if undo else (2, 3)
    mine = {int(i[1]) for i in entry.items if i[0] == "codings"}
    for item in entry.items:
        if item[0] != "code_aliases" or len(item) < 4:
            continue
        was = item[now_i]["code_id"] if item[now_i] else None
        new = item[then_i]["code_id"] if item[then_i] else None
        if was != new:
            follow_alias(ws.db, str(item[1]), new, was, mine)


def _follow_text(ws: Workspace, entry: journal.Entry, undo: bool) -> None:
    """A segment whose text this step puts back (an edit undone after a pull) may carry codings
    the step never recorded — a colleague's, pulled, on the words the edit wrote. They follow
    the text as on a transcript import: re-anchored where their words still stand, else kept
    on the whole segment with a «re-anchor needed» note naming their old quote — never left
    on offsets that now point at other words, never dropped."""
    now_i, then_i = (3, 2) if undo else (2, 3)
    mine = {int(i[1]) for i in entry.items if i[0] == "codings"}
    note = ws.study.written(N_("[re-anchor needed] was: «{quote}»"))
    for item in entry.items:
        if item[0] != "segments" or len(item) < 4 or not item[now_i] or not item[then_i]:
            continue
        was, now = str(item[now_i]["text"]), str(item[then_i]["text"])
        if was == now:
            continue
        for c in codings_for_segment(ws.db, int(item[1])):
            if c.id in mine:
                continue
            span = reanchor(was, now, c.start, c.end, c.quote)
            if span and span[1] > span[0]:
                move_coding(ws.db, c, int(item[1]), span)
            else:
                move_coding(ws.db, c, int(item[1]), (0, len(now)), note=note)


def _unmade(entry: journal.Entry) -> set[tuple[str, tuple[Any, ...]]]:
    """(coder, origin) of the codings the entry made: undone, they go as if never made — no
    tombstone in the layer (a coding made and undone before any push leaves the file as it
    was; one pushed meanwhile and re-anchored by a colleague can come back — the undo's cost)."""
    out = set()
    for item in entry.items:
        if item[0] == "codings" and item[2] is None and item[3] and item[3].get("origin"):
            out.add((str(item[3]["coder_id"]), tuple(json.loads(item[3]["origin"]))))
    return out


def _review(root: Path, img: journal.FileImage, current: str | None, undo: bool) -> str | None:
    """privacy/decisions.yml after the step. A decision the undo takes back that the last
    commit holds leaves a tombstone (a colleague may have it, renumbered by a split: a union
    merge would bring it back); a redo that makes it again replaces it. Tombstones written
    since the step are set aside to find its place, and kept unless it makes them live."""
    dead = review_file.tombstones(root, current)
    try:
        text = img.written(current)
    except journal.FileChanged:
        if not dead:
            raise
        text = img.written(dead_lines.without_tombstones(current or "", {d.origin for d in dead}))
    if undo:
        dead += dead_lines.withdrawn(root, current, text)
    if text is None and not dead:
        return None  # a file the step created, no decision of it committed: as never made
    live = dead_lines.origins_in(text)
    made = live - dead_lines.origins_in(current)  # made again: its tombstone goes
    text = dead_lines.without_tombstones(text or review_file.HEADER, made)
    return dead_lines.with_tombstones(text, [d for d in dead if d.origin not in live])


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
                current = path.read_text(encoding="utf-8") if path.exists() else None
                if img.path == review_file.DECISIONS_FILE.as_posix():
                    texts.append((path, _review(ws.study.root, img, current, undo)))
                else:
                    texts.append((path, img.written(current)))
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
        _follow_text(ws, entry, undo)
        _follow_aliases(ws, entry, undo)
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
        persist.write(ws, tids, coders, all_coders="codes" in entry.tables() or renamed,
                      unmade=_unmade(entry) if undo else ())  # fmt: skip
        if renamed:
            ws.save_manifest()

    return write


def _step(target: Target, undo: bool) -> str:
    db, ws = persist.begin(target)  # an undo after a pull applies to the rows as pulled
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
