"""What every qualtool screen shares: typed access to the app (its workspace and coder), key
descriptions in the interface language, Esc that leads back to the recordings, and undo/redo
through the study's one history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from qualtool.coding import history
from qualtool.domain.errors import QualtoolError
from qualtool.i18n import _
from qualtool.tui.keys import translate_bindings

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


class StudyScreen(Screen[None]):
    HELP_TITLE = ""  # the screen's name (N_-marked): header title and help page

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        if self.HELP_TITLE:
            self.title = _(self.HELP_TITLE)

    @property
    def qapp(self) -> QualtoolApp:
        return cast("QualtoolApp", self.app)

    def action_back(self) -> None:
        """Close a screen opened on top (a transcript); on a screen an F-key switched to,
        return to the recordings."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.qapp.action_open("dashboard")

    def action_undo(self) -> None:
        self._step_history(history.undo, _("undone: {label}"))

    def action_redo(self) -> None:
        self._step_history(history.redo, _("redone: {label}"))

    def _step_history(self, step: Callable[..., str], done: str) -> None:
        """One step of the history (it writes the study's files itself); a refusal is a
        notification. Screens bind ctrl+z / ctrl+y where an undo makes sense."""
        try:
            label = step(self.qapp.ws)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.after_history()
        self.notify(done.format(label=label))

    _seen: tuple[int, int, int] | None = None  # the history's revision when last hidden

    def on_screen_suspend(self) -> None:
        self._seen = history.revision(self.qapp.ws)

    def on_screen_resume(self) -> None:
        """Shown again after another screen recorded, undid or redid an action: show what it
        changed. An undo on F2 of a coding made here left the transcript showing the coding
        (and acting on it) until it was reopened."""
        seen, self._seen = self._seen, None
        if seen is not None and self.is_mounted and history.revision(self.qapp.ws) != seen:
            self.after_history()

    def after_history(self) -> None:
        """Show again what an undo or redo may have changed."""
