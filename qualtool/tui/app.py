"""QualtoolApp: the study open in the terminal. Screens: dashboard → transcript (review and
coding), codebook, search, suggestions, agreement, export, tables — each a Textual mode the
F-keys switch between; help and a command palette. The interface speaks the study's language
(study.toml `ui_language`, QUALTOOL_LANG, else Russian for Russian studies)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from qualtool.domain.errors import QualtoolError
from qualtool.files import speaker_map
from qualtool.files.study import Study
from qualtool.i18n import ENV, N_, _, resolve_language, set_language, unknown_language
from qualtool.privacy.apply import resume_on_open
from qualtool.store.codings import coders_with_codings, has_codings, list_coders
from qualtool.store.db import DatabaseBusy, user_error
from qualtool.transcribe.engine import Engine
from qualtool.tui import first_steps
from qualtool.tui.keys import translate_bindings
from qualtool.tui.screens import registry
from qualtool.tui.screens.help import ActionsProvider, HelpScreen, palette_bindings
from qualtool.tui.widgets.coder import CoderPicker
from qualtool.workspace.study import SyncResult, Workspace

# Textual's own texts that reach the screen (footer, palette, its system commands)
TEXTUAL_TEXTS = (N_("palette"), N_("Quit"), N_("Search for commands…"), N_("Theme"),
                 N_("Change the current theme"), N_("Quit the application as soon as possible"),
                 N_("Minimize"), N_("Minimize the widget and restore to normal size"),
                 N_("Maximize"), N_("Maximize the focused widget"), N_("Screenshot"),
                 N_("Save an SVG 'screenshot' of the current screen"))  # fmt: skip


def _default_engine(study: Study) -> Engine:
    from qualtool.transcribe.run import make_engine

    return make_engine(study)


def holds_input(screen: Screen[object]) -> bool:
    """Would closing this modal lose text the coder typed? A modal keeping typed work (an
    editor, a form) answers through its `holds_input()`; pickers and questions hold none —
    their filter is a search, not work."""
    check = getattr(screen, "holds_input", None)
    return bool(check()) if callable(check) else False


class QualtoolApp(App[None]):
    TITLE = "qualtool"
    CSS_PATH = "qualtool.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    MODES = {name: registry.factory(name) for name in registry.SCREENS}
    BINDINGS = [
        # F-keys are listed by F1 and the palette; the footer keeps its room for the screen's keys
        Binding("q", "quit", "Quit", id="quit", show=False),
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("f2", "open('codebook')", "Codebook", id="codebook", show=False),
        Binding("f3", "open('search')", "Search", id="search", show=False),
        Binding("f4", "open('suggestions')", "Suggestions", id="suggestions", show=False),
        Binding("f5", "open('agreement')", "Agreement", id="agreement", show=False),
        Binding("f6", "open('export')", "Export", id="export", show=False),
        Binding("f7", "open('analysis')", "Tables", id="analysis", show=False),
        Binding("f8", "open('code_view')", "Quotes", id="code_view", show=False),
        Binding("f9", "open('dashboard')", "Recordings", id="dashboard", show=False),
        Binding("f10", "open('anonymise')", "Anonymise", id="anonymise", show=False),
        Binding("ctrl+o", "switch_coder", "Coder", id="coder"),
    ]

    # F-key -> its action, for the keys pressed inside a modal (on_key)
    FKEYS = {key.strip(): b.action for b in BINDINGS if isinstance(b, Binding)
             and b.action.startswith("open(") for key in b.key.split(",")}  # fmt: skip

    def __init__(
        self,
        ws: Workspace,
        coder: str,
        engine_factory: Callable[[Study], Engine] = _default_engine,
        language: str | None = None,
    ) -> None:
        cfg = ws.study.config
        set_language(language or resolve_language(cfg.ui_language, cfg.languages))
        # a language asked for by a name with no catalogue: said once, when the app shows
        asked = () if language else ((os.environ.get(ENV), ENV),
                                     (cfg.ui_language, "study.toml ui_language"))  # fmt: skip
        self.language_problems = [p for raw, src in asked if (p := unknown_language(raw, src))]
        self._watch_said: str | None = None  # the idle watch's last refusal, not said twice
        super().__init__()
        translate_bindings(self)
        self.ws = ws
        self.coder = coder
        self.engine_factory = engine_factory
        self.pending_code: str | None = None
        self._update_title()

    def _update_title(self) -> None:
        ro = _(" · read-only") if self.ws.read_only else ""
        self.sub_title = (
            _("{study} · coder: {coder}").format(study=self.ws.study.config.name, coder=self.coder)
            + ro
        )

    WATCH_SECONDS = 2.0  # how often an idle TUI looks for files a `git pull` changed

    def on_mount(self) -> None:
        self.ws.on_catch_up.append(self._files_changed)
        if not self.ws.read_only:
            self.set_interval(self.WATCH_SECONDS, self._watch_files)
        self.switch_mode("dashboard")
        if self.ws.read_only:
            self.notify(_("This study folder is read-only: you can read and search, changes "
                          "are not saved."), severity="warning", timeout=8)  # fmt: skip
        for problem in self.language_problems:
            self.notify(problem, severity="warning", timeout=10)
        if self.ws.opened:
            self._report_sync(self.ws.opened)
        outcome = resume_on_open(self.ws)  # a killed `anonymise --apply`: finish or undo it
        if outcome:  # the CLI's sentences: «{outcome}» put an English word in a Russian one
            said = {"completed": _("an interrupted anonymisation was completed"),
                    "rolled back": _("an interrupted anonymisation was rolled back: nothing was "
                                     "anonymised; run `qualtool anonymise --apply` again")}  # fmt: skip
            self.notify(said.get(outcome, outcome), severity="warning")

    def on_app_focus(self, _event: events.AppFocus) -> None:
        """Back in the terminal (maybe after a `git pull`): read the files that changed."""
        self.refresh_from_files()

    def _watch_files(self) -> None:
        """Idle: files changed on disk (a pull in another terminal, the window still focused)
        are read as soon as seen. Every write checks too (`Workspace.catch_up`): this only
        makes the screen show them sooner."""
        try:
            self.ws.catch_up()
        except Exception as exc:  # a lock held by a transcription: tried again on the next tick
            if user_error(exc) is not None or isinstance(exc, DatabaseBusy):
                return
            if not isinstance(exc, QualtoolError):
                raise
            if str(exc) != self._watch_said:  # a stopped pull undone, a broken file: said once
                self.notify(str(exc), severity="error", timeout=15)
            self._watch_said = str(exc)
            return
        self._watch_said = None

    def _files_changed(self, result: SyncResult) -> None:
        """A write (or the idle watch) found the study's files changed on disk and read them
        first: said, and the screen shows them once the action has finished."""
        self.notify(_("The study's files changed on disk — read again"), severity="warning")
        self._report_sync(result)
        self.call_later(self._reload_screen)

    def _reload_screen(self) -> None:
        refresh = getattr(self.screen, "reload", None)
        if refresh and self.screen.is_mounted:
            refresh()

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
        for line in result.settled:  # a pull's recording renamed two ways, settled on opening
            self.notify(line, timeout=10)
        self._report_sync_layers(result.layers.conflicts)
        for line in result.speaker_conflicts:  # a coder settles it: not «both kept»
            self.notify(_("conflict: {line}").format(line=self._in_tui(line)), severity="warning",
                        timeout=10)  # fmt: skip

    def _in_tui(self, line: str) -> str:
        """A contested speaker's conflict as the TUI settles it: the sync's line ends with the
        CLI command (`qualtool suggest speakers …`), which a coder who lives in the TUI, keys
        only, does not type; here it is the transcript's i key."""
        try:
            refs = speaker_map.conflict_lines(speaker_map.contested(self.ws.study.root))
        except QualtoolError:
            return line
        for ref, said in refs.items():
            if said == line:
                key, who = json.loads(ref)
                return _("{who} in {recording} was corrected both as interviewer and as "
                         "respondent (by two coders): open {recording} (Enter on the recordings), "
                         "on a turn of {who} press i until it says the right role"
                         ).format(who=who, recording=key)  # fmt: skip
        return line

    def _report_sync_layers(self, conflicts: list[str]) -> None:
        for line in conflicts:
            self.notify(_("conflict (both versions kept; listed by `qualtool conflicts`): "
                          "{line}").format(line=line), severity="warning", timeout=10)  # fmt: skip

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        """Textual's palette commands in the interface language; its «Keys» panel (English
        descriptions of every editing key, raw key names) is replaced by our help (F1). Its
        «Quit» is left out while our own key lists «Quit (q)»: the palette showed it twice."""
        listed = {action for _key, _desc, action, _owner in palette_bindings(self)}
        for cmd in super().get_system_commands(screen):
            if cmd.callback == self.action_quit and "quit" in listed:
                continue
            if cmd.title == "Keys":
                yield SystemCommand(_("Keys"), _("Every key of this screen"), self.action_help)
            else:
                yield cmd._replace(title=_(cmd.title), help=_(cmd.help))

    async def on_key(self, event: events.Key) -> None:
        """An F-key pressed while a modal is open (code picker, coder picker, a question, help,
        the palette): Textual stops the app's bindings at a modal, so F2…F10 did nothing there.
        A keyboard-first coder means «go there»: the modal closes as Esc would close it (a
        picker's choice is cancelled) and the F-key's screen opens. A modal holding text the
        coder typed (an editor, a form) stays open with a notice instead: nothing typed is lost.
        One handler for every modal, present and future."""
        action = self.FKEYS.get(event.key)
        if action is None or not isinstance(self.screen, ModalScreen):
            return  # no modal: the binding itself handled the key
        event.prevent_default()
        event.stop()
        while isinstance(self.screen, ModalScreen):
            modal = self.screen
            if holds_input(modal):
                self.notify(_("Save (ctrl+s / Enter) or cancel (Esc) what you typed first"),
                            severity="warning")  # fmt: skip
                return
            await self._cancel(modal)
            if self.screen is modal:  # its Esc did not close it (it asks something first)
                return
        await self.run_action(action)

    async def _cancel(self, modal: Screen[object]) -> None:
        """Close `modal` exactly as its Esc key does (its own cancel action and result)."""
        escape = modal.active_bindings.get("escape")
        if escape is not None:
            await self.run_action(escape.binding.action, escape.node)
        else:
            modal.dismiss(None)

    def action_open(self, name: str) -> None:
        """F-keys switch modes: each screen keeps its place, nothing piles up."""
        if name not in registry.SCREENS:
            return
        self.switch_mode(name)

    def take_pending_code(self) -> str | None:
        """The code F8 was pressed on in a transcript, once (the quotes screen asks when it
        shows)."""
        code, self.pending_code = self.pending_code, None
        return code

    def known_coders(self) -> list[str]:
        folder = self.ws.study.root / "codings"
        names = {c.id for c in list_coders(self.ws.db)} | {self.coder}
        names |= {self.ws.study.config.default_coder}
        names |= {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
        names |= set(coders_with_codings(self.ws.db))
        return sorted(names - {"consensus"})

    def action_switch_coder(self) -> None:

        def done(value: str | None) -> None:
            if not value or value == self.coder:
                return
            self.coder = value
            self._update_title()
            self.notify(_("now coding as {coder}").format(coder=self.coder))
            refresh = getattr(self.screen, "reload", None)
            if refresh:
                refresh()

        self.push_screen(CoderPicker(self.known_coders(), self.coder), done)

    def save_layers(self, after_change: bool = False) -> None:
        """codings/<coder>.json: re-read what changed on disk, then write what changed here;
        called after every coding change, so a crash or a kill loses nothing."""
        self._watch_files()  # a pull under the open TUI first: its codings sit on its text
        try:
            report = self.ws.save_layers()
        except (OSError, QualtoolError) as exc:
            self.notify(_("could not write codings/: {error}").format(error=exc), severity="error")
            return
        if after_change and has_codings(self.ws.db, self.coder):
            first_steps.mark_done(self.ws.study.root)  # the first coding: no more hint
        self._report_sync_layers(report.conflicts)

    def on_unmount(self) -> None:
        self.save_layers()
        if self._files_changed in self.ws.on_catch_up:
            self.ws.on_catch_up.remove(self._files_changed)
