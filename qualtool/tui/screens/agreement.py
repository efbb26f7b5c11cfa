"""Inter-coder agreement per code, and the disagreements to adjudicate into consensus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import N_, _
from qualtool.i18n.numbers import decimal
from qualtool.team import agreement as agr
from qualtool.team import assignments
from qualtool.tui.screens.base import StudyScreen

if TYPE_CHECKING:
    pass

UNITS = tuple(agr.Unit)
ALL_CODES = N_("(all codes)")  # the overall row of the agreement report
UNIT_NAMES = (N_("segment"), N_("sentence"), N_("overlap"))


def fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"
    return decimal(100 * x, 1) if pct else decimal(x, 2)  # «0,42» in Russian


class AgreementScreen(StudyScreen):
    HELP_TITLE = N_("Intercoder agreement")
    AUTO_FOCUS = "#scores"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("u", "unit", "Unit"),
        Binding("tab", "switch", "Table ⇄ disagreements"),
        Binding("y", "adjudicate(True)", "Applies"),
        Binding("n", "adjudicate(False)", "Does not apply"),
        Binding("c", "consensus", "Consensus of agreed"),
        # a ruling and «copy agreed» are journaled like every edit: ctrl+z did nothing here
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False),
        # y / n with no disagreement open (hidden then): a word instead of silence
        Binding("y,n", "nothing_to_rule", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unit = agr.Unit.SEGMENT
        self.items: list[agr.Disagreement] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="scores", cursor_type="row")
        yield Static("", id="status")
        yield DataTable(id="disagreements", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        s = self.query_one("#scores", DataTable)
        s.add_columns(_("code"), _("units"), _("% agree"), "κ", "α", _("applied"))
        d = self.query_one("#disagreements", DataTable)
        d.add_column(_("where"), width=10)
        d.add_column(_("code"), width=18)
        d.add_column(_("yes / no"), width=18)
        d.add_column(_("passage"))
        self.reload()

    def reload(self) -> None:
        db = self.qapp.ws.db
        s = self.query_one("#scores", DataTable)
        s.clear()
        try:
            done = assignments.finished(self.qapp.ws)  # done: the whole transcript was judged
            rep = agr.agreement(db, unit=self.unit, finished=done)
            self.items = agr.disagreements(db, finished=done)
        except QualtoolError as exc:
            self.query_one("#status", Static).update(str(exc))
            return
        for sc in [*rep.per_code, rep.overall]:
            s.add_row(_(sc.code_id) if sc.code_id == ALL_CODES else sc.code_id, sc.units, fmt(sc.percent, True), fmt(sc.kappa), fmt(sc.alpha),
                      " ".join(f"{c}:{n}" for c, n in sc.applied.items()))  # fmt: skip
        d = self.query_one("#disagreements", DataTable)
        row = d.cursor_row
        d.clear()
        for x in self.items:
            passage = Text()
            for coder, a, b in x.spans:
                passage.append(f"{coder}: ", style="bold")
                passage.append(f"«{x.text[a:b]}»  ")
            d.add_row(f"{x.recording}#{x.idx}", x.code_id,
                      f"{','.join(x.with_code)} / {','.join(x.without)}", passage,
                      height=None)  # fmt: skip
        if d.row_count:
            d.move_cursor(row=min(max(row, 0), d.row_count - 1))
        self.refresh_bindings()
        basis = "; ".join(f"{k}: {rep.basis_line(k)}" for k in rep.transcripts)
        self.query_one("#status", Static).update(
            _(
                "coders: {coders} · unit: {unit} (u) · {n} open disagreement(s): y applies, n does "
                "not (into consensus)"
            ).format(coders=", ".join(rep.coders), unit=_(str(self.unit)), n=len(self.items))
            + "\n"
            + _("in the figure: {basis}").format(basis=basis or "—")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """y / n appear in the footer only while disagreements are open."""
        if action == "adjudicate":
            return bool(self.items)
        if action == "nothing_to_rule":
            return not self.items
        return True

    def action_nothing_to_rule(self) -> None:
        self.notify(_("no open disagreements"), severity="information")

    def after_history(self) -> None:
        """An undone ruling is an open disagreement again (the history wrote the files)."""
        self.reload()

    def action_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.reload()

    def action_switch(self) -> None:
        d = self.query_one("#disagreements", DataTable)
        (self.query_one("#scores", DataTable) if d.has_focus else d).focus()

    def action_adjudicate(self, present: bool) -> None:
        if not self.items:
            self.notify(_("no open disagreements"), severity="information")
            return
        x = self.items[min(self.query_one("#disagreements", DataTable).cursor_row,
                           len(self.items) - 1)]  # fmt: skip
        try:
            agr.adjudicate(self.qapp.ws, x.segment_id, x.code_id, present, self.qapp.coder)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{x.code_id}: " + (_("into consensus") if present else _("ruled out")))
        self.qapp.save_layers()
        self.reload()

    def action_consensus(self) -> None:
        try:
            n = agr.build_consensus(self.qapp.ws, by=self.qapp.coder,
                                    finished=assignments.finished(self.qapp.ws))  # fmt: skip
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(_("{n} agreed coding(s) copied into the consensus layer").format(n=n))
        self.qapp.save_layers()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()
