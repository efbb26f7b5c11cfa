"""The review half of the transcript screen: correct what the transcriber heard (text,
speaker, split, merge, who the interviewer is), walk the flags, listen, undo and redo.
Mixed into TranscriptScreen, like the coding half (transcript_coding.py)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable, Input, Static

from qualtool.autocode import suggest as autocode
from qualtool.coding import editing, history
from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import _, ngettext
from qualtool.recordings import playback
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import load_codebook
from qualtool.tui.widgets.confirm import Confirm

FIRST_ROWS = 120  # rows filled ahead of a jump, so the target row exists

if TYPE_CHECKING:
    from collections.abc import Callable

    from qualtool.domain import Codebook, Segment
    from qualtool.tui.screens.base import StudyScreen

    class _Host(StudyScreen):
        """What the transcript screen gives this mixin (for the type checker only)."""

        key: str
        segments: list[Segment]
        editing: tuple[str, int] | None
        player: subprocess.Popen[bytes] | None
        cb: Codebook

        def current(self) -> Segment | None: ...
        def fill(self, upto: int) -> None: ...
        def reload(self) -> None: ...
        def changed(self, message: str | None = None) -> None: ...
        def attempt(
            self, fn: Callable[..., Any], *args: Any, message: str | None = None
        ) -> Any: ...
else:
    _Host = object


class ReviewActions(_Host):
    """Needs from the screen: qapp, key, segments, editing, player, cb, current(), fill(),
    reload(), changed(), attempt(), notify(), query_one(), app."""

    def _open_editor(self, field: str, value: str, hint: str) -> None:
        seg = self.current()
        if seg is None:
            self.notify(_("no segment selected"), severity="warning")
            return
        self.editing = (field, seg.id or 0)
        editor = self.query_one("#editor", Input)
        editor.value = value
        editor.add_class("visible")
        editor.focus()
        editor.cursor_position = len(value) // 2 if field == "split" else len(value)
        self.query_one("#status", Static).update(hint)

    def _close_editor(self) -> None:
        self.editing = None
        self.query_one("#editor", Input).remove_class("visible")
        self.query_one("#segments", DataTable).focus()
        self.query_one("#status", Static).update("")

    def action_edit_text(self) -> None:
        seg = self.current()
        self._open_editor(
            "text", seg.text if seg else "", _("editing text: Enter saves, Esc cancels")
        )

    def action_edit_speaker(self) -> None:
        seg = self.current()
        self._open_editor("speaker", (seg.speaker or "") if seg else "",
                          _("speaker: Enter saves, Esc cancels"))  # fmt: skip

    def action_toggle_interviewer(self) -> None:
        """One key corrects who the interviewer is (speakers.yml); auto-coding respects it."""
        seg = self.current()
        if seg is None:
            self.notify(_("no segment selected"), severity="warning")
            return
        try:
            who, role = autocode.toggle_role(self.qapp.ws.db, self.qapp.ws.study.root, self.key,
                                             seg.speaker, seg.idx)  # fmt: skip
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        if role == "interviewer":
            self.notify(_("{who}: interviewer — no suggestions on these turns").format(who=who))
        else:
            self.notify(_("{who}: respondent — suggestions allowed").format(who=who))

    def action_split(self) -> None:
        seg = self.current()
        self._open_editor("split", seg.text if seg else "",
                          _("move the cursor to where the new segment starts, then Enter"))  # fmt: skip

    def save_edit(self, value: str) -> None:
        """The line editor's Enter: save the open edit through the service."""
        if not self.editing:
            return
        field, segment_id = self.editing
        editor = self.query_one("#editor", Input)
        self._close_editor()
        seg = next((s for s in self.segments if s.id == segment_id), None)
        if field == "text":
            if seg is not None and " ".join(value.split()) == seg.text:
                self.notify(_("text unchanged"))  # nothing saved, no undo step, timings kept
                return
            moved = self.attempt(editing.edit_segment_text, self.qapp.ws, segment_id, value)
            if moved:
                kept = ngettext("saved; {n} coding kept on its words",
                                "saved; {n} codings kept on their words", moved)  # fmt: skip
                self.notify(kept.format(n=moved))
            elif moved is not None:
                self.notify(_("text saved (ctrl+z undoes)"))
        elif field == "speaker":
            if seg is not None and (value.strip() or None) == seg.speaker:
                self.notify(_("speaker unchanged"))
                return
            self.attempt(editing.set_speaker, self.qapp.ws, segment_id, value,
                         message=_("speaker saved"))  # fmt: skip
        elif field == "split":
            self.attempt(editing.split_segment, self.qapp.ws, segment_id, editor.cursor_position,
                     message=_("split"))  # fmt: skip

    def action_merge(self) -> None:
        seg = self.current()
        if seg is None:
            return
        try:
            editing.merge_with_next(self.qapp.ws, seg.id or 0)
        except editing.SpeakerMismatch as exc:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.attempt(editing.merge_with_next, self.qapp.ws, seg.id, True,
                                 message=_("merged"))  # fmt: skip

            self.app.push_screen(Confirm(str(exc) + "\n\n" + _("Merge anyway?")), answered)
            return
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.changed(_("merged"))

    def after_history(self) -> None:
        """The codebook too: an undo may bring back a code (or a step on F2 change one)."""
        self.cb = load_codebook(self.qapp.ws.db)
        self.reload()

    def action_undo(self) -> None:
        label = self.attempt(history.undo, self.qapp.ws)
        if label:
            self.after_history()
            self.notify(_("undone: {label}").format(label=label))

    def action_redo(self) -> None:
        label = self.attempt(history.redo, self.qapp.ws)
        if label:
            self.after_history()
            self.notify(_("redone: {label}").format(label=label))

    def _jump(self, step: int) -> None:
        table = self.query_one("#segments", DataTable)
        n = len(self.segments)
        for k in range(1, n + 1):
            i = (table.cursor_row + step * k) % n
            if self.segments[i].flags:
                self.fill(i + FIRST_ROWS)
                table.move_cursor(row=i)
                self.query_one("#status", Static).update(", ".join(self.segments[i].flags))
                return
        self.notify(_("no flagged segments"), severity="information")

    def action_next_flag(self) -> None:
        if self.segments:
            self._jump(1)

    def action_prev_flag(self) -> None:
        if self.segments:
            self._jump(-1)

    def action_play(self) -> None:
        seg = self.current()
        if seg is None:
            return
        rec = rec_store.get_recording(self.qapp.ws.db, self.key)
        if rec.text_only:  # not «install mpv»: there is no sound to play
            self.notify(_("{key} has no audio: its transcript was imported as text").format(
                key=rec.key), severity="warning")  # fmt: skip
            return
        if self.player and self.player.poll() is None:
            self.player.terminate()
            self.player = None
            self.query_one("#status", Static).update(_("stopped"))
            return
        try:
            self.player = playback.play(self.qapp.ws.study.resolve(rec.path), seg.start, seg.end)
        except RuntimeError as exc:
            self.notify(str(exc), severity="warning", title=_("Playback unavailable"))
            return
        self.query_one("#status", Static).update(
            _("playing {start}–{end} (space stops)").format(
                start=format_timestamp(seg.start), end=format_timestamp(seg.end)
            )
        )

    def stop_player(self) -> None:
        if self.player and self.player.poll() is None:
            self.player.terminate()
