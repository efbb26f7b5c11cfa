"""The coding half of the transcript screen: select words, apply codes, layers, and the
coder's own codings (remove, recode, key quote, memo). Mixed into TranscriptScreen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import DataTable, OptionList, Static, TextArea

from qualtool.coding import actions as coding_service
from qualtool.domain import Coding
from qualtool.i18n import N_, _
from qualtool.store.codebook import load_codebook
from qualtool.tui.screens.base import translate_bindings
from qualtool.tui.widgets.picker import CodePicker

LAYERS = (N_("mine"), N_("all"), N_("disagreements"))

if TYPE_CHECKING:
    pass


class Selector(TextArea):
    """A segment's text for selecting words (shift+arrows, drag, ctrl+a); Enter hands the
    selection to the screen's `apply_selection`, Esc to its `close_selector`."""

    BINDINGS = [Binding("enter", "screen.apply_selection", "Code selection", priority=True),
                Binding("escape", "screen.close_selector", "Cancel", priority=True),
                Binding("ctrl+a", "select_all", "All words", priority=True)]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)


class CodingActions:
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
            made = self.attempt(coding_service.apply_codes, self.qapp.ws.db, seg.id, span, codes,
                            self.qapp.coder)  # fmt: skip
            if made:
                self.notify(
                    _("coded «{quote}» with {codes}").format(
                        quote=made[0].quote[:40], codes=", ".join(codes)
                    )
                )

        self.app.push_screen(CodePicker(load_codebook(self.qapp.ws.db)), done)

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
            self.attempt(coding_service.remove_coding, self.qapp.ws.db, c.id,
                     message=_("removed {code} (ctrl+z undoes)").format(code=c.code_id))  # fmt: skip

    def action_recode(self) -> None:
        c = self._mine()
        if c is None:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self.attempt(coding_service.recode, self.qapp.ws.db, c.id, codes[0],
                         message=f"{c.code_id} → {codes[0]}")  # fmt: skip

        self.app.push_screen(CodePicker(self.cb, _("Recode as"), multi=False), done)

    def action_key_quote(self) -> None:
        c = self._mine()
        if c:
            self.attempt(coding_service.toggle_key_quote, self.qapp.ws.db, c.id,
                     message=_("key quote") if not c.key_quote else _("no longer a key quote"))  # fmt: skip

    def action_memo(self) -> None:
        from qualtool.tui.widgets.memo import MemoEditor

        c = self._mine()
        if c is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.attempt(coding_service.set_coding_memo, self.qapp.ws.db, c.id, text,
                         message=_("memo saved"))  # fmt: skip

        title = _("Memo on {code} «{quote}»:").format(code=c.code_id, quote=c.quote[:40])
        self.app.push_screen(MemoEditor(title, c.memo or ""), done)
