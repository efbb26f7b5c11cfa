"""Is a name left anywhere? The byte grep the anonymisation tests end with (tests/privacy/,
tests/workspace/): every file of the study — qualtool.db, its WAL and shared memory among them,
where SQLite keeps the old text of a row it rewrote — read as UTF-8 and matched in any case; an
archive (XLSX, DOCX, QDPX) is read member by member, deflated, and XML character references
(openpyxl writes Cyrillic as «&#1043;…») are decoded, or a name in a spreadsheet is never seen."""

from __future__ import annotations

import html
import zipfile
from collections.abc import Iterable
from pathlib import Path


def database_files(root: Path) -> list[Path]:
    """The study's database as it lies on disk: qualtool.db, and its -wal and -shm files when
    there are any."""
    db = root / "qualtool.db"
    paths = (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
    return [p for p in paths if p.exists()]


def names_left(root: Path, names: Iterable[str],
               files: Iterable[Path] | None = None) -> dict[str, list[str]]:  # fmt: skip
    """Which of `files` (by default every file of the study at `root`, which must have a
    database: a check that did not read it would prove nothing) hold which `names`, in their
    bytes or their own path, in any case: as written, lower, upper, capitalised or mixed."""
    if files is None:
        assert (root / "qualtool.db").is_file(), f"{root}: no qualtool.db to look in"
        files = sorted(p for p in root.rglob("*") if p.is_file())
    wanted = list(names)
    out: dict[str, list[str]] = {}
    for path in files:
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        text = f"{where}\n{readable(path)}".lower()
        found = [n for n in wanted if n.lower() in text]
        if found:
            out[where] = found
    return out


def readable(path: Path) -> str:
    """A file's text as a reader would see it: its bytes, and an archive's members deflated,
    with XML character references decoded."""
    blobs = [path.read_bytes()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            blobs += [z.read(n) for n in z.namelist()]
    return "\n".join(html.unescape(b.decode("utf-8", "replace")) for b in blobs)


def assert_no_name(root: Path, names: Iterable[str], files: Iterable[Path] | None = None) -> None:
    """No form of any of `names` left in `files` (by default every file of the study)."""
    left = names_left(root, names, files)
    assert not left, left
