"""QualtoolApp: the study open in the terminal. Screens: dashboard → transcript (review and
coding), codebook, search, suggestions, agreement, export; help and a command palette."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding

from qualtool.domain.errors import QualtoolError
from qualtool.domain.names import check_name
from qualtool.files.study import Study
from qualtool.i18n import _
from qualtool.store.db import user_error
from qualtool.transcribe.engine import Engine
from qualtool.tui.screens.help import ActionsProvider, HelpScreen
from qualtool.workspace.study import SyncResult, Workspace


def _default_engine(study: Study) -> Engine:
    from qualtool.transcribe.run import make_engine

    return make_engine(study)


class QualtoolApp(App[None]):
    TITLE = "qualtool"
    CSS_PATH = "qualtool.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("f2", "open('codebook')", "Codebook", id="codebook"),
        Binding("f3", "open('search')", "Search", id="search"),
        Binding("f4", "open('suggestions')", "Suggestions", id="suggestions"),
        Binding("f5", "open('agreement')", "Agreement", id="agreement"),
        Binding("f6", "open('export')", "Export", id="export"),
        Binding("f7", "open('analysis')", "Tables", id="analysis"),
        Binding("f8", "open('code_view')", "Quotes", id="code_view"),
        Binding("f9", "open('anonymise')", "Anonymise", id="anonymise", show=False),
        Binding("ctrl+o", "switch_coder", "Coder", id="coder"),
    ]

    def __init__(
        self,
        ws: Workspace,
        coder: str,
        engine_factory: Callable[[Study], Engine] = _default_engine,
    ) -> None:
        super().__init__()
        self.ws = ws
        self.coder = coder
        self.engine_factory = engine_factory
        self._update_title()

    def _update_title(self) -> None:
        ro = _(" · read-only") if self.ws.read_only else ""
        self.sub_title = f"{self.ws.study.config.name} · coder: {self.coder}{ro}"

    def on_mount(self) -> None:
        from qualtool.privacy.apply import resume_on_open
        from qualtool.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        if self.ws.read_only:
            self.notify(_("This study folder is read-only: you can read and search, changes "
                          "are not saved."), severity="warning", timeout=8)  # fmt: skip
        if self.ws.opened:
            self._report_sync(self.ws.opened)
        outcome = resume_on_open(self.ws)  # a killed `anonymise --apply`: finish or undo it
        if outcome:
            self.notify(_("an interrupted anonymisation was {outcome}").format(outcome=outcome),
                        severity="warning")  # fmt: skip

    def on_app_focus(self, _event: events.AppFocus) -> None:
        """Back in the terminal (maybe after a `git pull`): read the files that changed."""
        self.refresh_from_files()

    def refresh_from_files(self) -> None:
        try:
            result = self.ws.sync()
        except Exception as exc:  # a lock held by a transcription: try again on next focus
            err = exc if isinstance(exc, QualtoolError) else user_error(exc)
            if err is None:
                raise
            self.notify(str(err), severity="error")
            return
        if result.files_read:
            self.notify(_("read changed files: {files}").format(files=", ".join(result.files_read)))
            refresh = getattr(self.screen, "reload", None)
            if refresh:
                refresh()
        self._report_sync(result)

    def _report_sync(self, result: SyncResult) -> None:
        for line in result.layers.conflicts:
            self.notify(_("conflict (both versions kept; listed by `qualtool conflicts`): "
                          "{line}").format(line=line), severity="warning", timeout=10)  # fmt: skip

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))

    def action_open(self, name: str) -> None:
        from qualtool.tui.screens import registry as screens

        if type(self.screen).__name__ == screens.SCREENS[name][1]:
            return
        self.push_screen(screens.make(name))

    def action_switch_coder(self) -> None:
        from qualtool.tui.widgets.prompt import Prompt

        def done(value: str | None) -> None:
            if value and value.strip():
                try:
                    check_name(value.strip(), "coder")
                except QualtoolError as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.coder = value.strip()
                self._update_title()
                self.notify(f"now coding as {self.coder}")
                refresh = getattr(self.screen, "reload", None)
                if refresh:
                    refresh()

        self.push_screen(Prompt("Coder (your layer of codings):", self.coder), done)

    def save_layers(self) -> None:
        """codings/<coder>.json: re-read what changed on disk, then write what changed here."""
        try:
            report = self.ws.save_layers()
        except Exception as exc:
            if not isinstance(exc, OSError | QualtoolError) and user_error(exc) is None:
                raise
            self.notify(_("could not write codings/: {error}").format(error=exc), severity="error")
            return
        self._report_sync_layers(report.conflicts)

    def _report_sync_layers(self, conflicts: list[str]) -> None:
        for line in conflicts:
            self.notify(_("conflict (both versions kept; listed by `qualtool conflicts`): "
                          "{line}").format(line=line), severity="warning", timeout=10)  # fmt: skip

    def on_unmount(self) -> None:
        self.save_layers()
