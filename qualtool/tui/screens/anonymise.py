"""Review what anonymisation will replace: every finding with its context and type; accept
(a), reject (x: keep it as spoken), always allow a name (w: study allow-list), add a name the
detector missed (n: type its words, in the finding's segment; g: in any text — a segment found
by RECORDING#SEGMENT or its words, a memo, a recording's notes, a speaker label); ctrl+z /
ctrl+y undo and redo a decision. Decisions go to privacy/decisions.yml; `qualtool anonymise
--apply` uses them. Below the findings, the names in the codebooks' examples and the reference
transcripts (audio/reference/*.txt) and a surname alone in a memo or a speaker label that
several of the study's people may have («check»: replaced on its own, the full name would make
it theirs — the note saying so on the row's next line, as under a patronymic alone in a
segment), then those in the recordings' metadata — interviewer (its surname alone «check» too),
participants, a key or file name made from a name and what it will be renamed to, a file outside
the study to rename by hand — as `qualtool anonymise` lists them (the same service,
`apply.numbered_plan`, and `metadata.describe`); `--apply` replaces them, there is nothing to
decide on them here."""

from __future__ import annotations

import textwrap
from pathlib import PurePosixPath

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualtool.domain.errors import QualtoolError
from qualtool.i18n import N_, _
from qualtool.privacy import decisions, lone_names, metadata, outside, outside_names, review
from qualtool.privacy.apply import numbered_plan, study_vault
from qualtool.privacy.entity import KIND_WORDS
from qualtool.privacy.plan import ApplyReport
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.privacy.vault import Vault
from qualtool.store import privacy as privacy_store
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.widgets.prompt import Prompt
from qualtool.tui.widgets.text_picker import Choice, TextPicker

_STYLE = {"pending": "yellow", "accept": "green", "reject": "dim", "add": "cyan"}
# a metadata row's status: --apply changes it, or (a file outside the study) the user must
_META_STATUS = (N_("replaced"), "cyan"), (N_("by hand"), "bold red")
# a surname alone in a memo, a label, an interviewer or a participant, a patronymic alone
# anywhere, that several people may be (`outside.Finding.note`, `review.Finding.note`,
# `metadata.Finding.note`)
_CHECK = N_("check"), "bold yellow"
# the texts outside the transcript, as the picker names them
_AREA = {"memos": N_("memo"), "notes": N_("notes of"), "speaker": N_("speaker label in")}
_FIXED = 10 + 8 + 9 + 4 * 2 + 2  # the other columns, each column's padding, the scrollbar


def noted(cell: str, note: str, room: int) -> tuple[Text, int]:
    """A row's context cell with why it is «check» (`note`: `lone_names.said`) on the lines
    below it, wrapped to the width there is, and the row's height: the reader sees which people
    it could be without pressing a key, in the segments as in the other texts."""
    text = Text(cell)
    lines = textwrap.wrap(note, room) if note else []
    for line in lines:
        text.append("\n" + line, style="yellow")
    return text, cell.count("\n") + 1 + len(lines)


