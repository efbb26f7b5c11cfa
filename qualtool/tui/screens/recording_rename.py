"""Renaming a recording from the recordings list (n): the new key asked in a one-line
question, then the one rename service `qualtool rename` uses (`recordings.rename`: every file
and row that names the recording, one journaled step, so ctrl+z undoes it). A refusal (a key
taken, not a valid key, a read-only study) is the service's one translated line as a
notification, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import _
from qualtool.recordings.rename import Renamed, rename
from qualtool.tui.widgets.prompt import Prompt
from qualtool.workspace.study import Workspace


def ask_rename(screen: Screen[None], ws: Workspace, key: str,
               done: Callable[[Renamed], None]) -> None:  # fmt: skip
    """Ask for recording `key`'s new key (prefilled with the old one); `done` is called once
    the rename is made."""

    def answered(value: str | None) -> None:
        if value is None or not value.strip():
            return  # Esc, or nothing typed: as cancel
        try:
            renamed = rename(ws, key, value)
        except QualtoolError as exc:
            screen.notify(str(exc), severity="error", title=_("Rename refused"))
            return
        screen.notify(_("renamed {old} → {new}").format(old=renamed.old, new=renamed.new)
                      + " " + _("(ctrl+z undoes)"))  # fmt: skip
        done(renamed)

    question = _("New key for {key} (its transcript, and its media file when named after "
                 "it, are renamed too; ctrl+z undoes):").format(key=key)  # fmt: skip
    screen.app.push_screen(Prompt(question, value=key), answered)
