"""Review what anonymisation will replace: every finding with its context and type; accept
(a), reject (x: keep it as spoken), always allow the word (w: study allow-list), add a span the
detector missed (n: type its words); ctrl+z / ctrl+y undo and redo a decision. Decisions go to
privacy/decisions.yml; `qualtool anonymise --apply` uses them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import N_, _
from qualtool.privacy import allow, review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.store import privacy as privacy_store
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.widgets.prompt import Prompt

_STYLE = {"pending": "yellow", "accept": "green", "reject": "dim", "add": "cyan"}
# the stored values (person, pending…) are the CLI's words; the screen says them in the
# viewer's language
_STATUS = {"pending": N_("pending"), "accept": N_("accepted"), "reject": N_("rejected"),
           "add": N_("added")}  # fmt: skip
_KIND = {"person": N_("name"), "phone": N_("phone"), "iin": N_("IIN"), "email": N_("e-mail"),
         "address": N_("address")}  # fmt: skip


class AnonymiseScreen(StudyScreen):
    HELP_TITLE = N_("Anonymise")
    AUTO_FOCUS = "#findings"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "decide('accept')", "Accept"),
        Binding("x", "decide('reject')", "Reject"),
        Binding("w", "allow", "Always allow"),
        Binding("n", "add", "Add span"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[review.Finding] = []
        self.pseud: Pseudonymiser | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="findings", cursor_type="row")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        for name, width in ((N_("where"), 10), (N_("type"), 8), (N_("status"), 9)):
            t.add_column(_(name), width=width)
        t.add_column(_("context"))
        try:
            vault = study_vault(self.qapp.ws)
            self.pseud = Pseudonymiser(vault.secret, vault.numbers)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
        self.reload()

    def reload(self) -> None:
        t = self.query_one(DataTable)
        row = t.cursor_row
        t.clear()
        if self.pseud is None:
            self.items = []
            return
        try:
            self.items = review.segment_findings(self.qapp.ws, self.pseud)
        except QualtoolError as exc:  # a broken privacy/decisions.yml: say so, keep the app
            self.items = []
            self.notify(str(exc), severity="error")
            return
        for f in self.items:
            ctx = Text(f.context)
            kind, status = f.entity.kind.value, f.status
            t.add_row(f.where, _(_KIND.get(kind, kind)),
                      Text(_(_STATUS.get(status, status)), style=_STYLE[status]), ctx,
                      key=f"{f.where}:{f.entity.start}:{f.entity.end}")  # fmt: skip
        if t.row_count:
            t.move_cursor(row=min(max(row, 0), t.row_count - 1))
        pending = sum(1 for f in self.items if f.status == "pending")
        self.query_one("#status", Static).update(
            _("{n} finding(s), {p} not reviewed (replaced unless rejected) — "
              "`qualtool anonymise --apply` replaces them").format(n=len(self.items), p=pending))  # fmt: skip

    def after_history(self) -> None:
        self.reload()

    def current(self) -> review.Finding | None:
        if not self.items:
            self.notify(_("nothing found to review"), severity="warning")
            return None
        return self.items[min(self.query_one(DataTable).cursor_row, len(self.items) - 1)]

    def action_decide(self, decision: str) -> None:
        f = self.current()
        if f is None or self.pseud is None:
            return
        review.decide(self.qapp.ws, f, decision)
        self.reload()

    def action_allow(self) -> None:
        f = self.current()
        if f is None:
            return
        allow.add(self.qapp.ws.study.root, f.entity.text)
        self.notify(_("«{w}» added to privacy/allow.yml").format(w=f.entity.text))
        self.reload()

    def action_add(self) -> None:
        f = self.current()
        if f is None or self.pseud is None:
            return
        texts = {s["id"]: s["text"] for s in privacy_store.segments(self.qapp.ws.db)}
        text = texts.get(f.segment_id, "")

        def done(value: str | None) -> None:
            if not value or self.pseud is None:
                return
            try:
                n = review.add_typed(self.qapp.ws, f.recording, f.idx, text, value)
            except QualtoolError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(_("{n} span(s) added for replacement").format(n=n))
            self.reload()

        self.app.push_screen(Prompt(_("Words to replace in {w} (or START:END[:KIND]):\n{t}").format(
            w=f.where, t=text[:600])), done)  # fmt: skip