def fit(context: str, room: int) -> str:
    """The context cut to `room` characters around its marked span, which always stays whole:
    at 80 columns the span was cut off at the right edge («…мой сосед ⟦ерла»), and two rows
    about different words looked the same."""
    if len(context) <= room or "⟦" not in context or "⟧" not in context:
        return context
    a, b = context.index("⟦"), context.index("⟧") + 1
    left, mid, right = context[:a], context[a:b], context[b:]
    spare = max(0, room - len(mid))
    keep_r = min(len(right), max(spare // 2, spare - len(left)))
    keep_l = min(len(left), spare - keep_r)
    cut_l, cut_r = left[len(left) - keep_l :] if keep_l else "", right[:keep_r]
    if 0 < keep_l < len(left):
        cut_l = "…" + cut_l[1:]
    if 0 < keep_r < len(right):
        cut_r = cut_r[:-1] + "…"
    return cut_l + mid + cut_r


class AnonymiseScreen(StudyScreen):
    HELP_TITLE = N_("Anonymise")
    AUTO_FOCUS = "#findings"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "decide('accept')", "Accept"),
        Binding("x", "decide('reject')", "Reject"),
        Binding("w", "allow", "Always allow"),
        Binding("n", "add", "Add span"),
        Binding("g", "add_anywhere", "Add in any text"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[review.Finding] = []
        # after the findings: the codebooks' and references' names, the recordings' metadata
        self.files: list[outside.Finding] = []
        self.meta: list[metadata.Finding] = []
        self.pseud: Pseudonymiser | None = None
        self.vault: Vault | None = None
        self._listed: tuple[tuple[object, ...], ApplyReport] | None = None  # (mark, plan)

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
            self.vault = vault = study_vault(self.qapp.ws)
            self.pseud = Pseudonymiser(vault.secret, vault.numbers)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
        self.reload()

    def reload(self, focus: str | None = None) -> None:
        """The list again; `focus`: the cursor goes to that text's first added name."""
        self.items, self.files, self.meta = [], [], []
        if self.pseud is not None:
            try:
                self.items = review.segment_findings(self.qapp.ws, self.pseud)
                self.items += outside_names.findings(self.qapp.ws)
                listed = self.listing()  # numbered as --apply will
                self.files = listed.planned.findings
                self.meta = [*listed.metadata.findings, *listed.metadata.outside]
            except QualtoolError as exc:  # a broken decisions.yml or allow.yml: said, app kept
                self.items, self.files, self.meta = [], [], []
                self.notify(str(exc), severity="error")
                self.query_one(DataTable).clear()
                return
        self.draw(focus)

    def listing(self) -> ApplyReport:
        """`--apply`'s whole plan (the names in the codebooks, the references and the
        recordings' metadata, numbered as it will): made again only when the study changed
        since the last one (`review.study_mark`), not on every reload — a decision, an undo,
        an edit elsewhere or a pulled file moves the mark."""
        mark = review.study_mark(self.qapp.ws)  # before the plan: a change while it is made
        if self._listed is None or self._listed[0] != mark:  # is seen next time
            self._listed = mark, numbered_plan(self.qapp.ws, self.vault)[1]
        return self._listed[1]

    def draw(self, focus: str | None = None) -> None:
        """The findings in the table, each context cut to the width there is."""
        t = self.query_one(DataTable)
        row = t.cursor_row
        t.clear()
        if self.pseud is None:
            return
        room = max(20, self.size.width - _FIXED)
        for f in self.items:
            kind, status = f.entity.kind.value, f.status
            word, style = _(review.STATUS_WORDS.get(status, status)), _STYLE[status]
            # a patronymic alone several people have: why, and who they are
            note = lone_names.said(f.note, f.could) if status == "pending" else ""
            if note:
                word, style = _(_CHECK[0]), _CHECK[1]
            cell, height = noted(fit(f.context, room), note, room)
            t.add_row(f.where, _(KIND_WORDS.get(f.entity.kind, kind)), Text(word, style=style),
                      cell, key=f"{f.where}:{f.entity.start}:{f.entity.end}",
                      height=height)  # fmt: skip
        for n, g in enumerate(self.files):  # the row `qualtool anonymise` prints, in columns
            word, style = _CHECK if g.note else _META_STATUS[0]
            said = lone_names.said(g.note, g.could)
            cell, height = noted(f"→ {g.replacement}  {fit(g.context, room)}", said, room)
            t.add_row(PurePosixPath(g.where).name, _(KIND_WORDS.get(g.entity.kind, g.entity.kind.value)),
                      Text(_(word), style=style), cell, key=f"file:{n}", height=height)  # fmt: skip
        for n, m in enumerate(self.meta):
            word, style = _CHECK if m.note else _META_STATUS[m.field == metadata.OUTSIDE]
            # the listing's line, its key already in «where», wrapped: its end says the new name
            line = metadata.describe(m).removeprefix(f"{m.recording}: ")
            lines = textwrap.wrap(line, room, break_on_hyphens=False)  # a key stays whole
            cell, height = noted("\n".join(lines), lone_names.said(m.note, m.could), room)
            t.add_row(m.recording, _(metadata.FIELD_WORDS[m.field]), Text(_(word), style=style),
                      cell, key=f"meta:{n}", height=height)  # fmt: skip
        there = [n for n, f in enumerate(self.items) if f.where == focus and f.status == "add"]
        if there:
            row = there[0]
        if t.row_count:
            t.move_cursor(row=min(max(row, 0), t.row_count - 1))
        pending = sum(1 for f in self.items if f.status == "pending")
        self.query_one("#status", Static).update(
            _("{n} finding(s), {p} not reviewed (replaced unless rejected), {f} in codebook "
              "examples and reference transcripts, {m} in the recordings' metadata — `qualtool "
              "anonymise --apply` replaces them").format(
                  n=len(self.items), p=pending, f=len(self.files), m=len(self.meta)))  # fmt: skip

    def after_history(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.draw()  # the contexts cut to the new width (the findings are as they were)

    def current(self) -> review.Finding | None:
        """The finding under the cursor; on a metadata row, None (nothing to decide there)."""
        if not self.items and not self.files and not self.meta:
            self.notify(_("nothing found to review"), severity="warning")
            return None
        row = self.query_one(DataTable).cursor_row
        if len(self.items) <= row < len(self.items) + len(self.files):
            g = self.files[row - len(self.items)]
            if g.note:  # a surname several may have
                self.notify(lone_names.said(g.note, g.could), severity="warning")
                return None
            self.notify(_("a name in a codebook example or a reference transcript: `qualtool "
                          "anonymise --apply` replaces it, there is nothing to decide"),
                        severity="warning")  # fmt: skip
            return None
        if row >= len(self.items):
            m = self.meta[row - len(self.items) - len(self.files)]
            if m.note:  # an interviewer several may be
                self.notify(lone_names.said(m.note, m.could), severity="warning")
                return None
            self.notify(_("a name in a recording's metadata: `qualtool anonymise --apply` "
                          "replaces it, there is nothing to decide"), severity="warning")  # fmt: skip
            return None
        return self.items[row]

    def action_decide(self, decision: str) -> None:
        f = self.current()
        if f is None or self.pseud is None:
            return
        try:
            if f.status == "add" and decision == "accept":  # it stays added
                self.notify(_("already added: `--apply` replaces it"))
                return
            if f.segment_id == 0:  # a name added outside the transcript: reject takes it back
                outside_names.remove(self.qapp.ws, f)
            else:
                review.decide(self.qapp.ws, f, decision)
        except QualtoolError as exc:  # a broken privacy/decisions.yml, a read-only study
            self.notify(str(exc), severity="error")
            return
        self.reload()

    def action_allow(self) -> None:
        f = self.current()
        if f is None:
            return
        try:
            review.allow_finding(self.qapp.ws, f)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(_("«{w}» added to privacy/allow.yml").format(w=f.entity.text))
        self.reload()

    def action_add(self) -> None:
        """In the selected finding's segment; with nothing found (or a name added outside the
        transcript selected), any text."""
        row = self.query_one(DataTable).cursor_row
        f = self.items[row] if row < len(self.items) else None  # a metadata row: any text
        if f is None or f.segment_id == 0:
            self.action_add_anywhere()
            return
        texts = {s["id"]: s["text"] for s in privacy_store.segments(self.qapp.ws.db)}
        self.ask_words(f.where, texts.get(f.segment_id, ""))

    def action_add_anywhere(self) -> None:
        """Any segment (typed RECORDING#SEGMENT, or words in it), memo, note or label."""
        if self.pseud is None:
            return
        ws = self.qapp.ws
        choices = [Choice(f"s{n}", f"{s['recording']}#{s['idx']}", s["text"])
                   for n, s in enumerate(privacy_store.segments(ws.db))]  # fmt: skip
        places = outside_names.places(ws)
        for n, p in enumerate(places):
            area = p.where.partition(":")[0]
            choices.append(Choice(f"p{n}", f"{_(_AREA[area])} {p.label}", p.text))
        picked = {c.id: c for c in choices}

        def chosen(cid: str | None) -> None:
            if not cid:
                return
            c = picked[cid]
            if cid.startswith("s"):
                self.ask_words(c.where, c.text)
            else:
                self.ask_words(places[int(cid[1:])].where, c.text)

        self.app.push_screen(TextPicker(_("Add a name in"), choices), chosen)

    def ask_words(self, where: str, text: str) -> None:
        """The words to replace in this text (a segment: RECORDING#SEGMENT; outside the
        transcript: memos, notes:RECORDING, speaker:RECORDING)."""
        outside = decisions.is_outside(where)

        def done(value: str | None) -> None:
            if not value or not value.strip() or self.pseud is None:
                return  # nothing typed: as Esc
            ws = self.qapp.ws
            try:
                if outside:
                    n = outside_names.add(ws, where, value, text)
                else:
                    rec, idx, now = review.segment_text(ws, where)
                    n = review.add_typed(ws, rec, idx, now, value)
            except QualtoolError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(_("{n} span(s) added for replacement").format(n=n) if not outside else
                        _("added: replaced wherever it stands outside the transcript "
                          "({n} here)").format(n=n))  # fmt: skip
            self.reload(focus=where)

        question = (_("Words to replace (a name outside the transcript, [WORDS:KIND]):\n{t}")
                    if outside else
                    _("Words to replace in {w} (or START:END[:KIND]):\n{t}"))  # fmt: skip
        self.app.push_screen(Prompt(question.format(w=where, t=text[:600])), done)
