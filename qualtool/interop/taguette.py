"""Taguette's project export (`project.sqlite3`) as a REFI-QDA-like project.

Taguette (1.x) has no QDPX export: a project leaves it as its SQLite database, its codebook as
a QDC, its highlights as CSV/XLSX/HTML. The database is the only file that carries positions,
so that is what is read. Taguette keeps each document as HTML and counts a highlight's
positions in UTF-8 bytes of the document's text nodes, tags not counted (`extract.find_pos`
on the server, `describePos` in taguette.js); the source text here is exactly that text
content, so the positions stay Taguette's and the import maps them with the UTF-8 model. Where
a paragraph or a `<br>` has no line break in that text (HTML saved on one line), the readable
text gets one and the positions after it move by its one byte, so turns stay turns.

It also checks itself: Taguette stored the HTML it cut out for every highlight (`snippet`).
A highlight whose text under our reading differs from its snippet's text is looked up by the
snippet's text instead (nearest occurrence) and reported.

Tags are dotted paths («barrier.queue»); each becomes a code named by its full path under the
code of its parent path, and a parent path that is no tag of its own becomes a code too. GUIDs
are Taguette's own (its QDC export's `uuid5`), so its QDC and its project agree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from html.parser import HTMLParser
from pathlib import Path

from qualtool.i18n import _
from qualtool.interop.offsets import Producer
from qualtool.interop.qdc import dotted_codes, tag_guid
from qualtool.interop.qdpx_import import ImportReport, import_project
from qualtool.interop.qdpx_read import Project, Selection, Source, Tagging
from qualtool.store.taguette import TaguetteHighlight, read_export
from qualtool.workspace.study import Workspace

_HTML_SPACE = " \t\n\f\r"


_BLOCKS = frozenset({"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr",
                     "blockquote", "pre", "caption", "table", "ul", "ol", "dl", "div"})  # fmt: skip


class _Text(HTMLParser):
    """Every text node in document order, as Taguette's server and browser count them; and
    where a block (paragraph, line break, list item, row) starts or ends with no line break in
    the text, the byte position at which the readable text gets one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0  # UTF-8 bytes so far
        self.breaks: list[int] = []  # byte positions (in Taguette's text) that get a "\n"
        self.started = False
        self.after_pre = False
        self.block_edge = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.started = True
        self.after_pre = tag in ("pre", "listing", "textarea")
        self.block_edge = self.block_edge or tag in _BLOCKS

    def handle_endtag(self, tag: str) -> None:
        self.after_pre = False
        self.block_edge = self.block_edge or tag in _BLOCKS

    def handle_data(self, data: str) -> None:
        if not self.started:  # html5lib drops whitespace before the first element
            data = data.lstrip(_HTML_SPACE)
            self.started = bool(data)
        if self.after_pre and data.startswith("\n"):  # ... and the newline opening a <pre>
            data = data[1:]
        self.after_pre = False
        self._add(data)

    def handle_comment(self, data: str) -> None:
        """Taguette's server counts a comment's text (bs4's Comment is a NavigableString);
        its upload sanitiser removes comments, so this matters only for edited databases."""
        self.after_pre = False
        self._add(data)

    def _add(self, data: str) -> None:
        if not data:
            return
        if self.block_edge and self.parts and not self.parts[-1].endswith("\n") \
                and not data.startswith("\n"):  # fmt: skip
            self.breaks.append(self.size)
        self.block_edge = False
        self.parts.append(data)
        self.size += len(data.encode("utf-8", "surrogatepass"))


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def text_content(html: str) -> str:
    """Exactly the text Taguette counts positions in."""
    return "".join(_parse(html).parts)


def readable_text(html: str) -> tuple[str, list[int]]:
    """Taguette's text with a line break at every block edge that has none (paragraphs saved
    on one line, `<br>`), so turns stay turns; and the byte positions where one was added."""
    parser = _parse(html)
    data = "".join(parser.parts).encode("utf-8", "surrogatepass")
    out, last = [], 0
    for at in parser.breaks:
        out += [data[last:at], b"\n"]
        last = at
    out.append(data[last:])
    return b"".join(out).decode("utf-8", "surrogatepass"), parser.breaks


def import_taguette(ws: Workspace, path: Path, default_coder: str = "imported") -> ImportReport:
    return import_project(ws, read_taguette(path), path, default_coder)


def read_taguette(path: Path) -> Project:
    export = read_export(path)
    users = sorted({h.user for h in export.highlights if h.user})
    sources, problems = [], []
    tags = {t.id: t.path for t in export.tags}
    for doc in export.documents:
        exact = text_content(doc.contents)
        text, breaks = readable_text(doc.contents)
        src = Source(f"taguette-document-{doc.id}", doc.name, text, "text",
                     description=doc.description.strip())  # fmt: skip
        for hl in (h for h in export.highlights if h.document_id == doc.id):
            start, end, note = _checked(exact, hl)
            # onto the readable text: a break at the start is before it, at the end after it
            start, end = start + bisect_right(breaks, start), end + bisect_left(breaks, end)
            if note:
                problems.append(f"{doc.name}: highlight {hl.id} {note}")
            if not hl.tags:
                problems.append(_("{name}: highlight {id} has no tag; not imported").format(
                    name=doc.name, id=hl.id))  # fmt: skip
                continue
            src.selections.append(Selection(
                str(hl.id), start, end,
                tuple(Tagging(tag_guid(tags[t]), hl.user) for t in hl.tags if t in tags),
                None, hl.user))  # fmt: skip
        sources.append(src)
    return Project(
        name=export.name,
        origin="Taguette (project.sqlite3)",
        producer=Producer.TAGUETTE,
        base_path="",
        users={u: u for u in users},
        codes=dotted_codes([(t.path, t.description) for t in export.tags]),
        sources=sources,
        cases=[],
        groups=[],
        notes=[],
        skipped=problems,
    )


def _checked(text: str, hl: TaguetteHighlight) -> tuple[int, int, str]:
    """The highlight's byte positions, checked against the snippet Taguette cut with them."""
    data = text.encode("utf-8", "surrogatepass")
    want = text_content(hl.snippet)
    got = data[hl.start : hl.end].decode("utf-8", "replace")
    if got == want or not want:
        return hl.start, hl.end, ""
    needle = want.encode("utf-8", "surrogatepass")
    hits, at = [], data.find(needle)
    while at >= 0:
        hits.append(at)
        at = data.find(needle, at + 1)
    if not hits:
        return hl.start, hl.end, "differs from the text Taguette stored for it; kept as placed"
    best = min(hits, key=lambda h: abs(h - hl.start))
    return best, best + len(needle), "placed by the text Taguette stored for it"
