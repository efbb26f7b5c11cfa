"""The auto-coding review queue: run suggestions (a worker, with progress and cancel), then
accept (a), reject (x), reject as another code (o: pick it, the words are coded with it) or
edit the span (e) of each; nothing is coded without the coder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualtool.autocode import review
from qualtool.autocode import suggest as autocode
from qualtool.domain.errors import QualtoolError
from qualtool.files.speaker_map import load_speaker_map
from qualtool.i18n import N_, _, ngettext
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.screens.transcript_coding import Selector
from qualtool.tui.widgets.confirm import Confirm
from qualtool.tui.widgets.picker import CodePicker

if TYPE_CHECKING:
    pass

SCORE_W, CODE_W, WHERE_W = 5, 18, 9  # the passage column takes the rest


def fold_code(code: str, width: int = CODE_W) -> str:
    """A code id wider than its column, broken after a dot («CORR.» / «INFORMAL_PAYMENT»):
    the cell would otherwise cut it inside a word («CORR.INFORMAL_PAYM» / «ENT»)."""
    lines = [""]
    for part in code.split("."):
        piece = f".{part}" if lines[-1] else part
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines[-1] += "."
            lines.append(part)
        else:
            lines[-1] += piece
    return "\n".join(lines)


class SuggestionsScreen(StudyScreen):
    HELP_TITLE = N_("Suggestions")
    AUTO_FOCUS = "#queue"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "run", "Run suggestions"),
        Binding("a", "accept", "Accept"),
        Binding("x", "reject", "Reject"),
        Binding("o", "reject_other", "Another code"),
        Binding("e", "edit_span", "Edit span"),
        Binding("A", "accept_all", "Accept all from the threshold", show=False),
        Binding("enter", "open", "Open"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False),
        # the same keys on an empty queue (accept / reject / edit are hidden then): a word
        # instead of silence; no description, so help and palette do not list it
        Binding("a,x,o,e,A", "nothing_to_review", show=False),
        Binding("enter", "nothing_to_review", show=False, priority=True),  # before the table
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[sug_store.Suggestion] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="queue", cursor_type="row")
        yield ProgressBar(id="progress", total=1.0)
        yield Selector("", id="selector", read_only=True, soft_wrap=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_column(_("score"), width=SCORE_W)
        t.add_column(_("code"), width=CODE_W)
        t.add_column(_("where"), width=WHERE_W)
        t.add_column(_("passage · why"), width=self.passage_width(), key="passage")
        self.query_one(ProgressBar).display = False  # idle, «0% --:--:--» looked stuck
        self.reload()

    def passage_width(self) -> int:
        """What the screen leaves for the passage and its reason, which wrap inside it: at 80
        columns the reason is read in full, not cut at the edge."""
        width = self.query_one(DataTable).size.width or (self.app.size.width - 2)
        return max(20, width - SCORE_W - CODE_W - WHERE_W - 4 * 2 - 1)

    def on_resize(self) -> None:
        column = self.query_one(DataTable).columns.get("passage")  # type: ignore[call-overload]
        if column is not None and column.width != self.passage_width():
            column.width = self.passage_width()
            self.reload()

    def reload(self) -> None:
        self.items = sug_store.queue(self.qapp.ws.db)
        t = self.query_one(DataTable)
        row = t.cursor_row
        t.clear()
        cb = load_codebook(self.qapp.ws.db)
        for s in self.items:
            text = Text(f"«{s.quote}»\n")
            text.append(_("why") + ": " + s.why, style="dim")
            t.add_row(f"{s.score:.0%}", Text(fold_code(s.code_id), style=f"bold {cb.color_of(s.code_id)}"),
                      s.recording, text, key=str(s.id), height=None)  # fmt: skip
        if t.row_count:
            t.move_cursor(row=min(max(row, 0), t.row_count - 1))
        self.refresh_bindings()
        self.show_counts()

    def show_counts(self) -> None:
        c = sug_store.counts(self.qapp.ws.db)
        self.query_one("#status", Static).update(
            _(
                "{pending} to review · {accepted} accepted · {rejected} rejected — r runs "
                "suggestions over the study"
            ).format(
                pending=c.get("pending", 0),
                accepted=c.get("accepted", 0),
                rejected=c.get("rejected", 0),
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers accept / reject / edit only while there is something to review."""
        if action in ("accept", "reject", "reject_other", "edit_span", "open", "accept_all"):
            return bool(self.items)
        if action == "nothing_to_review":
            return not self.items
        return True

    def action_nothing_to_review(self) -> None:
        """a / x / o / e / A / Enter pressed on an empty queue: say so, as `current()` does."""
        self.current()

    def current(self) -> sug_store.Suggestion | None:
        if not self.items:
            self.notify(_("the queue is empty: press r to look for suggestions"),
                        severity="warning")  # fmt: skip
            return None
        return self.items[min(self.query_one(DataTable).cursor_row, len(self.items) - 1)]

    def action_back(self) -> None:
        self.workers.cancel_group(self, "suggest")
        self.qapp.save_layers()
        super().action_back()

    def action_run(self) -> None:
        if not len(load_codebook(self.qapp.ws.db)):  # the worker would fail inside numpy
            path = self.qapp.ws.study.relative(self.qapp.ws.study.codebook_path)
            self.notify(_("the study has no codebook yet: put one at {path}").format(path=path),
                        severity="warning")  # fmt: skip
            return
        self.query_one("#status", Static).update(_("looking for passages… (Esc cancels)"))
        bar = self.query_one(ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self.suggest()

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def suggest(self) -> int:
        worker = get_current_worker()
        ws = self.qapp.ws.reopen()
        try:
            total = sug_store.segment_count(ws.db) or 1
            return autocode.suggest(
                ws.db, load_codebook(ws.db), speaker_map=load_speaker_map(ws.study.root),
                progress=lambda n: self.app.call_from_thread(self._progress, n / total),
                should_stop=lambda: worker.is_cancelled,
            )  # fmt: skip
        finally:
            ws.close()

    def _progress(self, fraction: float) -> None:
        self.query_one(ProgressBar).update(progress=fraction)

    @on(Worker.StateChanged)
    def done(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.query_one(ProgressBar).display = False
        if event.state == WorkerState.SUCCESS:
            n = int(event.worker.result or 0)
            self.notify(
                ngettext(
                    "{n} suggestion new or refreshed", "{n} suggestions new or refreshed", n
                ).format(n=n)
            )
            self.reload()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            # our errors are said in the interface language already; anything else is Python's
            # own (English) text, so it is at least framed in the coder's language
            self.notify(str(error) if isinstance(error, QualtoolError) else
                        _("auto-coding stopped on an unexpected error: {error}").format(error=error),
                        severity="error")  # fmt: skip
            self.show_counts()  # not «looking for passages…» forever
        elif event.state == WorkerState.CANCELLED:
            self.notify(_("auto-coding cancelled: what it had found so far is in the queue"))
            self.reload()

    def _decide(self, fn, *args, message: str) -> None:  # type: ignore[no-untyped-def]
        try:
            fn(*args)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(message)
        self.qapp.save_layers(after_change=True)
        self.reload()

    def after_history(self) -> None:
        """An accept undone here is back in the queue, its coding gone (as `qualtool undo`)."""
        self.reload()

    def action_accept(self) -> None:
        s = self.current()
        if s:
            self._decide(autocode.accept, self.qapp.ws, s.id, self.qapp.coder,
                         message=_("coded {code}").format(code=s.code_id))  # fmt: skip

    def action_reject(self) -> None:
        s = self.current()
        if s:
            self._decide(autocode.reject, self.qapp.ws, s.id, self.qapp.coder,
                         message=_("rejected {code}").format(code=s.code_id))  # fmt: skip

    def action_reject_other(self) -> None:
        """«Another code»: the coder picks the code that fits these words instead; the
        suggestion is rejected and the words coded with it, one ctrl+z (`review.reject_for`)."""
        s = self.current()
        if s is None:
            return

        def picked(codes: list[str] | None) -> None:
            if codes:
                self._decide(review.reject_for, self.qapp.ws, s.id, self.qapp.coder, codes[0],
                             message=_("rejected {code}, coded {other} instead").format(
                                 code=s.code_id, other=codes[0]))  # fmt: skip

        title = _("Instead of {code}").format(code=s.code_id)
        self.app.push_screen(CodePicker(load_codebook(self.qapp.ws.db), title, multi=False),
                             picked)  # fmt: skip

    def action_accept_all(self) -> None:
        """`qualtool suggest accept-all` at its default threshold, which the TUI lacked: asked
        first, with how many and from what score; one ctrl+z takes them all back."""
        score = autocode.DEFAULT_ACCEPT
        waiting = len(sug_store.queue(self.qapp.ws.db, min_score=score, limit=1_000_000))
        if not waiting:
            self.notify(_("no pending suggestion scores {score:.0%} or more: review them one by "
                          "one").format(score=score), severity="warning")  # fmt: skip
            return
        question = ngettext(
            "Code {n} pending suggestion scoring {score:.0%} or more without review?",
            "Code {n} pending suggestions scoring {score:.0%} or more without review?",
            waiting,
        ).format(n=waiting, score=score)

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(autocode.accept_all, self.qapp.ws, self.qapp.coder, score,
                             message=_("accepted {n} suggestion(s)").format(n=waiting))  # fmt: skip

        self.app.push_screen(Confirm(question + " " + _("(ctrl+z undoes)")), answered)

    def action_edit_span(self) -> None:
        s = self.current()
        if s is None:
            return
        ed = self.query_one(Selector)
        ed.load_text(s.text)
        start, end = review.current_span(s) or (0, len(s.text))  # the text may be edited since
        ed.selection = ((0, start), (0, end))  # type: ignore[assignment]
        ed.add_class("visible")
        ed.focus()
        self.query_one("#status", Static).update(
            _("adjust the selection, Enter accepts, Esc cancels")
        )

    def action_close_selector(self) -> None:
        self.query_one(Selector).remove_class("visible")
        self.query_one(DataTable).focus()
        self.show_counts()  # the «adjust the selection» hint no longer applies

    def action_apply_selection(self) -> None:
        s = self.current()
        ed = self.query_one(Selector)
        (_r1, a), (_r2, b) = sorted([ed.selection.start, ed.selection.end])
        self.action_close_selector()
        if s is None:
            return
        if b <= a:
            self.notify(_("select some words first"), severity="warning")
            return
        self._decide(autocode.accept, self.qapp.ws, s.id, self.qapp.coder, (a, b),
                     message=_("coded {code} on the edited span").format(code=s.code_id))  # fmt: skip

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        s = self.current()
        if s:
            self.app.push_screen(TranscriptScreen(s.recording, s.segment_id))
