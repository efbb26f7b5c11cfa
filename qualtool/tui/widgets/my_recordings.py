"""«My recordings» on the dashboard: the transcripts given to this coder (codings/assignments.yml),
who gave each, whether it is assigned, started or done, and the turns coded of all. A coder who
lives in the TUI for days opens the study here and goes on with Enter; hidden when nothing is
given to them, so a study without assignments looks as before."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from qualtool.i18n import N_, _
from qualtool.team.assignments import Mine
from qualtool.tui.keys import translate_bindings
from qualtool.tui.widgets.fit import clip

COLUMNS = (N_("key"), N_("state"), N_("turns coded"), N_("assigned by"))
WIDTHS = (12, 10, 14)  # «assigned by» takes what is left; «начата», «12 / 140»
PADDING = 2  # a DataTable cell's padding, left and right
ROWS = 5  # at most this many rows in view (it scrolls): the recordings stay in sight at 30 lines


class MyRecordings(DataTable[str]):
    """A table of the coder's assignments; its row keys are the recordings' keys. d marks the
    one under the cursor done (or open again): a coder who lives in the TUI had to leave it for
    `qualtool done KEY`."""

    BINDINGS = [Binding("d", "screen.mark_done", "Done / reopen", id="mark_done")]

    def __init__(self) -> None:
        super().__init__(id="mine", cursor_type="row", zebra_stripes=True)
        translate_bindings(self)
        self.border_title = _("My recordings")
        self.items: dict[str, Mine] = {}

    def on_mount(self) -> None:
        for name, width in zip(COLUMNS, (*WIDTHS, self.rest()), strict=True):
            self.add_column(clip(_(name), width), width=width, key=name)

    def rest(self) -> int:
        """The width «assigned by» gets at this terminal's width."""
        inner = (self.size.width or self.app.size.width) - 2
        return max(inner - sum(WIDTHS) - PADDING * len(COLUMNS) - 2, 8)

    def show(self, items: list[Mine]) -> None:
        """Fill the table with `items`, the cursor kept on its row; hidden when empty."""
        row = self.cursor_row
        self.clear()
        self.items = {m.recording: m for m in items}
        rest = self.rest()
        column = self.columns.get("assigned by")  # type: ignore[call-overload]
        if column is not None:
            column.width = rest
            column.label = Text(clip(_("assigned by"), rest))
        for m in items:
            turns = f"{m.coded} / {m.turns}" if m.turns else _("no transcript")
            cells = (m.recording, _(m.state), turns, m.by or "—")
            widths = (*WIDTHS, rest)
            self.add_row(*(clip(c, w) for c, w in zip(cells, widths, strict=True)),
                         key=m.recording)  # fmt: skip
        self.styles.height = min(len(items), ROWS) + 3  # header and the border
        self.display = bool(items)
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1))

    def selected(self) -> str | None:
        """The recording under the cursor, if any."""
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
