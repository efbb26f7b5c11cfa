"""Transcript review: segments with times, speakers and low-confidence words highlighted;
edit text and speakers in place (codings stay anchored), jump between flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualtool.domain import Segment
from qualtool.domain.transcript import format_timestamp
from qualtool.editing import edit_segment_text, set_speaker
from qualtool.errors import QualtoolError
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import codings_for_segment
from qualtool.transcribe.files import write_outputs
from qualtool.transcribe.postprocess import DEFAULT

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


def render_text(seg: Segment) -> Text:
    """Words Whisper was unsure of in reverse yellow: where the reviewer should listen again."""
    if not seg.words or "".join(w.text for w in seg.words).strip() != seg.text:
        return Text(seg.text)
    out = Text()
    for n, w in enumerate(seg.words):
        style = "reverse yellow" if w.probability < DEFAULT.low_word_probability else ""
        out.append(w.text.lstrip() if n == 0 else w.text, style=style)
    return out


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("e", "edit_text", "Edit text", id="edit_text"),
        Binding("s", "edit_speaker", "Speaker", id="edit_speaker"),
        Binding("n", "next_flag", "Next flag", id="next_flag"),
        Binding("p", "prev_flag", "Prev flag", id="prev_flag"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.segments: list[Segment] = []
        self.editing: tuple[str, int] | None = None  # (field, segment id)

    @property
    def qapp(self) -> QualtoolApp:
        return cast("QualtoolApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="segments", cursor_type="row")
        yield Static("", id="status")
        yield Input(id="editor")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("time", width=8)
        table.add_column("who", width=5)
        table.add_column("text")
        table.add_column("⚑", width=2)
        self.load()
        rec = rec_store.get_recording(self.qapp.ws.db, self.key)
        flagged = sum(1 for s in self.segments if s.flags)
        self.sub_title = (
            f"{rec.key} · {rec.method.label_ru} · {len(self.segments)} segments, {flagged} flagged"
        )

    def load(self) -> None:
        db = self.qapp.ws.db
        rec = rec_store.get_recording(db, self.key)
        t = tr_store.get_transcript(db, rec.id or 0)
        self.segments = list(t.segments) if t else []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for s in self.segments:
            coded = len(codings_for_segment(db, s.id or 0))
            text = render_text(s)
            if coded:
                text.append(f"  [{coded} code{'s' if coded > 1 else ''}]", style="bold cyan")
            table.add_row(format_timestamp(s.start), s.speaker or "?", text,
                          "⚑" if s.flags else "", key=str(s.id), height=None)  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def current(self) -> Segment | None:
        table = self.query_one(DataTable)
        if not self.segments:
            return None
        return self.segments[min(table.cursor_row, len(self.segments) - 1)]

    def action_back(self) -> None:
        if self.editing:
            self._close_editor()
        else:
            self.app.pop_screen()

    def _open_editor(self, field: str, value: str) -> None:
        seg = self.current()
        if seg is None:
            self.notify("no segment selected", severity="warning")
            return
        self.editing = (field, seg.id or 0)
        editor = self.query_one("#editor", Input)
        editor.value = value
        editor.add_class("visible")
        editor.focus()
        self.query_one("#status", Static).update(f"editing {field}: Enter saves, Esc cancels")

    def _close_editor(self) -> None:
        self.editing = None
        self.query_one("#editor", Input).remove_class("visible")
        self.query_one(DataTable).focus()
        self.query_one("#status", Static).update("")

    def action_edit_text(self) -> None:
        seg = self.current()
        self._open_editor("text", seg.text if seg else "")

    def action_edit_speaker(self) -> None:
        seg = self.current()
        self._open_editor("speaker", (seg.speaker or "") if seg else "")

    @on(Input.Submitted, "#editor")
    def save(self, event: Input.Submitted) -> None:
        if not self.editing:
            return
        field, segment_id = self.editing
        db = self.qapp.ws.db
        try:
            if field == "text":
                moved = edit_segment_text(db, segment_id, event.value)
                self.notify(f"saved; {moved} coding(s) kept on their words" if moved else "saved")
            else:
                set_speaker(db, segment_id, event.value)
            write_outputs(self.qapp.ws, rec_store.get_recording(db, self.key))
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self._close_editor()
        self.load()

    def _jump(self, step: int) -> None:
        table = self.query_one(DataTable)
        n = len(self.segments)
        for k in range(1, n + 1):
            i = (table.cursor_row + step * k) % n
            if self.segments[i].flags:
                table.move_cursor(row=i)
                self.query_one("#status", Static).update(", ".join(self.segments[i].flags))
                return
        self.notify("no flagged segments", severity="information")

    def action_next_flag(self) -> None:
        if self.segments:
            self._jump(1)

    def action_prev_flag(self) -> None:
        if self.segments:
            self._jump(-1)
