"""QualtoolApp: the study open in the terminal (dashboard → transcript review)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.binding import Binding

from qualtool.store.study import Study
from qualtool.transcribe.engine import Engine
from qualtool.workspace import Workspace


def _default_engine(study: Study) -> Engine:
    from qualtool.transcribe.run import make_engine

    return make_engine(study)


class QualtoolApp(App[None]):
    TITLE = "qualtool"
    CSS = """
    DataTable { height: 1fr; }
    #status { height: 1; padding: 0 1; color: $text-muted; }
    ProgressBar { padding: 0 1; }
    #editor { dock: bottom; display: none; }
    #editor.visible { display: block; }
    """
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

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
        self.sub_title = f"{ws.study.config.name} · {coder}"

    def on_mount(self) -> None:
        from qualtool.tui.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
