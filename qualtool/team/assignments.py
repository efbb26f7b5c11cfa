"""Who was given which transcript to code, and who has finished it: `codings/assignments.yml`.

Agreement needs to tell "read it and found nothing to code" from "never looked at it": a coder
who was assigned a transcript and marked it done, but coded nothing in it, judged every unit
there as absent; a coder without that record is missing there. The file is the truth (reviewed
in git like the coders' layers): one line per assignment, sorted, rewritten only on change, and
merged by git with `merge=union` (two laptops assigning at once no longer stop `git pull`);
the file itself is read and written by `files.assignments`, where the sync can carry it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.names import check_name
from qualtool.files import assignments as assignments_file
from qualtool.files.assignments import FILE, HEADER, Assignment, render
from qualtool.i18n import N_, _
from qualtool.store import recordings as rec_store
from qualtool.store import reporting
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace

__all__ = [
    "FILE",
    "HEADER",
    "Assignment",
    "Mine",
    "assign",
    "finished",
    "load",
    "mine",
    "render",
    "save",
]


def path_of(ws: Workspace) -> Path:
    return ws.study.root / FILE


def load(ws: Workspace) -> list[Assignment]:
    """The study's assignments (`files.assignments.read`: one per recording and coder)."""
    return assignments_file.read(ws.study.root)


def save(ws: Workspace, items: list[Assignment]) -> Path:
    """Written when it changes, and taken as in step (`Workspace.wrote`): the sync reads the
    file for the carry, and the next write should not take this one for a pull."""
    if assignments_file.write(ws.study.root, items):
        ws.wrote([path_of(ws)])
    return path_of(ws)


def assign(ws: Workspace, key: str, coder: str, *, done: bool | None = None,
           remove: bool = False, by: str | None = None) -> Assignment | None:  # fmt: skip
    """Give `key` to `coder` (idempotent); `done` marks it finished or reopens it; `by` is who
    gave it (kept when None: marking it done does not change who assigned it), so the coder's
    dashboard can say whom to ask about it."""
    rec = rec_store.get_recording(ws.db, key)  # NotFound with a clear message
    if not coder.strip():
        raise InvalidInput(_("a coder needs a name"))
    check_name(coder, "coder")  # the coder's work goes to codings/<coder>.json
    items = {(a.recording, a.coder): a for a in load(ws)}
    if remove:
        items.pop((rec.key, coder), None)
        save(ws, list(items.values()))
        return None
    old = items.get((rec.key, coder))
    giver = by if by is not None else (old.by if old else "")
    new = Assignment(rec.key, coder, done if done is not None else bool(old and old.done), giver)
    items[(rec.key, coder)] = new
    save(ws, list(items.values()))
    return new


def finished(ws: Workspace) -> dict[int, set[str]]:
    """transcript id -> coders who finished it (whatever they coded there)."""
    out: dict[int, set[str]] = {}
    for a in load(ws):
        if not a.done:
            continue
        try:
            rec = rec_store.get_recording(ws.db, a.recording)
        except NotFound:  # a recording removed since: the line stays, it just doesn't count
            continue
        t = tr_store.get_transcript(ws.db, rec.id or 0, with_segments=False)
        if t is not None:
            out.setdefault(t.id or 0, set()).add(a.coder)
    return out


@dataclass(frozen=True, slots=True)
class Mine:
    """One recording given to the coder, with how far they got: the dashboard's «My recordings»."""

    recording: str
    by: str  # who gave it; "" when unknown or self-assigned
    done: bool
    coded: int  # turns the coder coded at least once
    turns: int  # turns in its transcript; 0 before it is transcribed

    @property
    def state(self) -> str:
        """«assigned», «started» or «done» (a message id: translated where shown)."""
        return N_("done") if self.done else N_("started") if self.coded else N_("assigned")


def mine(ws: Workspace, coder: str) -> list[Mine]:
    """The recordings given to `coder`, in key order, each with its coded turns."""
    counts = reporting.coded_turns(ws.db, coder)
    return [Mine(a.recording, a.by, a.done, *counts.get(a.recording, (0, 0)))
            for a in load(ws) if a.coder == coder]  # fmt: skip
