"""Recordings with their metadata and transcription state, and under them «My recordings» (the
transcripts given to this coder, `widgets/my_recordings.py`): filter, sort, import, open a
transcript; t / a / R / Esc run and cancel the transcription queue (`transcribing.py`); n renames
a recording (`recording_rename.py`); ctrl+z / ctrl+y undo and redo through the study's history."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static

from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.reporting import coding_progress
from qualtool.team import assignments
from qualtool.tui import first_steps, place
from qualtool.tui.screens.importer import ImportScreen
from qualtool.tui.screens.recording_rename import ask_rename
from qualtool.tui.screens.transcribing import TranscribingScreen
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.fit import clip
from qualtool.tui.widgets.my_recordings import MyRecordings

COLUMNS = (N_("key"), N_("method"), N_("service"), N_("region"), N_("lang"), N_("length"),
           N_("transcript"), N_("coded"))  # fmt: skip
# each header fits its column in English and Russian; "coded" takes what is left of the table
WIDTHS = (7, 6, 11, 6, 4, 8, 12)  # «done · 12 seg»; at 80 columns «coded» keeps 6 or more
PADDING = 2  # a DataTable cell's padding, left and right
SCROLLBAR = 2  # the table's vertical scrollbar, once the rows overflow
STATES = (N_("pending"), N_("running"), N_("failed"), N_("done"))  # transcript statuses shown
SORTS = ("key", "method", "service", "region", "transcript", "coded")


class DashboardScreen(TranscribingScreen):
    HELP_TITLE = N_("Recordings")
    AUTO_FOCUS = "#recordings"
    BINDINGS = [
        Binding("enter", "open", "Review", id="open", priority=True),
        Binding("t", "transcribe", "Transcribe", id="transcribe"),
        Binding("a", "transcribe_all", "Transcribe all", id="transcribe_all"),
        Binding("R", "restart", "Again", id="restart"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("i", "import", "Import", id="import"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("o", "sort", "Sort", id="sort"),
        Binding("n", "rename", "Rename", id="rename", show=False),  # rare: F1 and the palette
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
        Binding("ctrl+z", "undo", "Undo", id="undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="redo", show=False),
    ]
    sort_by = "key"
    filter_text = ""
    _said = ""  # the assignments file's problem, said once

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("filter: key, service, region, method… (Enter keeps, Esc clears)"),
                    id="filter")  # fmt: skip
        yield DataTable(id="recordings", cursor_type="row", zebra_stripes=True)
        yield MyRecordings()  # after the list: `query_one(DataTable)` still finds the recordings
        yield ProgressBar(id="progress", total=1.0, show_eta=False)
        yield Static("", id="status")
        yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#recordings", DataTable)
        for name, width in zip(COLUMNS, (*WIDTHS, self.coded_width()), strict=True):
            table.add_column(clip(_(name), width), width=width, key=name)
        self.query_one(ProgressBar).display = False
        self.refresh_table()
        self.show_hint()
        self.resume()

    def resume(self) -> None:
        """The cursor on the recording this coder had open last (`place`), in «My recordings»
        when it is theirs: Enter goes on where they stopped; else on their own first."""
        table, mine = self.query_one("#recordings", DataTable), self.query_one(MyRecordings)
        last = place.last(self.qapp.ws.study, self.qapp.coder, [str(k.value) for k in table.rows])
        if last is not None and last in mine.rows:
            mine.move_cursor(row=mine.get_row_index(last))
        elif last is not None:
            table.move_cursor(row=table.get_row_index(last))
            table.focus()
            return
        if mine.display:
            mine.focus()

    def show_hint(self) -> None:
        """A newcomer's first minute: which keys lead to a first coded quote."""
        hint = self.query_one("#hint", Static)
        db = self.qapp.ws.db
        has_text = any(st["status"] == "done" for st in tr_store.transcript_states(db).values())
        hint.display = not first_steps.done(self.qapp.ws.study.root)
        if has_text:
            hint.update(_("First coding: Enter opens a transcript · c selects words · "
                          "shift+arrows widen · Enter picks a code · F1 help"))  # fmt: skip
        else:
            hint.update(_("First step: t transcribes the selected recording, i imports one · "
                          "F1 help"))  # fmt: skip

    def coded_width(self, rows: int = 0) -> int:
        """What the fixed columns leave to «coded» at this terminal width, so that its header
        and cells end inside the table (at 80 columns «кодир.» used to be cut off); the
        scrollbar is left room for when the rows overflow."""
        table = self.query_one("#recordings", DataTable)
        inner = table.size.width or self.app.size.width - 2
        scroll = SCROLLBAR if rows > max(table.size.height - 1, 0) else 0
        return max(inner - sum(WIDTHS) - PADDING * len(COLUMNS) - scroll, 1)

    def on_resize(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        panel = self.query_one(MyRecordings)
        try:
            given = assignments.mine(self.qapp.ws, self.qapp.coder)
        except QualtoolError as exc:  # a hand-edited line: said, and the recordings still open
            given = []
            if str(exc) != self._said:
                self._said = str(exc)
                self.notify(str(exc), severity="error", timeout=10)
        panel.show(given)
        table = self.query_one("#recordings", DataTable)
        if panel.has_focus and not panel.display:  # ctrl+o to a coder given nothing
            table.focus()
        row = table.cursor_row
        table.clear()
        db = self.qapp.ws.db
        states = tr_store.transcript_states(db)
        progress = coding_progress(db)
        queued = {k for k, _r in self.queue}
        rows = []
        for r in rec_store.list_recordings(db):
            st = states.get(r.id or -1)
            if r.key == self.running:
                pct = (self.last.fraction if self.last else (st or {}).get("progress", 0)) or 0
                status = _("▶ {pct}%").format(pct=f"{pct * 100:.0f}")
            elif r.key in queued:
                status = _("queued")
            elif st is None:
                status = "—"
            elif st["status"] == "done":
                status = _("done · {n} seg").format(n=st["segments"])
            else:
                status = f"{_(st['status'])} {st['progress'] * 100:.0f}%"
            shares = progress.get(r.key, {})
            mine = [f"{shares[self.qapp.coder]:.0%}"] if self.qapp.coder in shares else []
            coded = " ".join(mine + [f"{c}:{pct:.0%}" for c, pct in shares.items()
                                     if c != self.qapp.coder])  # fmt: skip
            values = (r.key, r.method.short, r.service or "", r.region or "", r.language.label,
                      format_timestamp(r.duration), status, coded or "—")  # fmt: skip
            if self.filter_text and self.filter_text.lower() not in " ".join(values).lower():
                continue
            rows.append(values)
        rows.sort(key=lambda v: (v[COLUMNS.index(self.sort_by)], v[0]))
        width = self.coded_width(len(rows))
        column = table.columns.get("coded")  # type: ignore[call-overload]
        if column is not None:
            column.width = width
            column.label = Text(clip(_("coded"), width))
        for values in rows:
            cells = [clip(v, w) for v, w in zip(values, (*WIDTHS, width), strict=True)]
            table.add_row(*cells, key=values[0])
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def selected_key(self) -> str | None:
        """The recording under the cursor — in «My recordings» when that has the keys; none:
        said, and None."""
        mine = self.query_one(MyRecordings)
        if mine.has_focus and (key := mine.selected()) is not None:
            return key
        table = self.query_one("#recordings", DataTable)
        if not table.row_count:
            self.notify(_("no recording selected"), severity="warning")
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_mark_done(self) -> None:
        """d in «My recordings»: the recording under the cursor done, or open again."""
        mine = self.query_one(MyRecordings)
        item = mine.items.get(mine.selected() or "")
        if item is None:
            return
        try:
            assignments.assign(self.qapp.ws, item.recording, self.qapp.coder, done=not item.done)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_table()
        if item.done:
            self.notify(_("{key}: open again").format(key=item.recording))
        else:
            self.notify(_("{key}: done — what you left uncoded counts as «nothing here» in "
                          "agreement (d opens it again)").format(key=item.recording))  # fmt: skip

    def action_refresh(self) -> None:
        self.refresh_table()

    def action_open(self) -> None:
        if self.query_one("#filter", Input).has_focus:
            # Enter in the filter keeps it (the hint says so); this binding has priority, so it
            # sees the key before the box does and used to open the row under the cursor
            self.filter_done()
            return
        key = self.selected_key()
        if key is None:
            return

        try:
            rec = rec_store.get_recording(self.qapp.ws.db, key)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        t = tr_store.get_transcript(self.qapp.ws.db, rec.id or 0, with_segments=False)
        if t is None:
            self.notify(_("{key} has no transcript yet: press t to transcribe").format(key=key),
                        severity="warning")  # fmt: skip
            return
        self.app.push_screen(TranscriptScreen(rec.key))

    def reload(self) -> None:
        self.refresh_table()
        self.show_hint()

    def after_history(self) -> None:
        self.reload()

    def action_rename(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        if key == self.running or any(k == key for k, _r in self.queue):
            # the worker writes its transcript under the key it started with
            self.notify(_("{key} is being transcribed: rename it when it is done (Esc cancels "
                          "the transcription)").format(key=key), severity="warning")  # fmt: skip
            return
        ask_rename(self, self.qapp.ws, key, lambda done: self.show_row(done.new))

    def show_row(self, key: str) -> None:
        """The list again, the cursor on recording `key` (a renamed one moves when sorted)."""
        self.reload()
        table = self.query_one("#recordings", DataTable)
        if key in table.rows:
            table.move_cursor(row=table.get_row_index(key))

    def on_screen_resume(self) -> None:
        self.reload()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self.refresh_table()
        self.notify(_("sorted by {column}").format(column=_(self.sort_by)))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.refresh_table()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#recordings", DataTable).focus()

    def action_cancel(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.has_class("visible"):
            self.cancel_queue()
            return
        box.value = ""
        box.remove_class("visible")
        self.query_one("#recordings", DataTable).focus()

    def action_import(self) -> None:

        def done(key: str | None) -> None:
            if key:
                self.refresh_table()
                self.notify(_("imported {key}: press t to transcribe it").format(key=key))

        self.app.push_screen(ImportScreen(), done)
