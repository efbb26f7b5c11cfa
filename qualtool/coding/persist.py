"""The study's files that follow every coding action: transcripts/<key>.* for the text and
codings/<coder>.json for each coder's layer. Written inside the action's transaction (the
connection sees its own uncommitted rows), so a file that cannot be written rolls the
database back: both change or neither."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.db import Database
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

Target = Workspace | Database


def split(target: Target) -> tuple[Database, Workspace | None]:
    """A service takes the open study (and writes its files) or, for bulk callers that write
    the files once at the end (anonymisation, imports), a bare database."""
    if isinstance(target, Workspace):
        return target.db, target
    return target, None


def begin(
    target: Target, segments: Iterable[int] = (), typed: str | None = None
) -> tuple[Database, Workspace | None]:
    """`split`, for an action about to write: the study's files changed on disk since they
    were last read (a `git pull` under an open TUI) are read first (`Workspace.catch_up`), so
    the action applies to the records as they are now, a colleague's included, and the files
    it writes carry their work instead of the database's older copy. A `segments` row the
    pull replaced (its text changed there) refuses the action, the coder's `typed` text
    quoted back so nothing typed is lost."""
    db, ws = split(target)
    if ws is not None and ws.catch_up() is not None:
        for sid in segments:
            if not tr_store.segment_exists(db, sid):
                raise InvalidInput(
                    _(
                        "the study's files changed on disk (a pull?) and were read again; this "
                        "segment was changed there, so nothing was done: look at its new text "
                        "and do it again"
                    )
                    + (_(" — your text: «{text}»").format(text=typed) if typed else "")
                )
    return db, ws


def write(
    ws: Workspace | None,
    transcripts: Iterable[int | None] = (),
    coders: Iterable[str] = (),
    all_coders: bool = False,
    unmade: Collection[tuple[str, tuple[Any, ...]]] = (),
) -> None:
    """`all_coders`: after a codebook edit (coder files carry the codes' labels); `unmade`:
    codings an undo takes back that its step made (no tombstone: `workspace.layers.save`)."""
    if ws is None:
        return
    for tid in sorted({t for t in transcripts if t is not None}):
        key = tr_store.recording_key_of_transcript(ws.db, tid)
        if key is not None:
            write_outputs(ws, rec_store.get_recording(ws.db, key))
    if all_coders or coders:
        ws.save_layers(unmade)  # re-reads what changed on disk first; writes only changed layers
