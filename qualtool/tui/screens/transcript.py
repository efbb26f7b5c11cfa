"""One transcript: review (edit text and speakers, split/merge, flags, playback) and coding
(select words, apply codes from the picker, see coded spans in code colours, remove/recode,
key quotes, memos) with per-coder layers. Every change is saved at once and undoable.

This module is the screen itself: the segment table with its margin stripes, the codings panel
beside it, and saving after a change. The actions live in two mixins: reviewing the transcript
(transcript_review.py) and coding it (transcript_coding.py)."""

from __future__ import annotations

import subprocess

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from qualtool.domain import Coding, Recording, Segment
from qualtool.domain.errors import QualtoolError
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import coding_counts, load_codebook
from qualtool.store.codings import codings_for_transcript
from qualtool.team import agreement as agr
from qualtool.team import assignments
from qualtool.tui import place
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.transcript_coding import CodingActions, Selector
from qualtool.tui.screens.transcript_review import FIRST_ROWS, ReviewActions
from qualtool.tui.widgets.fit import clip
from qualtool.tui.widgets.picker import code_details
from qualtool.tui.widgets.segment_text import STRIPES, render_text, stripes, wrapped_lines
from qualtool.workspace.transcripts import write_outputs

# a coding in the side panel: its quote cut (with «…») to about this many lines of the panel
QUOTE_LINES = 3
MIN_QUOTE = 20

CHUNK_ROWS = 250
MINE_ACTIONS = ("remove_coding", "recode", "key_quote", "memo")  # on the coder's own coding


