"""User-facing errors.

Everything a user can cause (a wrong id, a corrupt file, a broken codebook) raises a
`QualtoolError`; the CLI prints its message as one line and exits non-zero, the TUI shows it
as a notification. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from qualtool.i18n import _, ngettext


class QualtoolError(Exception):
    """A problem the user can fix; the message says how."""


class NotFound(QualtoolError):
    """A recording, code, coder or segment id that does not exist."""


class InvalidInput(QualtoolError):
    """A file or value that cannot be accepted (not audio, empty, duplicate, malformed)."""


class CodebookError(QualtoolError):
    """The codebook file cannot be loaded; carries every problem with its line number."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0] if problems else (0, _("unknown problem"))
        extra = len(problems) - 1
        more = ngettext(" (+{n} more)", " (+{n} more)", extra).format(n=extra) if extra > 0 else ""
        super().__init__(f"{path}:{first[0]}: {first[1]}{more}")

    def report(self) -> str:
        return "\n".join(f"{self.path}:{line}: {msg}" for line, msg in self.problems)


class ModelUnavailable(QualtoolError):
    """No Whisper model can be loaded; the message says how to get one."""
