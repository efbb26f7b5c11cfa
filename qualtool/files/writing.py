"""Writing study files: only when the content changes, atomically (no half-written file);
and exports, through a scratch `.part` file whose name the user never sees."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.i18n import _


def write_if_changed(path: Path, text: str) -> bool:
    """True when the file was (re)written; an unchanged file keeps its bytes and its mtime."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except BaseException:  # a Ctrl+C between the two leaves no scratch file behind
            tmp.unlink(missing_ok=True)
            raise
    except PermissionError as exc:
        raise ReadOnlyStudy(
            _("cannot write {path}: {error} (is the study read-only?)").format(
                path=path, error=exc.strerror
            )
        ) from None
    return True


def union_merge(root: Path, name: str) -> bool:
    """A study made before `init` wrote `NAME merge=union` into .gitattributes gains the line
    the first time qualtool writes that file: without it two people's lines at one place stop
    `git pull` with a conflict. Appended after the lines there (none is changed), only when no
    line gives the file attributes already (a study's own choice, `-merge` say, is kept).
    True when .gitattributes changed."""
    path = root / ".gitattributes"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if any(line.split()[:1] in ([name], [f"/{name}"]) for line in old.splitlines()):
        return False
    text = old + ("\n" if old and not old.endswith("\n") else "") + f"{name} merge=union\n"
    tmp = path.with_name(".gitattributes.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


class ReadOnlyStudy(QualtoolError):
    """A write into a study folder the user may only read."""


@contextmanager
def export_file(path: Path) -> Iterator[Path]:
    """Write an export (report, table, project, a coder's layer) to the path the user gave:
    the caller writes the yielded `<name>.part`, which replaces `path` once complete, so a
    failed export leaves neither a half file nor the scratch one. Any failure names the user's
    path — the `.part` file is ours, the user never typed it — in the interface language."""
    folder = path.parent
    if not folder.is_dir():
        problem = _("not a folder") if folder.exists() else _("no such folder")
        raise InvalidInput(_("cannot write {path}: {folder}: {problem}").format(
            path=path, folder=folder, problem=problem))  # fmt: skip
    tmp = path.with_name(path.name + ".part")
    try:
        yield tmp
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(_("cannot write {path}: {error}").format(
            path=path, error=_os_reason(exc))) from None  # fmt: skip
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _os_reason(exc: OSError) -> str:
    """The system's reason in the interface language for the usual cases, else its own words."""
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if isinstance(exc, IsADirectoryError):
        return _("a folder has that name")
    if isinstance(exc, FileNotFoundError):
        return _("no such folder")
    return exc.strerror or str(exc)


def committed(root: Path, rel: str) -> str | None:
    """A study file as the last commit has it (`git show HEAD:`); None outside git, before a
    first commit, or when it was not committed. Only a committed line can be on a colleague's
    laptop, so only its undoing needs a tombstone (a layer's coding, a review decision)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{rel}"],
                              capture_output=True, check=False, timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None
