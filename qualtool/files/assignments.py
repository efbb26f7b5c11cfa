"""`codings/assignments.yml`, as a plain file: who was given which transcript and who finished it.

Read and written here, without the database, so that the sync (`workspace.carry`) can carry a
colleague's line under a recording's old key to its new one, as `qualtool rename` does; the
meaning — agreement's «coded nothing here» — is `team.assignments`'. One line per assignment,
sorted, rewritten only on change, merged by git with `merge=union` (two laptops assigning at
once no longer stop `git pull`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import union_merge
from qualtool.i18n import _

FILE = "codings/assignments.yml"
HEADER = (
    "# Who codes which transcript, and who has finished it (`qualtool assign`, `qualtool done`).\n"
    "# A finished transcript without codings counts as coded «nothing here» in agreement.\n"
)
_LINE = re.compile(
    r"^- \{recording: (?P<rec>\"(?:[^\"\\]|\\.)*\"|[^,{}]+), coder: "
    r"(?P<coder>\"(?:[^\"\\]|\\.)*\"|[^,{}]+), done: (?P<done>true|false)"
    r"(?:, by: (?P<by>\"(?:[^\"\\]|\\.)*\"|[^,{}]+))?\}$"
)


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    recording: str
    coder: str
    done: bool = False
    by: str = ""  # who gave it; "" when unknown (a line from before `by:`) or the coder themself


def _quote(value: str) -> str:
    if re.fullmatch(r"[\w.\-]+", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def read(root: Path) -> list[Assignment]:
    """The study's assignments, one per (recording, coder); none when there is no file."""
    path = root / FILE
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.strip() == "assignments:":
            continue
        m = _LINE.match(line.strip())
        if not m:
            raise InvalidInput(
                _("{path}:{n}: expected `- {{recording: KEY, coder: NAME, done: true|false}}`")
                .format(path=path, n=n)
            )  # fmt: skip
        out.append(Assignment(_unquote(m["rec"]), _unquote(m["coder"]), m["done"] == "true",
                              _unquote(m["by"] or "")))  # fmt: skip
    return once(out)


def once(items: list[Assignment]) -> list[Assignment]:
    """One assignment per (recording, coder), sorted. `.gitattributes` merges the file with
    `merge=union`, so two laptops assigning or finishing at once leave both lines — the same
    line twice, or one coder's transcript both open and done: done wins (someone finished it;
    the same on every laptop whichever way the merge went), keeping who gave it from any of the
    lines (a coder's «done» written before the assigner's `by:` arrived). The next write leaves
    it clean."""
    out: dict[tuple[str, str], Assignment] = {}
    for a in sorted(items):  # sorted: the same outcome whatever order the union left
        had = out.get((a.recording, a.coder))
        win = a if had is None or a.done else had
        by = win.by or (had.by if had is not None else "") or a.by
        out[(a.recording, a.coder)] = replace(win, by=by)
    return sorted(out.values())


def _by(a: Assignment) -> str:
    """`, by: NAME` for a transcript someone else gave; nothing for one the coder took."""
    return f", by: {_quote(a.by)}" if a.by and a.by != a.coder else ""


def render(items: list[Assignment]) -> str:
    lines = [f"- {{recording: {_quote(a.recording)}, coder: {_quote(a.coder)}, "
             f"done: {'true' if a.done else 'false'}{_by(a)}}}"
             for a in once(list(items))]  # fmt: skip
    return HEADER + "assignments:\n" + "".join(line + "\n" for line in lines)


def write(root: Path, items: list[Assignment]) -> bool:
    """Rewritten only when its text changes; True when written."""
    path = root / FILE
    text = render(items)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    union_merge(root, FILE)  # an older study's .gitattributes gains its line
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def rekeyed(root: Path, target: Callable[[str], str | None]) -> tuple[str, str] | None:
    """(before, after) of the file with every line of a recording `target` names a new key for
    (`qualtool rename`, or a colleague's rename the sync carries) under that key; None when no
    line moves. A line landing on one the new key has already is one line (done wins)."""
    items = read(root)
    moved = [replace(a, recording=new) if (new := target(a.recording)) else a for a in items]
    if moved == items:
        return None
    return (root / FILE).read_text(encoding="utf-8"), render(moved)
