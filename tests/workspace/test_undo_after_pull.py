"""Undo after a pull: it undoes only what this user did, and applies to the records as they
are now — a colleague's pulled coding ends as its author made it, never lost or moved onto
other words (real git: a bare repository and two clones)."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status

from qualtool.coding.editing import edit_segment_text
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import open_workspace


def _push(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)
    git(study, "push", "-q")


def _pull(study: Path) -> None:
    git(study, "pull", "-q", "--no-rebase", "--no-edit")


def test_undoing_a_merge_gives_a_pulled_coding_its_own_code_back(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(b, "ls")
    qt(a, "codebook", "merge", "BUR.DELAY", "TIME.BREACH")
    qt(b, "code", "idi-01#0", "BUR.DELAY", "--coder", "boris", "--quote",
       "три раза приходить в ЦОН", "--memo", "boris delay")  # fmt: skip
    _push(b, "boris")
    git(a, "add", "-A")
    git(a, "commit", "-qm", "anna merges")
    _pull(a)
    boris = ("boris", "idi-01", 0, "TIME.BREACH", "три раза приходить в ЦОН")
    assert boris in db_codings(a)  # while the merge stands, it follows it
    assert "merge BUR.DELAY into TIME.BREACH" in qt(a, "undo")
    made = ("boris", "idi-01", 0, "BUR.DELAY", "три раза приходить в ЦОН")
    assert made in db_codings(a)
    assert made in file_codings(a)
    dana = {c for c in file_codings(a) if c[0] == "dana" and c[3] == "BUR.DELAY"}
    assert dana  # the merge's own rows come back too
    assert "merge BUR.DELAY into TIME.BREACH" in qt(a, "redo")  # and it can be done again
    assert boris in db_codings(a) and made not in file_codings(a)
    qt(a, "undo")
    _push(a, "anna undoes")
    _pull(b)
    assert made in db_codings(b) and made in file_codings(b)
    c = clone(bare, tmp_path / "C")
    assert made in db_codings(c)
    assert status(c) == ""


def test_undoing_a_text_edit_keeps_a_pulled_coding_on_its_words(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    ws = open_workspace(a)
    seg = tr_store.find_segment(ws.db, "idi-01", 0)
    old = "потому что каждый раз требовали дополнительные справки."
    assert old in seg.text
    edit_segment_text(ws, seg.id or 0, seg.text.replace(
        old, "потому что каждый раз требовали новые дополнительные справки с работы."))  # fmt: skip
    ws.close()
    _push(a, "anna edits")
    _pull(b)
    qt(b, "code", "idi-01#0", "BUR.EXTRA_DOCS", "--coder", "boris", "--quote",
       "справки с работы", "--memo", "boris new words")  # fmt: skip
    qt(b, "code", "idi-01#0", "BUR.EXTRA_DOCS", "--coder", "boris", "--quote",
       "каждый раз требовали")  # fmt: skip
    _push(b, "boris")
    _pull(a)
    out = qt(a, "undo", ok=False)
    ws = open_workspace(a)
    text = tr_store.find_segment(ws.db, "idi-01", 0).text
    rows = ws.db.execute(
        'SELECT c.quote, c.start, c."end", s.text, c.memo FROM codings c '
        "JOIN segments s ON s.id = c.segment_id WHERE c.coder_id = 'boris'"
    ).fetchall()
    ws.close()
    assert len(rows) == 2, out  # nothing silently dropped
    for quote, start, end, seg_text, _memo in rows:
        assert seg_text[start:end] == quote  # never pointing at other words
    words = {r[0]: r for r in rows}
    assert "каждый раз требовали" in words  # still in the restored text: on its words
    if "с работы" not in text:  # the edit was undone: the coding on its words is flagged
        moved = [r for r in rows if r[0] != "каждый раз требовали"]
        assert moved and "справки с работы" in (moved[0][4] or "")
    assert {c for c in db_codings(a) if c[0] == "boris"} <= {
        (c[0], c[1], c[2], c[3], c[4]) for c in file_codings(a)
    }
