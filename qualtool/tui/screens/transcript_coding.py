"""The coding half of the transcript screen: select words, apply codes, layers, and the
coder's own codings (remove, recode, key quote, memo). Mixed into TranscriptScreen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import DataTable, OptionList, Static, TextArea

from qualtool.autocode import suggest as autocode
from qualtool.coding import actions as coding_service
from qualtool.domain import Coding
from qualtool.i18n import N_, _
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import recent_codes
from qualtool.tui.keys import translate_bindings
from qualtool.tui.widgets.fit import clip
from qualtool.tui.widgets.picker import CodePicker
from qualtool.tui.widgets.text_editor import TextEditor

LAYERS = (N_("mine"), N_("all"), N_("disagreements"))

if TYPE_CHECKING:
    from collections.abc import Callable

    from qualtool.domain import Segment
    from qualtool.tui.screens.base import StudyScreen

    class _Host(StudyScreen):
        """What the transcript screen gives this mixin (for the type checker only)."""

        def current(self) -> Segment | None: ...
        def selected_coding(self) -> Coding | None: ...
        def current_codings(self) -> list[Coding]: ...
        def attempt(
            self, fn: Callable[..., Any], *args: Any, message: str | None = None
        ) -> Any: ...
        def reload(self) -> None: ...
        def update_side(self) -> None: ...

        side_pick: int | None
else:
    _Host = object


class Selector(TextArea):
    """A segment's text for selecting words (shift+arrows, drag, ctrl+a); Enter hands the
    selection to the screen's `apply_selection`, Esc to its `close_selector`."""

    BINDINGS = [Binding("enter", "screen.apply_selection", "Code selection", priority=True),
                Binding("escape", "screen.close_selector", "Cancel", priority=True),
                Binding("ctrl+a", "select_all", "All words", priority=True)]  # fmt: skip
    # the help lists these keys (and this widget's bindings) while it has the focus
    HELP_KEYS = [("shift+left,shift+right,shift+up,shift+down",
                  N_("select words (or drag with the mouse)"))]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)


class CodingActions(_Host):
    """Needs from the screen: qapp, cb, coding_layer, current(), selected_coding(),
    current_codings(), attempt(), reload(), notify(), query_one(), app."""

    coding_layer: str
    cb: Any

    def action_select_words(self) -> None:
        seg = self.current()
        if seg is None:
            self.notify(_("no segment selected"), severity="warning")
            return
        sel = self.query_one("#selector", Selector)
        sel.load_text(seg.text)
        sel.add_class("visible")
        sel.focus()
        self.query_one("#status", Static).update(
            _("select words: shift+arrows or drag (ctrl+a: all), Enter: choose codes, Esc: cancel")
        )

    def action_close_selector(self) -> None:
        sel = self.query_one("#selector", Selector)
        sel.remove_class("visible")
        self.query_one("#segments", DataTable).focus()
        self.query_one("#status", Static).update("")

    def selection_span(self) -> tuple[int, int]:
        sel = self.query_one("#selector", Selector)
        (r1, c1), (r2, c2) = sorted([sel.selection.start, sel.selection.end])
        text = sel.text
        lines = text.split("\n")
        start = sum(len(x) + 1 for x in lines[:r1]) + c1
        end = sum(len(x) + 1 for x in lines[:r2]) + c2
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def action_apply_selection(self) -> None:
        seg = self.current()
        span = self.selection_span()
        if seg is None or span[1] <= span[0]:
            self.notify(_("select some words first (shift+arrows or drag; ctrl+a for all)"),
                        severity="warning")  # fmt: skip
            return

        def done(codes: list[str] | None) -> None:
            if not codes:
                return
            self.action_close_selector()
            made = self.attempt(coding_service.apply_codes, self.qapp.ws, seg.id, span, codes,
                            self.qapp.coder)  # fmt: skip
            if made:
                self.side_pick = made[0].id  # M, k, r now act on the coding just made
                self.update_side()
                self.notify(
                    _("coded «{quote}» with {codes}").format(
                        quote=clip(made[0].quote, 40), codes=", ".join(codes)
                    )
                )

        cb = load_codebook(self.qapp.ws.db)
        if not len(cb):
            path = self.qapp.ws.study.relative(self.qapp.ws.study.codebook_path)
            self.notify(_("the study has no codebook yet: put one at {path}").format(path=path),
                        severity="warning")  # fmt: skip
            return
        fit = self.code_fit(cb, seg.text[span[0] : span[1]])
        recent = recent_codes(self.qapp.ws.db, self.qapp.coder)
        self.app.push_screen(CodePicker(cb, fit=fit, recent=recent), done)

    def code_fit(self, cb: Any, text: str) -> dict[str, float]:
        """The auto-coder's score of each code for the selected words (matcher built once per
        codebook: it compiles every keyword and example)."""
        cached = getattr(self, "_matcher", None)
        if cached is None or (cached[0] is not cb and cached[0] != cb):
            learned = sug_store.coded_quotes(self.qapp.ws.db, limit=500)
            cached = (cb, autocode.Matcher(cb, learned=learned))
            self._matcher = cached
        return autocode.code_scores(cached[1], text)

    def action_layer(self) -> None:
        self.coding_layer = LAYERS[(LAYERS.index(self.coding_layer) + 1) % len(LAYERS)]
        self.reload()
        self.notify(_("showing: {layer}").format(layer=_(self.coding_layer)))

    def action_focus_codings(self) -> None:
        ol = self.query_one("#side-codings", OptionList)
        if ol.has_focus:
            self.query_one("#segments", DataTable).focus()
        else:
            ol.focus()

    def _mine(self) -> Coding | None:
        c = self.selected_coding()
        if c is None:
            self.notify(_("no coding here"), severity="warning")
            return None
        if c.coder_id != self.qapp.coder:
            self.notify(_("that coding belongs to {coder}; switch coder (ctrl+o) to change it")
                        .format(coder=c.coder_id),
                        severity="warning")  # fmt: skip
            return None
        return c

    def action_remove_coding(self) -> None:
        c = self._mine()
        if c:
            self.attempt(coding_service.remove_coding, self.qapp.ws, c.id,
                     message=_("removed {code} (ctrl+z undoes)").format(code=c.code_id))  # fmt: skip

    def action_recode(self) -> None:
        c = self._mine()
        if c is None:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self.attempt(coding_service.recode, self.qapp.ws, c.id, codes[0],
                         message=f"{c.code_id} → {codes[0]}")  # fmt: skip

        fit = self.code_fit(self.cb, c.quote)
        self.app.push_screen(CodePicker(self.cb, _("Recode as"), multi=False, fit=fit), done)

    def action_key_quote(self) -> None:
        c = self._mine()
        if c:
            self.attempt(coding_service.toggle_key_quote, self.qapp.ws, c.id,
                     message=_("key quote") if not c.key_quote else _("no longer a key quote"))  # fmt: skip

    def action_memo(self) -> None:
        c = self._mine()
        if c is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.attempt(coding_service.set_coding_memo, self.qapp.ws, c.id, text,
                             message=_("memo saved on {code}").format(code=c.code_id))  # fmt: skip

        title = _("Memo on {code} «{quote}»:").format(code=c.code_id, quote=clip(c.quote, 40))
        self.app.push_screen(TextEditor(title, c.memo or ""), done)
