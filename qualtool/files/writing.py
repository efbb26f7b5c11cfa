"""Writing study files: only when the content changes, atomically (no half-written file)."""

from __future__ import annotations

from pathlib import Path

from qualtool.domain.errors import QualtoolError
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
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except PermissionError as exc:
        raise ReadOnlyStudy(
            _("cannot write {path}: {error} (is the study read-only?)").format(
                path=path, error=exc.strerror
            )
        ) from None
    return True


class ReadOnlyStudy(QualtoolError):
    """A write into a study folder the user may only read."""
