"""The codebook: hierarchy with coding counts, definitions and examples at hand; add, rename,
move and merge codes — written back to the codebook file, then loaded into the study."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static, Tree

from qualtool.domain.errors import QualtoolError
from qualtool.files import codebook_edit
from qualtool.i18n import N_, _
from qualtool.store.codebook import coding_counts, load_codebook, sync_codebook
from qualtool.tui.screens.base import StudyScreen
from qualtool.tui.widgets.picker import CodePicker, code_details
from qualtool.tui.widgets.prompt import Prompt

if TYPE_CHECKING:
    pass


class CodebookScreen(StudyScreen):
    HELP_TITLE = N_("Codebook")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "add", "Add sub-code"),
        Binding("A", "add_top", "Add top-level"),
        Binding("n", "rename", "Rename"),
        Binding("m", "move", "Move"),
        Binding("g", "merge", "Merge into"),
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
        nodes = {None: tree.root}
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
            side.update(Text(_("The study's codebook. a: add, n: rename, m: move, g: merge.")))

    def _write(self, change, *args, select: str | None = None, message: str = "") -> None:  # type: ignore[no-untyped-def]
        ws = self.qapp.ws
        try:
            cb = change(ws.study.codebook_path, *args)
            report = sync_codebook(ws.db, cb, str(ws.study.codebook_path))
        except QualtoolError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(select)
        self.notify(f"{message} · {report.summary()}" if message else report.summary())

    def _ask_new(self, parent: str | None) -> None:
        def got_id(code_id: str | None) -> None:
            if not code_id:
                return

            def got_label(label: str | None) -> None:
                if label:
                    self._write(codebook_edit.add_code, code_id.strip(), label.strip(), parent,
                                select=code_id.strip(),
                                message=_("added {code}").format(code=code_id))  # fmt: skip

            self.app.push_screen(Prompt(_("Russian label for {code}:").format(code=code_id)),
                                 got_label)  # fmt: skip

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

        def done(label: str | None) -> None:
            if label and label.strip():
                self._write(codebook_edit.rename_code, code_id, label.strip(), select=code_id,
                            message=_("renamed {code}").format(code=code_id))  # fmt: skip

        self.app.push_screen(
            Prompt(
                _("New Russian label for {code}:").format(code=code_id),
                self.cb.get(code_id).label_ru,
            ),
            done,
        )

    def action_move(self) -> None:
        code_id = self.selected()
        if not code_id:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self._write(codebook_edit.move_code, code_id, codes[0], select=code_id,
                            message=_("moved {code} under {parent}").format(
                                code=code_id, parent=codes[0]))  # fmt: skip

        self.app.push_screen(CodePicker(self.cb, _("Move {code} under").format(code=code_id),
                                        multi=False), done)  # fmt: skip

    def action_merge(self) -> None:
        code_id = self.selected()
        if not code_id:
            return

        def done(codes: list[str] | None) -> None:
            if codes:
                self._write(codebook_edit.merge_codes, code_id, codes[0], select=codes[0],
                            message=_("merged {code} into {target}").format(
                                code=code_id, target=codes[0]))  # fmt: skip

        self.app.push_screen(CodePicker(self.cb, _("Merge {code} into").format(code=code_id),
                                        multi=False), done)  # fmt: skip
