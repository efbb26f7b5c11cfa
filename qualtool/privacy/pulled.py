"""A review decision written after a pull: the files changed on disk are read first.

Every other write starts with `Workspace.catch_up` (a `git pull` in another terminal while the
review screen or `anonymise review` is open); the review's decisions did not, so a decision
went on words a colleague had changed or replaced meanwhile (an edit, their `--apply`) — a
stale line in the shared privacy/decisions.yml, a reject's hash of a name the text no longer
holds among them — and the open database never learned the colleague's text. Now the files
are read first; a decision whose words the pull changed is refused, nothing written, and the
reviewer looks again.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.privacy import decisions
from qualtool.privacy.entity import Entity
from qualtool.privacy.follow import span_digest
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace

Chosen = Iterable[tuple[Entity | None, decisions.Decision]]


def catch_up(ws: Workspace, key: bytes, chosen: Chosen = ()) -> None:
    """Read a pull first; refuse when one of the `chosen` decisions (with the words its finding
    saw, or None for a span added by hand) no longer finds its words where it says."""
    if ws.catch_up() is None:
        return
    texts = {f"{s['recording']}#{s['idx']}": s["text"] for s in store.segments(ws.db)}
    for seen, d in chosen:
        if d.outside:
            continue  # a name outside the transcript: one per words, wherever they stand
        text = texts.get(d.where)
        words = None if text is None else text[d.start : d.end]
        if words is not None and (
            words == seen.text if seen is not None else span_digest(key, words) == d.digest
        ):
            continue
        raise InvalidInput(
            _(
                "the study's files changed on disk (a pull?) and were read again; {where} was "
                "changed there, so nothing was decided: look at its findings again"
            ).format(where=d.where)
        )
