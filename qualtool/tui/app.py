"""QualtoolApp: the study open in the terminal. Screens: dashboard → transcript (review and
coding), codebook, search, suggestions, agreement, export; help and a command palette."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.binding import Binding

from qualtool.files.study import Study
from qualtool.transcribe.engine import Engine
from qualtool.tui.screens.help import ActionsProvider, HelpScreen
from qualtool.workspace.study import Workspace


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
        Binding("f8", "open('anonymise')", "Anonymise", id="anonymise", show=False),
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
        self.sub_title = f"{self.ws.study.config.name} · coder: {self.coder}"

    def on_mount(self) -> None:
        from qualtool.privacy.apply import resume_on_open
        from qualtool.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        outcome = resume_on_open(self.ws)  # a killed `anonymise --apply`: finish or undo it
        if outcome:
            self.notify(f"an interrupted anonymisation was {outcome}", severity="warning")

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
                self.coder = value.strip()
                self._update_title()
                self.notify(f"now coding as {self.coder}")
                refresh = getattr(self.screen, "reload", None)
                if refresh:
                    refresh()

        self.push_screen(Prompt("Coder (your layer of codings):", self.coder), done)

    def save_layers(self) -> None:
        """codings/<coder>.json: the shareable copy of every layer (the database is primary)."""
        from qualtool.team.exchange import save_layers

        try:
            save_layers(self.ws)
        except OSError as exc:
            self.notify(f"could not write codings/: {exc}", severity="error")

    def on_unmount(self) -> None:
        self.save_layers()
