"""The codebook: hierarchy with coding counts, definitions and examples at hand; add, rename
(all labels), edit definition / criteria / examples / keywords (Russian and Kazakh) in a
multi-line editor, move, merge and
delete with reassignment. Each edit is one undoable action over the codebook file and the
study (qualtool/coding/codebook.py); destructive ones ask first. Enter opens the code view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static, Tree

from qualtool.coding import codebook as cb_service
from qualtool.domain.errors import QualtoolError
from qualtool.files.codebook import ID_PATTERN
from qualtool.i18n import N_, _
from qualtool.store.codebook import coding_counts, load_codebook
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.screens.code_view import CodeViewScreen
from qualtool.tui.widgets.confirm import Confirm
from qualtool.tui.widgets.labels import LabelsForm
from qualtool.tui.widgets.picker import CodePicker, code_details
from qualtool.tui.widgets.prompt import Prompt
from qualtool.tui.widgets.text_editor import TextEditor

FIELDS = {
    "definition": "definition",
    "include": "inclusion",
    "exclude": "exclusion",
}


class CodebookScreen(StudyScreen):
    HELP_TITLE = N_("Codebook")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "code_view", "Quotes", priority=True),
        Binding("a", "add", "Add sub-code"),
        Binding("A", "add_top", "Add top-level"),
        Binding("n", "rename", "Rename"),
        Binding("e", "edit_field('definition')", "Definition"),
        Binding("i", "edit_field('include')", "Include", show=False),
        Binding("x", "edit_field('exclude')", "Exclude", show=False),
        Binding("E", "edit_examples", "Examples", show=False),
        Binding("k", "edit_keywords('keywords')", "Keywords", show=False),
        Binding("K", "edit_keywords('keywords_kk')", "Kazakh keywords", show=False),
        Binding("m", "move", "Move"),
        Binding("M", "move_top", "To top level", show=False),
        Binding("g", "merge", "Merge into"),
        Binding("delete,d", "delete", "Delete"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield Tree(_("Codebook"), id="tree")
            yield Static("", id="side")
        yield Footer()

    want: str | None = None  # the code the cursor is on (kept across reloads)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(Tree).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()  # codings made elsewhere change the counts

    def reload(self, select: str | None = None) -> None:
        db = self.qapp.ws.db
        self.cb = load_codebook(db)
        self.counts = coding_counts(db)
        tree = self.query_one(Tree)
        current = select or self.want or (tree.cursor_node.data if tree.cursor_node else None)
        self.want = current
        tree.clear()
        tree.root.expand()
        nodes: dict[str | None, Any] = {None: tree.root}
        target = None
        for _depth, code in self.cb.walk():
            own = self.counts.get(code.id, 0)
            total = own + sum(self.counts.get(d.id, 0) for d in self.cb.descendants(code.id))
            label = Text("■ ", style=self.cb.color_of(code.id))
            label.append(code.label_ru)
            label.append(f"  {code.id}", style="dim")
            label.append(f"  {total}" if total else "", style="bold")
            parent = nodes[code.parent_id]
            node = parent.add(
                label, data=code.id, expand=True, allow_expand=bool(self.cb.children(code.id))
            )
            nodes[code.id] = node
            if code.id == current:
                target = node
        if target is not None:
            self.call_after_refresh(tree.move_cursor, target)
        self.sub_title = _("{codes} codes · {codings} codings").format(
            codes=len(self.cb), codings=sum(self.counts.values())
        )

    def selected(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        if node is None or not node.data:
            self.notify(_("select a code first"), severity="warning")
            return None
        return str(node.data)

    @on(Tree.NodeHighlighted)
    def show(self, event: Tree.NodeHighlighted) -> None:
        code_id = event.node.data
        if code_id:
            self.want = code_id
        side = self.query_one("#side", Static)
        if code_id and code_id in self.cb:
            side.update(code_details(self.cb.get(code_id), self.counts.get(code_id, 0)))
        else:
            side.update(Text(_("The study's codebook. Enter: quotes · a: add · n: rename · "
                               "e/i/x/E: definition, criteria, examples · k/K: keywords, Kazakh "
                               "keywords · m: move · g: merge · "
                               "d: delete · ctrl+z: undo")))  # fmt: skip

    def _write(self, change: Callable[..., Any], *args: Any, select: str | None = None,
               message: str = "", **kw: Any) -> None:  # fmt: skip
        """Run one codebook service; a refusal is a notification and changes nothing."""
        try:
            report = change(self.qapp.ws, *args, **kw)
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(select)
        if report.unchanged:
            self.notify(cb_service.nothing_changed())
            return
        self.notify(f"{message} · {report.summary()}" if message else report.summary())

    def _ask_new(self, parent: str | None) -> None:
        def got_id(code_id: str | None) -> None:
            if not code_id:
                return
            code_id = code_id.strip()
            # refused now, not after the coder has also typed its label
            if not ID_PATTERN.match(code_id):
                self.notify(_("{code_id!r} is not a valid code id (e.g. BUR.NEW_THING)").format(
                    code_id=code_id), severity="error")  # fmt: skip
                return
            if code_id in self.cb:
                self.notify(_("code {code_id} already exists").format(code_id=code_id),
                            severity="error")  # fmt: skip
                return

            def got_label(label: str | None) -> None:
                if label and label.strip():
                    self._write(cb_service.add_code, code_id.strip(), label.strip(), parent,
                                select=code_id.strip(),
                                message=_("added {code}").format(code=code_id.strip()))  # fmt: skip

            self.app.push_screen(
                Prompt(_("Russian label for {code}:").format(code=code_id)), got_label
            )

        prefix = f"{parent}." if parent else ""
        self.app.push_screen(Prompt(_("New code id (LATIN, e.g. BUR.NEW_THING):"), prefix), got_id)

    def action_add(self) -> None:
        node = self.query_one(Tree).cursor_node
        self._ask_new(str(node.data) if node is not None and node.data else None)

    def action_add_top(self) -> None:
        self._ask_new(None)

    def action_rename(self) -> None:
        code_id = self.selected()
        if not code_id:
            return
        code = self.cb.get(code_id)

        def done(labels: tuple[str, str] | None) -> None:
            if labels:
                self._write(cb_service.rename_code, code_id, labels[0], labels[1],
                            select=code_id, message=_("renamed {code}").format(code=code_id))  # fmt: skip

        self.app.push_screen(LabelsForm(_("Labels of {code}").format(code=code_id),
                                        code.label_ru, code.label_en or ""), done)  # fmt: skip

    def action_edit_field(self, field: str) -> None:
        code_id = self.selected()
        if not code_id:
            return
        value = getattr(self.cb.get(code_id), FIELDS[field]) or ""
        titles = {"definition": _("Definition of {code}"), "include": _("Include when ({code})"),
                  "exclude": _("Do not include when ({code})")}  # fmt: skip
        self._edit_text(code_id, field, value, titles[field])

    def action_edit_keywords(self, field: str) -> None:
        """Keywords one per line in the editor (commas work too): a phrase is one keyword."""
        code_id = self.selected()
        if not code_id:
            return
        value = "\n".join(getattr(self.cb.get(code_id), field))
        titles = {"keywords": _("Keywords of {code} (one per line)"),
                  "keywords_kk": _("Kazakh keywords of {code} (one per line, any form)")}  # fmt: skip
        self._edit_text(code_id, field, value, titles[field])

    def _edit_text(self, code_id: str, field: str, value: str, title: str) -> None:
        """One text field in the multi-line editor; saved (one undoable edit) only if changed."""

        def done(text: str | None) -> None:
            if text is not None and text.strip() != value.strip():
                self._write(cb_service.edit_code, code_id, select=code_id,
                            message=_("saved {code}").format(code=code_id), **{field: text})  # fmt: skip

        self.app.push_screen(TextEditor(title.format(code=code_id), value), done)

    def action_edit_examples(self) -> None:
        code_id = self.selected()
        if not code_id:
            return
        value = "\n".join(e.text for e in self.cb.get(code_id).examples)

        def done(text: str | None) -> None:
            if text is not None and text.strip() != value.strip():
                self._write(cb_service.edit_code, code_id, select=code_id, examples=text,
                            message=_("saved {code}").format(code=code_id))  # fmt: skip

        title = _("Examples of {code} (one per line)").format(code=code_id)
        self.app.push_screen(TextEditor(title, value), done)

    def action_move(self) -> None:
        code_id = self.selected()
        if not code_id:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self._write(cb_service.move_code, code_id, codes[0], select=code_id,
                            message=_("moved {code} under {parent}").format(
                                code=code_id, parent=codes[0]))  # fmt: skip

        title = _("Move {code} under").format(code=code_id)
        self.app.push_screen(CodePicker(self.cb, title, multi=False), done)

    def action_move_top(self) -> None:
        code_id = self.selected()
        if code_id:
            self._write(cb_service.move_code, code_id, None, select=code_id,
                        message=_("moved {code} to the top level").format(code=code_id))  # fmt: skip

    def action_merge(self) -> None:
        code_id = self.selected()
        if not code_id:
            return
        if self.cb.children(code_id):  # say so now, not after a target and a confirmation
            self.notify(_("{code_id} has sub-codes: move or merge them first").format(
                code_id=code_id), severity="error")  # fmt: skip
            return

        def picked(codes: list[str] | None) -> None:
            if not codes:
                return
            target = codes[0]
            n = self.counts.get(code_id, 0)
            question = _("Merge {a} into {b}? {a} disappears; its {n} coding(s) become {b}'s "
                         "(ctrl+z undoes).").format(a=code_id, b=target, n=n)  # fmt: skip

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(cb_service.merge_codes, code_id, target, select=target,
                                message=_("merged {a} into {b}").format(a=code_id, b=target))  # fmt: skip

            self.app.push_screen(Confirm(question), confirmed)

        title = _("Merge {code} into").format(code=code_id)
        self.app.push_screen(CodePicker(self.cb, title, multi=False), picked)

    def action_delete(self) -> None:
        code_id = self.selected()
        if not code_id:
            return
        n = self.counts.get(code_id, 0)

        def confirm(target: str | None) -> None:
            question = (_("Delete {code}? Its {n} coding(s) go to {target}.").format(
                code=code_id, n=n, target=target) if target else
                _("Delete {code}? It has no codings.").format(code=code_id))  # fmt: skip

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(cb_service.delete_code, code_id, target, select=target,
                                message=_("deleted {code}").format(code=code_id))  # fmt: skip

            self.app.push_screen(Confirm(question + " " + _("(ctrl+z undoes)")), confirmed)

        if not n:
            confirm(None)
            return

        def picked(codes: list[str] | None) -> None:
            if codes:
                confirm(codes[0])

        title = _("{code} has {n} coding(s): reassign them to").format(code=code_id, n=n)
        self.app.push_screen(CodePicker(self.cb, title, multi=False), picked)

    def after_history(self) -> None:
        self.reload()

    def action_code_view(self) -> None:
        code_id = self.selected()
        if code_id:
            self.app.push_screen(CodeViewScreen(code_id))
