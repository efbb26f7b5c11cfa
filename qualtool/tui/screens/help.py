"""The help screen and the command palette: every action of the current screen, by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from qualtool.i18n import _
from qualtool.tui.keys import key_label, translate_bindings


def bindings_of(
    screen: Screen[object], only_now: bool = False
) -> Iterator[tuple[str, str, str, DOMNode]]:
    """(key, description, action, owner) for the focused widget's own keys (a span editor's
    «all words»), then the screen's and the app's, in the interface language; with
    `only_now`, keys that do nothing at the moment are left out. Over a window on top (a
    picker, a question) the app's keys that do not reach it (q, ctrl+o) are not listed."""
    seen, keys = set(), set()  # a key the focused widget takes first is listed once, as its
    focused = screen.focused
    owners: tuple[DOMNode, ...] = (screen, screen.app)
    if focused is not None and getattr(type(focused), "HELP_KEYS", None) is not None:
        owners = (focused, *owners)
    modal = isinstance(screen, ModalScreen)
    for owner in owners:
        for b in getattr(owner, "BINDINGS", []):
            if isinstance(b, Binding) and b.description and b.action not in seen:
                if b.key in keys:
                    continue
                if modal and owner is screen.app and not b.action.startswith("open("):
                    continue  # in a window on top only the F-keys reach the app (app.on_key)
                seen.add(b.action)
                keys.add(b.key)
                name, _sep, _params = b.action.partition("(")
                check = owner.check_action(name, ()) if hasattr(owner, "check_action") else True
                if check is False and only_now:
                    continue
                yield b.key, _(b.description), b.action, owner


def palette_bindings(app: App[Any]) -> list[tuple[str, str, str, DOMNode]]:
    """The keys the palette lists as commands: those of the screen under any modal, usable now."""
    stack = [s for s in app.screen_stack if not isinstance(s, ModalScreen)]
    return list(bindings_of(stack[-1], only_now=True))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help { width: 80%; max-width: 90; height: auto; max-height: 90%; border: thick $accent;
            background: $surface; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        translate_bindings(self)
        self.under = under

    def compose(self) -> ComposeResult:
        """Keys written as the footer writes them (`^z`, `esc`), descriptions translated."""
        # a window without a name of its own (a picker, a question) is not called by its
        # class name: «Keys: CodePicker» in a Russian interface
        name = getattr(self.under, "HELP_TITLE", "")
        title = _(name) if name else _("this window")
        table = Table(title=_("Keys: {screen}").format(screen=title), show_header=False,
                      expand=True)  # fmt: skip
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        app = self.app
        for keys, desc in getattr(self.under.focused, "HELP_KEYS", None) or ():
            table.add_row(key_label(app, keys), _(desc))  # keys a widget reads, not bindings
        for key, desc, _action, _owner in bindings_of(self.under):
            table.add_row(key_label(app, key), desc)
        table.add_row(key_label(app, "ctrl+p"), _("Command palette: every action by name"))
        table.add_row(key_label(app, "f2") + "…" + key_label(app, "f10"),
                      _("Switch screens; Esc returns to the recordings"))  # fmt: skip
        yield Static(table, id="help")


class ActionsProvider(Provider):
    """Every binding of the active screen as a palette command."""

    def _commands(self) -> list[tuple[str, str, DOMNode]]:
        return [(f"{desc} ({key_label(self.app, key)})", action, owner)
                for key, desc, action, owner in palette_bindings(self.app)]  # fmt: skip

    async def discover(self) -> Hits:
        for name, action, owner in self._commands():
            yield DiscoveryHit(name, self._runner(owner, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, owner in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._runner(owner, action))

    def _runner(self, owner: DOMNode, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.app.run_action(action, owner)

        return run
