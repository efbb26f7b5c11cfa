"""The code view: every coded quote of a code (or of its whole branch) across the study, with
recording, speaker, participant attributes, coder and memo; filtered by service, region,
method and coder. From a quote: open its segment, play it, pin it as a key quote, recode or
uncode it (each an undoable action, the same services as the transcript screen)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualtool.coding import actions as coding_service
from qualtool.coding import history
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.domain.recording import method_label, role_label
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import N_, _
from qualtool.recordings import playback
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import load_codebook
from qualtool.store.reporting import Scope, quotes
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.transcript import TranscriptScreen
from qualtool.tui.widgets.fit import clip
from qualtool.tui.widgets.picker import CodePicker
from qualtool.tui.widgets.prompt import Prompt
from qualtool.tui.widgets.segment_text import wrapped_lines

FILTER_KEYS = ("service", "region", "method", "coder")


def parse_filters(text: str) -> dict[str, str]:
    """«service=Пособие region=ВКО coder=anna» → a dict; an unknown key is refused."""
    out: dict[str, str] = {}
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or key not in FILTER_KEYS or not value:
            raise InvalidInput(_("filters look like: service=… region=… method=… coder=…"))
        out[key] = value.replace("_", " ")
    return out


def who(row: dict[str, Any]) -> str:
    """Speaker and the participant's attributes, short enough for 80 columns."""
    bits = [row["speaker"] or "?"]
    bits += [str(row[k]) for k in ("gender", "age_band") if row.get(k)]
    return " ".join(bits)


# the coder column holds «consensus» and names like «aigerim» whole (6 cut them to «consen»)
BY_WIDTH = 9