class TranscriptScreen(ReviewActions, CodingActions, StudyScreen):
    HELP_TITLE = N_("Transcript")
    AUTO_FOCUS = "#segments"
    BINDINGS = [  # footer order: what a coder needs most first; coding keys only when they apply
        Binding("c", "select_words", "Code", id="code"),
        Binding("delete,d", "remove_coding", "Uncode", key_display="d"),
        Binding("r", "recode", "Recode"),
        Binding("k", "key_quote", "Key quote"),
        Binding("M", "memo", "Memo"),
        Binding("tab", "focus_codings", "Codings", show=False),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("e", "edit_text", "Edit", id="edit_text"),
        Binding("s", "edit_speaker", "Speaker", id="edit_speaker"),
        Binding("space", "play", "Play", id="play"),
        Binding("i", "toggle_interviewer", "Interviewer?", show=False, id="toggle_interviewer"),
        Binding("x", "split", "Split", id="split"),
        Binding("m", "merge", "Merge↓", id="merge"),
        Binding("n", "next_flag", "Next flag", id="next_flag"),
        Binding("p", "prev_flag", "Prev flag", show=False, id="prev_flag"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False, id="redo"),
        Binding("l", "layer", "Layer", id="layer"),
        Binding("escape", "back", "Back", id="back"),
        Binding("f8", "quotes_of_coding", "Quotes of this code", show=False, id="quotes_of_coding"),
    ]

    def __init__(self, key: str, segment_id: int | None = None) -> None:
        super().__init__()
        self.key = key
        self.jump_to = segment_id
        self.segments: list[Segment] = []
        self.codings: dict[int, list[Coding]] = {}
        self.coding_layer = "mine"
        self.disputed: set[tuple[int, str]] = set()  # open disagreements, for that layer
        self.editing: tuple[str, int] | None = None
        self.player: subprocess.Popen[bytes] | None = None
        self.filled = 0
        self._width = 0
        self.side_pick: int | None = None  # the coding highlighted in the side panel

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield DataTable(id="segments", cursor_type="row")
            with Vertical(id="side"):
                yield Static("", id="side-title")
                yield OptionList(id="side-codings")
                yield Static("", id="side-details")
        yield Selector("", id="selector", read_only=True, soft_wrap=True, show_line_numbers=False)
        yield Static("", id="status")
        yield Input(id="editor", select_on_focus=False)  # selected, the 1st key replaced it all
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#segments", DataTable)
        table.add_column(_("time"), width=8)
        table.add_column(_("who"), width=4)
        table.add_column(_("text"), width=self.text_width(), key="text")
        table.add_column("", width=STRIPES, key="stripes")
        table.add_column("⚑", width=1)
        self.cb = load_codebook(self.qapp.ws.db)
        self.reload()
        if self.jump_to is None:  # where this coder stopped in it, yesterday or before
            at = place.turn(self.qapp.ws.study, self.qapp.coder, self.key)
            self.jump_to = next((s.id for s in self.segments if s.idx == at), None)
        if self.jump_to is not None:
            ids = [s.id for s in self.segments]
            if self.jump_to in ids:
                self.fill(ids.index(self.jump_to) + FIRST_ROWS)
                table.move_cursor(row=ids.index(self.jump_to))
        self._show_title(rec_store.get_recording(self.qapp.ws.db, self.key))

    def _show_title(self, rec: Recording) -> None:
        """The recording's key and counts above the table (again after a pulled rename)."""
        flagged = sum(1 for s in self.segments if s.flags)
        self.sub_title = _("{key} · {method} · {n} segments, {flagged} flagged").format(
            key=rec.key, method=rec.method.label, n=len(self.segments), flagged=flagged
        )

    def text_width(self) -> int:
        """The text column fills the table so long segments wrap instead of scrolling."""
        table_width = self.query_one("#segments", DataTable).size.width or int(
            self.app.size.width * 0.6
        )
        return max(20, table_width - 8 - 4 - 1 - 8 - STRIPES - 2)

    def side_width(self) -> int:
        """Characters per line in the codings panel (about 28 at 80 columns)."""
        ol = self.query_one("#side-codings", OptionList)
        return ol.scrollable_content_region.width or max(self.app.size.width * 38 // 100 - 4, 20)

    def on_resize(self) -> None:
        width = self.text_width()
        if width != self._width:
            column = self.query_one("#segments", DataTable).columns.get("text")  # type: ignore[call-overload]
            if column is not None:
                column.width = width
            self.reload()

    # ---- data ---------------------------------------------------------------------------------

    def layer_codings(self, codings: list[Coding]) -> list[Coding]:
        if self.coding_layer == "mine":
            return [c for c in codings if c.coder_id == self.qapp.coder]
        if self.coding_layer == "disagreements":
            return [c for c in codings if (c.segment_id, c.code_id) in self.disputed]
        return codings

    def open_disagreements(self) -> set[tuple[int, str]]:
        """(segment, code) pairs the agreement service calls open disagreements: only where two
        coders judged the segment (done, or inside their coded stretch) — a colleague who coded
        one segment does not make every other coding here a disagreement."""
        if self.coding_layer != "disagreements":
            return set()
        try:
            found = agr.disagreements(self.qapp.ws.db,
                                      finished=assignments.finished(self.qapp.ws))  # fmt: skip
        except QualtoolError:  # fewer than two coders: nothing to disagree about
            return set()
        return {(d.segment_id, d.code_id) for d in found if d.recording == self.key}

    def reload(self) -> None:
        db = self.qapp.ws.db
        renamed = rec_store.renamed_to(db, self.key)  # a pull renamed it under this screen
        self.key = renamed or self.key
        rec = rec_store.get_recording(db, self.key)
        t = tr_store.get_transcript(db, rec.id or 0)
        self.segments = list(t.segments) if t else []
        if renamed:
            self._show_title(rec)
        self.codings = {}
        for c in codings_for_transcript(db, t.id or 0) if t else []:
            self.codings.setdefault(c.segment_id, []).append(c)
        self.disputed = self.open_disagreements()
        table = self.query_one("#segments", DataTable)
        row = table.cursor_row
        table.clear()
        self.filled = 0
        self._width = self.text_width()
        self.fill(max(FIRST_ROWS, row + FIRST_ROWS))  # what the coder sees now
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self.update_side()
        if self.filled < len(self.segments):
            self.set_timer(0.01, self.fill_rest)  # the rest while the coder reads

    def fill(self, upto: int) -> None:
        """Add table rows up to `upto` (long transcripts fill in the background)."""
        table = self.query_one("#segments", DataTable)
        for s in self.segments[self.filled : upto]:
            shown = self.layer_codings(self.codings.get(s.id or 0, []))
            text = render_text(s, shown, self.cb)
            height = wrapped_lines(text.plain, self._width)
            table.add_row(format_timestamp(s.start), s.speaker or "?", text,
                          stripes(shown, self.cb, height), "⚑" if s.flags else "", key=str(s.id),
                          height=height)  # fmt: skip
        self.filled = min(max(self.filled, upto), len(self.segments))

    def fill_rest(self) -> None:
        if self.filled < len(self.segments) and self.is_mounted:
            self.fill(self.filled + CHUNK_ROWS)
            if self.filled < len(self.segments):
                self.set_timer(0.01, self.fill_rest)

    def current(self) -> Segment | None:
        if not self.segments:
            return None
        table = self.query_one("#segments", DataTable)
        return self.segments[min(table.cursor_row, len(self.segments) - 1)]

    def current_codings(self) -> list[Coding]:
        seg = self.current()
        return self.layer_codings(self.codings.get(seg.id or 0, [])) if seg else []

    def update_side(self) -> None:
        seg = self.current()
        coded = self.current_codings()
        self.query_one("#side-title", Static).update(
            Text.assemble(
                (_("Codes here"), "bold"),
                _(" · layer: {layer}").format(layer=_(self.coding_layer)),
                f" ({self.qapp.coder})" if self.coding_layer == "mine" else "",
            )
        )
        ol = self.query_one("#side-codings", OptionList)
        ol.clear_options()
        ids = [c.id for c in coded]
        for c in coded:
            t = Text("★ " if c.key_quote else "")
            t.append(f"{c.code_id} ", style=f"bold {self.cb.color_of(c.code_id)}")
            tail = f" — {c.coder_id}" if self.coding_layer != "mine" else ""
            room = QUOTE_LINES * self.side_width() - len(t.plain) - len(tail) - 2
            t.append(f"«{clip(c.quote, max(room, MIN_QUOTE))}»")
            if tail:
                t.append(tail, style="dim")
            ol.add_option(Option(t, id=str(c.id)))
        # the coding acted on (or just made) stays highlighted: M after coding wrote the memo
        # on the segment's first coding, not on the one the coder had just made
        pick = ids.index(self.side_pick) if self.side_pick in ids else 0
        if coded:
            ol.highlighted = pick
        self.show_details(coded[pick] if coded else None, seg)

    def show_details(self, c: Coding | None, seg: Segment | None) -> None:
        details = self.query_one("#side-details", Static)
        if c is None:
            hint = _("No codes on this segment. Press c, select words, Enter.") if seg else ""
            if seg and seg.flags:
                hint += "\n\n" + _("Flags: {flags}").format(flags=", ".join(seg.flags))
            details.update(hint)
            return
        counts = coding_counts(self.qapp.ws.db)
        t = (
            code_details(self.cb.get(c.code_id), counts.get(c.code_id))
            if c.code_id in self.cb
            else Text(c.code_id)
        )
        t.append("\n\n" + _("Memo: "), style="bold")
        t.append(c.memo or _("— (M to write)"))
        details.update(t)

    def selected_coding(self) -> Coding | None:
        ol = self.query_one("#side-codings", OptionList)
        coded = self.current_codings()
        if not coded:
            return None
        i = ol.highlighted if ol.highlighted is not None else 0
        return coded[min(i, len(coded) - 1)]

    @on(DataTable.RowHighlighted, "#segments")
    def row_moved(self) -> None:
        self.update_side()
        self.refresh_bindings()
        seg = self.current()
        if seg is not None:  # the next start opens here (`place`)
            place.remember(self.qapp.ws.study, self.qapp.coder, self.key, seg.idx)

    def action_quotes_of_coding(self) -> None:
        """F8 here: the quotes of the code under the cursor (the quotes screen asks otherwise)."""
        coding = self.selected_coding()
        self.qapp.pending_code = coding.code_id if coding else None
        self.qapp.action_open("code_view")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows what works now: the coding keys act on the highlighted coding of
        the segment under the cursor (no Tab needed) and are hidden when there is none."""
        if not self.is_mounted or action not in (*MINE_ACTIONS, "focus_codings"):
            return True
        c = self.selected_coding()
        return c is not None and (action == "focus_codings" or c.coder_id == self.qapp.coder)

    @on(OptionList.OptionHighlighted, "#side-codings")
    def coding_moved(self) -> None:
        coding = self.selected_coding()
        self.side_pick = coding.id if coding else None
        self.show_details(coding, self.current())

    def changed(self, message: str | None = None) -> None:
        """After any edit: refresh, keep the transcript files in step."""
        self.reload()
        self.refresh_bindings()
        try:
            write_outputs(self.qapp.ws, rec_store.get_recording(self.qapp.ws.db, self.key))
        except OSError as exc:
            self.notify(_("saved in the database, but transcripts/ is not writable: {error}")
                        .format(error=exc), severity="warning")  # fmt: skip
        self.qapp.save_layers(after_change=True)  # codings/<coder>.json follow every change
        if message:
            self.notify(message)

    def attempt(self, fn, *args, message: str | None = None):  # type: ignore[no-untyped-def]
        """Call a service; a refusal becomes a notification, never a crash."""
        try:
            result = fn(*args)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return None
        self.changed(message)
        return result

    # ---- leaving, the line editor ---------------------------------------------------------------

    def action_back(self) -> None:
        if self.editing:
            self._close_editor()
        else:
            self.qapp.save_layers()
            StudyScreen.action_back(self)

    @on(Input.Changed, "#editor")
    def keep_split_text(self, event: Input.Changed) -> None:
        """A split only places the cursor: typing would move the cut off the stored text."""
        seg = self.current() if self.editing and self.editing[0] == "split" else None
        if seg is not None and event.value != seg.text:
            event.input.value = seg.text

    @on(Input.Submitted, "#editor")
    def editor_submitted(self, event: Input.Submitted) -> None:
        self.save_edit(event.value)

    def on_unmount(self) -> None:
        self.stop_player()
