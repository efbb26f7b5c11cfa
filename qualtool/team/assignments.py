"""Who was given which transcript to code, and who has finished it: `codings/assignments.yml`.

Agreement needs to tell "read it and found nothing to code" from "never looked at it": a coder
who was assigned a transcript and marked it done, but coded nothing in it, judged every unit
there as absent; a coder without that record is missing there. The file is the truth (reviewed
in git like the coders' layers): one line per assignment, sorted, rewritten only on change, and
merged by git with `merge=union` (two laptops assigning at once no longer stop `git pull`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.domain.names import check_name
from qualtool.files.writing import union_merge
from qualtool.i18n import _
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace

FILE = "codings/assignments.yml"
HEADER = (
    "# Who codes which transcript, and who has finished it (`qualtool assign`, `qualtool done`).\n"
    "# A finished transcript without codings counts as coded «nothing here» in agreement.\n"
)
_LINE = re.compile(
    r"^- \{recording: (?P<rec>\"(?:[^\"\\]|\\.)*\"|[^,{}]+), coder: "
    r"(?P<coder>\"(?:[^\"\\]|\\.)*\"|[^,{}]+), done: (?P<done>true|false)\}$"
)


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    recording: str
    coder: str
    done: bool = False


def path_of(ws: Workspace) -> Path:
    return ws.study.root / FILE


def _quote(value: str) -> str:
    if re.fullmatch(r"[\w.\-]+", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def load(ws: Workspace) -> list[Assignment]:
    path = path_of(ws)
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
        out.append(Assignment(_unquote(m["rec"]), _unquote(m["coder"]), m["done"] == "true"))
    return _once(out)


def _once(items: list[Assignment]) -> list[Assignment]:
    """One assignment per (recording, coder), sorted. `.gitattributes` merges the file with
    `merge=union`, so two laptops assigning or finishing at once leave both lines — the same
    line twice, or one coder's transcript both open and done: done wins (someone finished it;
    the same on every laptop whichever way the merge went). The next write leaves it clean."""
    out: dict[tuple[str, str], Assignment] = {}
    for a in items:
        had = out.get((a.recording, a.coder))
        out[(a.recording, a.coder)] = a if had is None or a.done else had
    return sorted(out.values())


def render(items: list[Assignment]) -> str:
    lines = [f"- {{recording: {_quote(a.recording)}, coder: {_quote(a.coder)}, "
             f"done: {'true' if a.done else 'false'}}}" for a in _once(list(items))]  # fmt: skip
    return HEADER + "assignments:\n" + "".join(line + "\n" for line in lines)


def save(ws: Workspace, items: list[Assignment]) -> Path:
    path = path_of(ws)
    text = render(items)
    if not (path.exists() and path.read_text(encoding="utf-8") == text):
        union_merge(ws.study.root, FILE)  # an older study's .gitattributes gains its line
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def assign(ws: Workspace, key: str, coder: str, *, done: bool | None = None,
           remove: bool = False) -> Assignment | None:  # fmt: skip
    """Give `key` to `coder` (idempotent); `done` marks it finished or reopens it."""
    rec = rec_store.get_recording(ws.db, key)  # NotFound with a clear message
    if not coder.strip():
        raise InvalidInput(_("a coder needs a name"))
    check_name(coder, "coder")  # the coder's work goes to codings/<coder>.json
    items = {(a.recording, a.coder): a for a in load(ws)}
    if remove:
        items.pop((rec.key, coder), None)
        save(ws, list(items.values()))
        return None
    old = items.get((rec.key, coder))
    new = Assignment(rec.key, coder, done if done is not None else bool(old and old.done))
    items[(rec.key, coder)] = new
    save(ws, list(items.values()))
    return new


def finished(ws: Workspace) -> dict[int, set[str]]:
    """transcript id -> coders who finished it (whatever they coded there)."""
    out: dict[int, set[str]] = {}
    for a in load(ws):
        if not a.done:
            continue
        try:
            rec = rec_store.get_recording(ws.db, a.recording)
        except NotFound:  # a recording removed since: the line stays, it just doesn't count
            continue
        t = tr_store.get_transcript(ws.db, rec.id or 0, with_segments=False)
        if t is not None:
            out.setdefault(t.id or 0, set()).add(a.coder)
    return out