class CodeViewScreen(StudyScreen):
    HELP_TITLE = N_("Quotes")  # the header said «qualtool», its help page «Keys: CodeView»
    AUTO_FOCUS = "#quotes"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open", priority=True),
        Binding("space", "play", "Play"),
        Binding("k", "pin", "Key quote"),
        Binding("r", "recode", "Recode"),
        Binding("d,delete", "uncode", "Uncode"),
        Binding("c", "choose", "Code…"),
        Binding("b", "branch", "Branch"),
        Binding("f", "filter", "Filter"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False),
    ]
    DEFAULT_CSS = """
    #cv-title { height: auto; padding: 0 1; background: $boost; }
    #quotes { height: 1fr; }
    #cv-details { height: auto; max-height: 8; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(self, code_id: str | None = None, branch: bool = True) -> None:
        super().__init__()
        self.code_id = code_id
        self.branch = branch
        self.filters: dict[str, str] = {}
        self.rows: list[dict[str, Any]] = []
        self.player: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="cv-title")
        yield DataTable(id="quotes", cursor_type="row")
        yield Static("", id="cv-details")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("where"), width=10)
        table.add_column(_("who"), width=10)
        table.add_column(clip(_("by"), BY_WIDTH), width=BY_WIDTH)  # «кодировщи» read as a typo
        table.add_column(_("quote"), width=self.quote_width(), key="quote")
        self.code_id = self.qapp.take_pending_code() or self.code_id
        self.reload()
        if self.code_id is None:
            self.action_choose()

    def quote_width(self) -> int:
        width = self.query_one(DataTable).size.width or self.app.size.width
        return max(20, width - 10 - 10 - BY_WIDTH - 8 - 1)

    def codes(self) -> list[str]:
        if self.code_id is None or self.code_id not in self.cb:
            return []
        below = [c.id for c in self.cb.descendants(self.code_id)] if self.branch else []
        return [self.code_id, *below]

    def reload(self) -> None:
        db = self.qapp.ws.db
        self.cb = load_codebook(db)
        codes = self.codes()
        scope = Scope(coders=(self.filters["coder"],) if "coder" in self.filters else (),
                      codes=tuple(codes), method=self.filters.get("method"),
                      service=self.filters.get("service"), region=self.filters.get("region"))  # fmt: skip
        self.rows = quotes(db, scope) if codes else []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        width = self.quote_width()
        for r in self.rows:
            text = Text("★ " if r["key_quote"] else "", style="bold yellow")
            if r["code_id"] != self.code_id:
                text.append(f"[{r['code_id']}] ", style=self.cb.color_of(r["code_id"]))
            text.append(f"«{r['quote']}»")
            if r["memo"]:
                text.append(" ✎", style="cyan")
            table.add_row(f"{r['recording']}#{r['idx']}", clip(who(r), 10),
                          clip(r["coder_id"], BY_WIDTH), text,
                          key=str(r["coding_id"]), height=wrapped_lines(text.plain, width))  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self.show_title()
        self.show_details()

    def show_title(self) -> None:
        title = Text()
        if self.code_id and self.code_id in self.cb:
            code = self.cb.get(self.code_id)
            title.append("■ ", style=self.cb.color_of(code.id))
            title.append(f"{code.label_ru} ", style="bold")
            title.append(code.id, style="dim")
            if self.branch and self.cb.descendants(code.id):
                title.append(_(" + sub-codes"), style="dim")
        else:
            title.append(_("No code chosen: press c"))
        title.append(" · " + _("{n} quote(s)").format(n=len(self.rows)))
        if self.filters:
            title.append(" · " + " ".join(f"{k}={v}" for k, v in self.filters.items()),
                         style="italic")  # fmt: skip
        self.query_one("#cv-title", Static).update(title)

    def current(self) -> dict[str, Any] | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(DataTable).cursor_row, len(self.rows) - 1)]

    def show_details(self) -> None:
        r = self.current()
        details = self.query_one("#cv-details", Static)
        if r is None:
            details.update(_("No quotes. c: another code · b: with/without sub-codes · "
                             "f: filters"))  # fmt: skip
            return
        t = Text()
        place = [
            r["recording"],
            method_label(r["method"]),
            r["service"],
            r["rec_region"],
            r["date"],
        ]
        t.append(" · ".join(str(x) for x in place if x), style="bold")
        t.append(f"  {format_timestamp(r['start'])}\n")
        person = [r["pseudonym"], role_label(r["role"]), r["gender"], r["age_band"],
                  r["person_region"]]  # fmt: skip
        t.append(_("Speaker: ") + (r["speaker"] or "?"))
        if any(person):
            t.append(" (" + ", ".join(str(x) for x in person if x) + ")")
        t.append(" · " + _("coder: ") + r["coder_id"] + "\n")
        t.append(_("Memo: "), style="bold")
        t.append(r["memo"] or "—")
        details.update(t)

    @on(DataTable.RowHighlighted, "#quotes")
    def moved(self) -> None:
        self.show_details()

    def attempt(self, fn: Any, *args: Any, message: str = "") -> Any:
        try:
            result = fn(*args)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return None
        self.reload()
        if message:
            self.notify(message)
        return result

    def _mine(self) -> dict[str, Any] | None:
        r = self.current()
        if r is None:
            self.notify(_("no quote here"), severity="warning")
            return None
        if r["coder_id"] != self.qapp.coder:
            self.notify(_("that coding belongs to {coder}; switch coder (ctrl+o) to change it")
                        .format(coder=r["coder_id"]), severity="warning")  # fmt: skip
            return None
        return r

    def action_open(self) -> None:
        r = self.current()
        if r:
            self.app.push_screen(TranscriptScreen(r["recording"], r["segment_id"]))

    def action_play(self) -> None:
        r = self.current()
        if r is None:
            return
        if self.player and self.player.poll() is None:
            self.player.terminate()
            self.player = None
            return
        rec = rec_store.get_recording(self.qapp.ws.db, r["recording"])
        if rec.text_only:  # not «install mpv»: there is no sound to play
            self.notify(_("{key} has no audio: its transcript was imported as text").format(
                key=rec.key), severity="warning")  # fmt: skip
            return
        try:
            self.player = playback.play(self.qapp.ws.study.resolve(rec.path), r["start"], r["end"])
        except RuntimeError as exc:
            self.notify(str(exc), severity="warning", title=_("Playback unavailable"))

    def action_pin(self) -> None:
        r = self._mine()
        if r:
            self.attempt(coding_service.set_key_quote, self.qapp.ws, r["coding_id"],
                         not r["key_quote"], message=_("key quote") if not r["key_quote"]
                         else _("no longer a key quote"))  # fmt: skip

    def action_uncode(self) -> None:
        r = self._mine()
        if r:
            self.attempt(coding_service.remove_coding, self.qapp.ws, r["coding_id"],
                         message=_("removed {code} (ctrl+z undoes)").format(code=r["code_id"]))  # fmt: skip

    def action_recode(self) -> None:
        r = self._mine()
        if r is None:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self.attempt(coding_service.recode, self.qapp.ws, r["coding_id"], codes[0],
                             message=f"{r['code_id']} → {codes[0]}")  # fmt: skip

        self.app.push_screen(CodePicker(self.cb, _("Recode as"), multi=False), done)

    def action_choose(self) -> None:
        def done(codes: list[str] | None) -> None:
            if codes:
                self.code_id = codes[0]
                self.reload()

        self.app.push_screen(CodePicker(self.cb, _("Show quotes of"), multi=False), done)

    def action_branch(self) -> None:
        self.branch = not self.branch
        self.reload()

    def action_filter(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.filters = parse_filters(text)
            except QualtoolError as exc:
                self.notify(str(exc), severity="error")
                return
            self.reload()

        current = " ".join(f"{k}={v.replace(' ', '_')}" for k, v in self.filters.items())
        self.app.push_screen(Prompt(_("Filters (service=… region=… method=… coder=…; empty: "
                                      "none):"), current), done)  # fmt: skip

    def action_undo(self) -> None:
        label = self.attempt(history.undo, self.qapp.ws)
        if label:
            self.notify(_("undone: {label}").format(label=label))

    def action_redo(self) -> None:
        label = self.attempt(history.redo, self.qapp.ws)
        if label:
            self.notify(_("redone: {label}").format(label=label))

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable):
            self.code_id = self.qapp.take_pending_code() or self.code_id  # F8 on a coding
            self.reload()  # back from the transcript: the quotes may have changed

    def on_unmount(self) -> None:
        if self.player and self.player.poll() is None:
            self.player.terminate()
