"""A deletion stays deleted after a union merge of the coder layer (real git: a bare repository
and two clones). Anna splits a segment, so dana's coding on it is re-anchored and her sync
rewrites dana's line; meanwhile boris deletes (or changes) that coding. Before tombstones the
union kept the re-anchored line and the deleted coding came back on every laptop."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status

from qualtool.coding.actions import recode, remove_coding, set_coding_memo
from qualtool.coding.editing import split_segment
from qualtool.coding.history import undo
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import open_workspace

QUOTE = "требовали дополнительные справки"
CUT = "мне пришлось три раза приходить в ЦОН, "


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message, "--allow-empty")


def _push(study: Path, message: str) -> None:
    _commit(study, message)
    git(study, "push", "-q")


def _pull(study: Path) -> None:
    git(study, "pull", "-q", "--no-rebase", "--no-edit")


def _split(study: Path) -> None:
    """Anna cuts idi-01#0 after «…в ЦОН, »: dana's coding on its last words moves to #1."""
    ws = open_workspace(study)
    try:
        seg = tr_store.find_segment(ws.db, "idi-01", 0)
        split_segment(ws, seg.id or 0, seg.text.index(CUT) + len(CUT))
    finally:
        ws.close()


def _dana_coding(study: Path) -> int:
    ws = open_workspace(study)
    try:
        row = ws.db.execute(
            "SELECT id FROM codings WHERE coder_id = 'dana' AND quote = ? "
            "AND code_id = 'BUR.EXTRA_DOCS'", [QUOTE]).fetchone()  # fmt: skip
        return int(row[0])
    finally:
        ws.close()


def _listing(study: Path) -> list[str]:
    """`quotes ls` of every coder, without its first column (a database id, per laptop)."""
    out = qt(study, "quotes", "ls", "--all-coders", "--include-originals")
    return sorted(line.split(None, 1)[-1] for line in out.splitlines())


def _hers(rows: set[tuple[str, str, int, str, str]]) -> set[tuple[str, str, int, str, str]]:
    return {r for r in rows if r[0] == "dana" and r[4] == QUOTE}


def _cross(tmp_path: Path, on_b: object) -> tuple[Path, Path, Path]:
    """A splits and pushes; B does `on_b` to dana's coding, commits, pulls (union merge),
    syncs and pushes; A pulls and syncs; C is a fresh clone of the end result."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(a, "ls")
    qt(b, "ls")
    _split(a)
    _push(a, "anna splits")
    ws = open_workspace(b)
    try:
        on_b(ws, _dana_coding(b))  # type: ignore[operator]
    finally:
        ws.close()
    _commit(b, "boris")
    _pull(b)
    qt(b, "sync")
    _push(b, "boris merges")
    _pull(a)
    qt(a, "sync")
    c = clone(bare, tmp_path / "C")
    for study in (a, b):
        qt(study, "sync")
        assert status(study) == "", status(study)
    qt(c, "sync")
    assert status(c) == ""
    return a, b, c


def test_a_deletion_survives_a_union_with_the_re_anchored_line(tmp_path: Path) -> None:
    a, b, c = _cross(tmp_path, remove_coding)
    for study in (a, b, c):
        assert not _hers(db_codings(study)), study.name
        assert not _hers(file_codings(study)), study.name
    assert _listing(a) == _listing(b) == _listing(c)


def test_a_memo_changed_while_the_split_re_anchored_it_is_one_coding(tmp_path: Path) -> None:
    a, b, c = _cross(tmp_path, lambda ws, cid: set_coding_memo(ws, cid, "boris: too many"))
    for study in (a, b, c):
        ws = open_workspace(study)
        try:
            rows = ws.db.execute(
                "SELECT s.idx, c.memo FROM codings c JOIN segments s ON s.id = c.segment_id "
                "WHERE c.coder_id = 'dana' AND c.quote = ?", [QUOTE]).fetchall()  # fmt: skip
        finally:
            ws.close()
        assert [tuple(r) for r in rows] == [(1, "boris: too many")], study.name
    assert _listing(a) == _listing(b) == _listing(c)


def test_a_recode_while_the_split_re_anchored_it_is_one_coding(tmp_path: Path) -> None:
    a, b, c = _cross(tmp_path, lambda ws, cid: recode(ws, cid, "BUR.RESUBMIT"))
    for study in (a, b, c):
        assert _hers(db_codings(study)) == {("dana", "idi-01", 1, "BUR.RESUBMIT", QUOTE)}
    assert _listing(a) == _listing(b) == _listing(c)


def test_undoing_the_deletion_brings_it_back_on_both_laptops(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(a, "ls")
    ws = open_workspace(b)
    try:
        remove_coding(ws, _dana_coding(b))
    finally:
        ws.close()
    _push(b, "boris deletes")
    _pull(a)
    qt(a, "sync")
    assert not _hers(db_codings(a))
    ws = open_workspace(b)
    try:
        undo(ws)
    finally:
        ws.close()
    back = {("dana", "idi-01", 0, "BUR.EXTRA_DOCS", QUOTE)}
    assert _hers(db_codings(b)) == back
    assert '"deleted"' not in (b / "codings" / "dana.json").read_text(encoding="utf-8")
    _push(b, "boris undoes")
    _pull(a)
    qt(a, "sync")
    assert _hers(db_codings(a)) == back == _hers(file_codings(a))
    assert status(a) == ""
    assert _listing(a) == _listing(b)


def test_a_deletion_pushed_first_survives_the_splitters_union(tmp_path: Path) -> None:
    """The other order: boris deletes and pushes first; anna's split re-anchored the line on
    her laptop, and her pull is the union merge."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    qt(a, "ls")
    qt(b, "ls")
    ws = open_workspace(b)
    try:
        remove_coding(ws, _dana_coding(b))
    finally:
        ws.close()
    _push(b, "boris deletes")
    _split(a)
    _commit(a, "anna splits")
    _pull(a)
    qt(a, "sync")
    _push(a, "anna merges")
    _pull(b)
    qt(b, "sync")
    c = clone(bare, tmp_path / "C")
    for study in (a, b, c):
        qt(study, "sync")
        assert status(study) == "", study.name
        assert not _hers(db_codings(study)), study.name
    assert _listing(a) == _listing(b) == _listing(c)
