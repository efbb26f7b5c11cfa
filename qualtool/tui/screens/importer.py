"""Import a recording from the TUI: file and study metadata in one form."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from qualtool.domain import Language, Method, Recording
from qualtool.domain.errors import QualtoolError
from qualtool.domain.recording import parse_participant
from qualtool.i18n import _
from qualtool.recordings.importing import import_file
from qualtool.tui.keys import MODAL_HELP, translate_bindings

if TYPE_CHECKING:
    from qualtool.tui.app import QualtoolApp


class ImportScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Import"),
        MODAL_HELP,
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    #import { width: 90%; max-width: 100; height: 90%; border: thick $accent;
              background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="import", classes="form"):
            yield Label(_("Audio or video file (path):"))
            yield Input(placeholder="~/fieldwork/idi-07.m4a", id="path")
            yield Label(_("Method:"))
            yield Select([(m.label, m.value) for m in Method], value="interview",
                         allow_blank=False, id="method")  # fmt: skip
            yield Label(_("Language:"))
            yield Select([("русский", "ru"), ("қазақша", "kk"), (_("auto (ru/kk)"), "auto")],
                         value="auto", allow_blank=False, id="language")  # fmt: skip
            yield Input(placeholder=_("Service, e.g. Назначение пособия"), id="service")
            yield Input(placeholder=_("Region, e.g. ВКО"), id="region")
            yield Input(placeholder=_("Date YYYY-MM-DD"), id="date")
            yield Input(placeholder=_("Interviewer"), id="interviewer")
            yield Input(
                placeholder=_("Participants: R01:recipient:f:35-44:ВКО, R02:expert"), id="people"
            )
            yield Button(_("Import (ctrl+s)"), variant="primary", id="go")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def holds_input(self) -> bool:
        """A half-filled import form is typed work: an F-key does not throw it away."""
        return any(i.value.strip() for i in self.query(Input))

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    @on(Button.Pressed, "#go")
    def action_submit(self) -> None:
        app = cast("QualtoolApp", self.app)
        try:
            people = tuple(
                parse_participant(p) for p in self.value("people").split(",") if p.strip()
            )
            day = date.fromisoformat(self.value("date")) if self.value("date") else None
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        if not self.value("path"):
            self.notify(_("give the file's path"), severity="warning")
            return
        meta = Recording(
            method=Method(str(self.query_one("#method", Select).value)),
            language=Language(str(self.query_one("#language", Select).value)),
            service=self.value("service") or None, region=self.value("region") or None,
            date=day, interviewer=self.value("interviewer") or None, participants=people,
        )  # fmt: skip
        try:
            rec = import_file(app.ws.study, app.ws.db, Path(self.value("path")), meta)
            app.ws.save_manifest()
        except QualtoolError as exc:
            self.notify(str(exc), severity="error", title=_("Not imported"))
            return
        self.dismiss(rec.key)

    def action_cancel(self) -> None:
        self.dismiss(None)
