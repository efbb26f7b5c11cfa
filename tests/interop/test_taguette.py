"""Real Taguette 1.5.2 output (tests/data/taguette, produced by Taguette's own server with
make_fixtures.py): its project export (`project.sqlite3`, Taguette has no QDPX export), its
QDC codebook and its highlights CSV. Taguette counts positions in UTF-8 bytes of the HTML
document's text nodes; the coded text must be exactly the text Taguette stored with each
highlight."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import child_env
from interop_data import DATA, fresh_study

from qualtool.domain.errors import InvalidInput
from qualtool.files.codebook import load_codebook as load_file
from qualtool.interop.offsets import OffsetModel, choose_model
from qualtool.interop.qdc import read_qdc, tag_guid
from qualtool.interop.taguette import import_taguette, read_taguette, readable_text, text_content
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace, open_workspace

TAGUETTE = DATA / "taguette"
EXPORT = TAGUETTE / "project.sqlite3"


@pytest.fixture
def new_study(tmp_path: Path) -> Iterator[Workspace]:
    yield from fresh_study(tmp_path)


def highlights() -> list[tuple[int, str, list[str]]]:
    """(highlight id, the text of Taguette's stored snippet, tag paths), read directly."""
    con = sqlite3.connect(EXPORT)
    tags: dict[int, list[str]] = {}
    for hid, path in con.execute("SELECT highlight_id, path FROM highlight_tags "
                                 "JOIN tags ON tags.id = tag_id"):  # fmt: skip
        tags.setdefault(hid, []).append(path)
    rows = con.execute("SELECT id, snippet FROM highlights ORDER BY id").fetchall()
    con.close()
    return [(hid, readable_text(snippet)[0], sorted(tags[hid])) for hid, snippet in rows]


def coded(ws: Workspace) -> set[tuple[str, str]]:
    cb = load_codebook(ws.db)
    return {(cb.get(r["code_id"]).label_ru, r["quote"])
            for r in ws.db.query("SELECT code_id, quote FROM codings")}  # fmt: skip


def expected() -> set[tuple[str, str]]:
    """Each highlight's text once per tag; one across paragraphs (or a `<br>`) is one coding
    per turn."""
    return {(tag, line.strip()) for _hid, text, paths in highlights() for tag in paths
            for line in text.split("\n") if line.strip()}  # fmt: skip


def test_read_taguette_project() -> None:
    proj = read_taguette(EXPORT)
    assert proj.producer == "Taguette" and proj.name == "Госуслуги: барьеры (пилот)"
    assert [s.name for s in proj.sources] == ["Интервью 01 — МФЦ, Алматы",
                                              "Интервью 02 — акимат, Шымкент",
                                              "Интервью 03 — поликлиника, Караганда",
                                              "Интервью 04 — КСК, Усть-Каменогорск"]  # fmt: skip
    assert [len(s.selections) for s in proj.sources] == [4, 3, 4, 4]
    # 7 tags and the path «support», which is no tag of its own
    assert sorted(c.name for c in proj.codes) == [
        "barrier", "barrier.digital", "barrier.documents", "barrier.queue", "interesting",
        "support", "support.informal", "support.staff"]  # fmt: skip
    parent = {c.name: c.parent_guid for c in proj.codes}
    assert parent["barrier.queue"] == tag_guid("barrier") and parent["barrier"] is None
    assert parent["support.staff"] == tag_guid("support")
    assert proj.users == {"admin": "admin"} and proj.skipped == []


def test_taguette_qdc_has_the_same_codes(tmp_path: Path) -> None:
    """Taguette's own QDC export: flat dotted names; read with the same hierarchy and GUIDs
    as its project, and `qualtool refi import codebook.qdc` makes a valid nested codebook."""
    qdc = read_qdc(TAGUETTE / "codebook.qdc")
    shape = lambda codes: [(c.guid, c.name, c.parent_guid) for c in codes]  # noqa: E731
    assert shape(qdc) == shape(read_taguette(EXPORT).codes)
    assert {c.description for c in qdc} == {""}  # Taguette's QDC carries no descriptions
    assert len(qdc) == 8 and tag_guid("barrier.queue") in {c.guid for c in qdc}
    out = tmp_path / "taguette.yml"
    r = subprocess.run([sys.executable, "-m", "qualtool", "refi", "import",
                        str(TAGUETTE / "codebook.qdc"), "-o", str(out)], cwd=tmp_path,
                       capture_output=True, text=True, env=child_env(tmp_path))  # fmt: skip
    assert r.returncode == 0, r.stderr
    cb = load_file(out)
    assert len(cb) == 8 and len(cb.roots()) == 3  # barrier, interesting, support
    queue = next(c for c in cb.codes if c.label_ru == "barrier.queue")
    assert cb.get(queue.parent_id or "").label_ru == "barrier"


def test_positions_are_utf8_bytes() -> None:
    """Read as code points (the REFI-QDA standard), Taguette's positions cut words."""
    proj = read_taguette(EXPORT)
    texts = [(s.text or "", [(x.start, x.end) for x in s.selections]) for s in proj.sources]
    own = choose_model(texts, OffsetModel.UTF8)
    assert own.model == OffsetModel.UTF8 and own.mid_word == 0 and not own.switched
    assert choose_model(texts, OffsetModel.CODE_POINTS).model == OffsetModel.UTF8  # self-check
    for src in proj.sources:
        data = (src.text or "").encode()
        for sel in src.selections:
            quote = data[sel.start : sel.end].decode()
            assert quote == quote.strip() and quote[-1] != " "


def test_import_into_an_empty_study(new_study: Workspace) -> None:
    assert not new_study.study.codebook_path.exists()
    r = import_taguette(new_study, EXPORT)
    assert r.producer == "Taguette" and r.offsets == "UTF-8 bytes"
    assert len(r.sources) == 4 and r.selections == 15 and r.mid_word == 0
    assert len(r.new_codes) == 8 and r.problems == []
    # 15 highlights, four with two tags, three across two turns (paragraphs or a <br>)
    assert r.codings == 21
    assert coded(new_study) == expected()
    assert len(expected()) == 21
    cb = load_codebook(new_study.db)
    queue = next(c for c in cb.codes if c.label_ru == "barrier.queue")
    assert queue.definition == "Очереди и ожидание"
    assert cb.get(queue.parent_id or "").label_ru == "barrier"
    coders = {r["coder_id"] for r in new_study.db.query("SELECT coder_id FROM codings")}
    assert coders == {"admin"}  # who added them, from Taguette's command log
    again = import_taguette(new_study, EXPORT)
    assert again.sources == [] and again.codings == 0 and again.already == 21


def test_coded_text_matches_taguettes_csv(new_study: Workspace) -> None:
    """Taguette's highlights CSV (its plain text of each snippet, blocks joined by a space)."""
    import_taguette(new_study, EXPORT)
    with (TAGUETTE / "highlights.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 18  # one row a (highlight, tag)
    ours = coded(new_study)
    for row in rows:
        pieces = [q for tag, q in ours if tag == row["tag"] and q in row["content"]]
        assert " ".join(sorted(pieces, key=row["content"].index)) == row["content"], row


def test_moved_position_is_placed_by_the_stored_snippet(tmp_path: Path) -> None:
    copy = tmp_path / "moved.sqlite3"
    shutil.copy(EXPORT, copy)
    con = sqlite3.connect(copy)
    con.execute("UPDATE highlights SET start_offset = start_offset + 4, "
                "end_offset = end_offset + 4 WHERE id = 1")  # fmt: skip
    con.commit()
    con.close()
    proj = read_taguette(copy)
    sel = next(s for s in proj.sources[0].selections if s.guid == "1")
    data = (proj.sources[0].text or "").encode()
    assert data[sel.start : sel.end].decode() == "очередь уже стояла до самой двери"
    assert proj.skipped == ["Интервью 01 — МФЦ, Алматы: highlight 1 placed by the text "
                            "Taguette stored for it"]  # fmt: skip


def test_not_a_taguette_export(new_study: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite3"
    bad.write_bytes(b"not a database at all" * 10)
    with pytest.raises(InvalidInput, match="not a Taguette project export"):
        import_taguette(new_study, bad)
    assert not new_study.study.codebook_path.exists()


def test_cli_init_then_import_taguette(tmp_path: Path) -> None:
    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qualtool", *args], cwd=cwd,
                              capture_output=True, text=True,
                              env=child_env(cwd, COLUMNS="160"))  # fmt: skip

    r = run("init", str(tmp_path / "s"), "--no-codebook", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    study = tmp_path / "s"
    r = run("refi", "import", str(EXPORT), cwd=study)
    assert r.returncode == 0, r.stderr
    assert "Taguette project, positions as UTF-8 bytes" in r.stdout
    assert "4 new source(s), 21 coding(s) added" in r.stdout and "8 new code(s)" in r.stdout
    assert "check: 0 of 15 selection(s) start or end inside a word" in r.stdout
    assert r.stderr == ""
    assert (study / "codings" / "admin.json").exists()  # Taguette's user, from its command log
    other = tmp_path / "not-taguette.sqlite3"  # another tool's database: one clear line
    shutil.copy(study / "qualtool.db", other)
    r = run("refi", "import", str(other), cwd=study)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode != 0 and len(lines) == 1 and "not a Taguette project export" in lines[0]
    (study / "qualtool.db").unlink()  # the files are the truth
    ws = open_workspace(study)
    try:
        assert coded(ws) == expected()
    finally:
        ws.close()


@pytest.mark.parametrize(("html", "text"), [
    ("\n<p>Hello &amp; <b>world</b></p>\n<p>Привет</p>", "Hello & world\nПривет"),
    ("<h1>T</h1>\n<p>a<br>b</p>", "T\nab"),
    ("  <p>x</p>  <!-- c --> <p>y</p>", "x   c  y"),
    ("<table><tr><td>a</td></tr></table>\n<p>b</p>", "a\nb"),
    ("<p>a&nbsp;b &lt;tag&gt; 🙂</p>", "a\xa0b <tag> 🙂"),
    ("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", "\none\ntwo\n"),
    ("<pre>\nline1\nline2</pre>", "line1\nline2"),
    ("<pre>x\n</pre>\n<p>\nz</p>", "x\n\n\nz"),
    ("<p>a</p><pre>\n\nb</pre>", "a\nb"),
])  # fmt: skip
def test_text_content_counts_what_taguette_counts(html: str, text: str) -> None:
    """Expected values are what Taguette 1.5.2's own parse gives (BeautifulSoup + html5lib,
    every NavigableString, as `extract.find_pos` walks them), computed in Taguette's venv."""
    assert text_content(html) == text


def test_one_line_html_keeps_its_turns(new_study: Workspace) -> None:
    """Document 4 was saved on one line: Taguette's text has no break between paragraphs nor
    at the `<br>` («быстро.Но»). The readable text gets them, positions move with them."""
    proj = read_taguette(EXPORT)
    doc = proj.sources[3]
    assert text_content(_contents(4)).count("\n") == 0
    assert (doc.text or "").split("\n") == [
        "Интервью 04", "Интервьюер: Как вы платите за коммунальные услуги?",
        "Респондент (Бауыржан, 45): Через Kaspi, это быстро.",
        "Но квитанции приходят с ошибками, приходится звонить в КСК."]  # fmt: skip
    import_taguette(new_study, EXPORT)
    assert {q for tag, q in coded(new_study) if tag == "interesting"} >= {
        "быстро.", "Но квитанции", "Как вы платите за коммунальные услуги?"[-7:],
        "Респондент (Бауыржан, 45): Через Kaspi"}  # fmt: skip
    assert ("support.informal", "Через Kaspi, это быстро.") in coded(new_study)


def _contents(doc_id: int) -> str:
    con = sqlite3.connect(EXPORT)
    try:
        return str(con.execute("SELECT contents FROM documents WHERE id = ?", (doc_id,))
                   .fetchone()[0])  # fmt: skip
    finally:
        con.close()


@pytest.mark.parametrize(("html", "text", "breaks"), [
    ("<p>a</p><p>b</p>", "a\nb", [1]),
    ("<p>a<br>b</p>", "a\nb", [1]),
    ("<p>a</p>\n<p>b</p>", "a\nb", []),  # Taguette's own line break is kept, none added
    ("<p>a <b>b</b></p><ul><li>ц</li><li>д</li></ul>", "a b\nц\nд", [3, 5]),  # bytes
])  # fmt: skip
def test_readable_text_adds_a_break_at_each_block_edge(html: str, text: str,
                                                       breaks: list[int]) -> None:  # fmt: skip
    assert readable_text(html) == (text, breaks)
    assert readable_text(html)[0].replace("\n", "") == text_content(html).replace("\n", "")


def test_whole_taguette_server_database_is_refused(tmp_path: Path) -> None:
    """A server's database holds many projects; Taguette's project export holds one."""
    copy = tmp_path / "taguette.sqlite3"
    shutil.copy(EXPORT, copy)
    con = sqlite3.connect(copy)
    con.execute("INSERT INTO projects (name, description, created) VALUES ('b', '', '2026-01-01')")
    con.commit()
    con.close()
    with pytest.raises(InvalidInput, match="2 projects inside; a Taguette export has one"):
        read_taguette(copy)
