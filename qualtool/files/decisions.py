"""`privacy/decisions.yml`, the anonymisation review's decisions, as a plain file: read
(checked), written (only when it changes), and renumbered when a segment is split or merged.

It lives below the features because the transcript editor (`coding/`) must move decisions
with their words in the same journaled step as a split or merge, and `privacy/` (which gives
the file its meaning) may not be imported from there.

Layout, for git: one decision per line, sorted, under a header that never changes — an empty
file is `decisions:` with no items (YAML null, read as empty), never `decisions: []`, so the
header line is the same on every clone. `.gitattributes` gives the file `merge=union`: two
reviewers' decisions on different findings land in one hunk (git's ordinary merge would stop
with a conflict there), and union keeps both lines. Reading tolerates what a union merge can
leave — the same line twice, or two decisions on one span (the one that replaces wins, so a
disagreement errs on the side of privacy). A carried-out decision a union merge brings back is
dropped again by the next `--apply`.

A name a reviewer adds by hand outside the transcript (a memo, a recording's notes, a speaker
label) is a decision too, `where` naming the text it was typed in (`memos`, `notes:<recording>`,
`speaker:<recording>`): it is one per words (`span_key`), not per offsets, since it holds
wherever those words stand outside the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from qualtool.domain.errors import InvalidInput
from qualtool.files import writing
from qualtool.i18n import _

DECISIONS_FILE = Path("privacy") / "decisions.yml"
ACCEPT, REJECT, ADD = "accept", "reject", "add"
DECISIONS = (ACCEPT, REJECT, ADD)
_FIELDS = ("where", "start", "end", "kind", "digest", "decision")
MEMOS, NOTES, SPEAKER = "memos", "notes", "speaker"  # texts outside the transcript
_RANK = {REJECT: 0, ACCEPT: 1, ADD: 2}  # two decisions on one span: the one that replaces wins
HEADER = ("# Anonymisation review decisions (qualtool anonymise). No original text: spans and\n"
          "# keyed hashes only. One decision per line (git merges them line by line).\n"
          "decisions:\n")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Decision:
    where: str  # "<recording>#<segment idx>"
    start: int
    end: int
    kind: str
    digest: str
    decision: str  # accept | reject | add

    @property
    def outside(self) -> bool:
        """A name added outside the transcript, not a decision on a segment's span."""
        return is_outside(self.where)

    @property
    def recording(self) -> str:
        return "" if self.outside else self.where.rsplit("#", 1)[0]

    @property
    def idx(self) -> int:
        return -1 if self.outside else int(self.where.rsplit("#", 1)[1])


def is_outside(where: str) -> bool:
    """`memos`, `notes:<recording>`, `speaker:<recording>`: a text outside the transcript."""
    area, sep, rec = where.partition(":")
    return where == MEMOS or (area in (NOTES, SPEAKER) and bool(sep) and bool(rec))


def rekeyed(d: Decision, target: Callable[[str], str | None]) -> Decision:
    """`d` with its recording's key replaced where `target(key)` names a new one (`qualtool
    rename`, or a colleague's rename the sync follows): «idi-02#3» and «notes:idi-02» both
    name the recording."""
    area, sep, rec = d.where.partition(":")
    if sep and (new := target(rec)):
        return replace(d, where=f"{area}:{new}")
    head, hash_, idx = d.where.rpartition("#")
    if hash_ and (new := target(head)):
        return replace(d, where=f"{new}#{idx}")
    return d


def span_key(d: Decision) -> tuple[str, int | str, int]:
    """What one decision stands for: a segment's span, or an outside name's words (its
    offsets only say where it was typed first)."""
    return (d.where, d.digest, 0) if d.outside else (d.where, d.start, d.end)


def _bad(path: Path, error: str) -> InvalidInput:
    return InvalidInput(_("{path}: not a decisions file ({error})").format(path=path, error=error))


def _decision(path: Path, n: int, item: object) -> Decision:
    """One item, checked field by field: a hand edit or a merge must fail with a line that
    says what is wrong, not a traceback deep in the review."""
    if not isinstance(item, dict) or set(item) != set(_FIELDS):
        raise _bad(
            path, _("item {n}: needs exactly {fields}").format(n=n, fields=", ".join(_FIELDS))
        )
    where, start, end = item["where"], item["start"], item["end"]
    outside = isinstance(where, str) and is_outside(where)
    if not outside and (not isinstance(where, str) or "#" not in where
                        or not where.rsplit("#", 1)[1].isdigit()):  # fmt: skip
        raise _bad(path, _("item {n}: where must be RECORDING#SEGMENT, memos, notes:RECORDING "
                           "or speaker:RECORDING").format(n=n))  # fmt: skip
    if any(type(v) is not int for v in (start, end)) or not 0 <= start < end:
        raise _bad(
            path, _("item {n}: start and end must be whole numbers, start < end").format(n=n)
        )
    if item["decision"] not in DECISIONS:
        raise _bad(path, _("item {n}: decision must be one of {allowed}").format(
            n=n, allowed=", ".join(DECISIONS)))  # fmt: skip
    if not isinstance(item["digest"], str) or not isinstance(item["kind"], str):
        raise _bad(path, _("item {n}: kind and digest must be text").format(n=n))
    if outside and item["decision"] != ADD:
        raise _bad(
            path, _("item {n}: outside the transcript a decision can only be add").format(n=n)
        )
    return Decision(where, start, end, item["kind"], item["digest"], item["decision"])


def read(root: Path) -> list[Decision]:
    """The file's decisions, one per span (see the module's note on merges)."""
    path = root / DECISIONS_FILE
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    if any(line.startswith(("<<<<<<<", ">>>>>>>")) for line in text.splitlines()):
        raise _bad(path, _("git conflict markers: resolve the merge, then run it again"))
    rows = _lines(text)
    if rows is None:
        found = [_decision(path, n, item) for n, item in enumerate(_parsed(path, text), 1)]
    else:
        found = [_row(path, n, row) for n, row in enumerate(rows, 1)]
    spans: dict[tuple[str, int | str, int], Decision] = {}
    for d in found:
        old = spans.get(span_key(d))
        if old is None or _RANK[d.decision] > _RANK[old.decision]:
            spans[span_key(d)] = d
    return list(spans.values())


def _parsed(path: Path, text: str) -> list[object]:
    """The items of any YAML a person may have written (the general, slow reader)."""
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise _bad(path, " ".join(str(exc).split())) from None
    items = (data or {}).get("decisions") if isinstance(data, dict) or data is None else False
    if items is None:
        return []
    if not isinstance(items, list):
        raise _bad(path, _("`decisions:` must be a list"))
    return items


# The line `render` writes, field by field; ruamel's pure-Python parser takes ~0.5 ms a line
# (50 s for 100,000 decisions), this reads the same lines ~100x faster
_LINE = re.compile(r"  - \{where: '([^'\\]*)', start: (0|[1-9][0-9]*), end: (0|[1-9][0-9]*), "
                   r"kind: (\w[\w-]*), digest: (\w[\w-]*), decision: (\w[\w-]*)\}\r?")  # fmt: skip
_OTHER = re.compile(r" *(?:#.*)?\r?")  # a comment or an empty line
# what YAML may not hold (its reader refuses it) or may read as a line break, a tab, a BOM
_ODD = re.compile(
    "[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)
_RESOLVER = VersionedResolver()  # what YAML(typ="safe") reads a plain word as (YAML 1.2)
_STR = "tag:yaml.org,2002:str"
Row = tuple[str, int, int, str, str, str]


@lru_cache(maxsize=4096)
def _plain_text(word: str) -> bool:
    return bool(_RESOLVER.resolve(ScalarNode, word, (True, False)) == _STR)


def _lines(text: str) -> list[Row] | None:
    """The decisions of a file laid out as `render` writes it (what a union merge or a sort
    leaves too), read line by line; None when anything else is in it (a hand edit: another
    quoting, order or layout), which the YAML parser then reads. It gives exactly what that
    parser would: a word YAML reads as something other than text (`null`, `123`) is left to
    it, and so is a `where` with a quote or a backslash, and a file with a character YAML
    may not hold or reads as a line break."""
    if _ODD.search(text):
        return None
    rows: list[Row] = []
    head = False
    for line in text.split("\n"):
        m = _LINE.fullmatch(line)
        if m is None:
            if not head and line.rstrip("\r") == "decisions:":
                head = True
            elif not _OTHER.fullmatch(line):
                return None
            continue
        where, start, end, kind, digest, decision = m.groups()
        if not head or not ((digest.startswith("s-") or _plain_text(digest))
                            and _plain_text(kind) and _plain_text(decision)):  # fmt: skip
            return None
        rows.append((where, int(start), int(end), kind, digest, decision))
    return rows if head else None


def _row(path: Path, n: int, row: Row) -> Decision:
    where, start, end, _kind, _digest, decision = row
    if start < end and decision in _RANK and where.rpartition("#")[2].isdigit() and "#" in where:
        return Decision(*row)
    return _decision(path, n, dict(zip(_FIELDS, row, strict=True)))  # the same error line


def render(decisions: Iterable[Decision]) -> str:
    lines = [f"  - {{where: {d.where!r}, start: {d.start}, end: {d.end}, kind: {d.kind}, "
             f"digest: {d.digest}, decision: {d.decision}}}\n"
             for d in sorted(set(decisions), key=lambda d: (d.where, d.start, d.end, d.decision))]  # fmt: skip
    return HEADER + "".join(lines)


def save(root: Path, decisions: Iterable[Decision]) -> bool:
    """Sorted and rewritten only when the content changes (clean git diffs); True if written.
    No file and nothing to write: none is created."""
    path = root / DECISIONS_FILE
    text = render(decisions)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text or (old is None and text == HEADER):
        return False
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    union_merge(root)
    return True


def union_merge(root: Path) -> bool:
    """`.gitattributes` gains `privacy/decisions.yml merge=union` when missing
    (`files.writing.union_merge`). True when it changed."""
    return writing.union_merge(root, DECISIONS_FILE.as_posix())


def _at(d: Decision, recording: str, idx: int, shift: int) -> Decision:
    return replace(d, where=f"{recording}#{idx}", start=d.start + shift, end=d.end + shift)


def after_split(decisions: list[Decision], recording: str, idx: int,
                cut: int) -> list[Decision]:  # fmt: skip
    """Segment `idx` was split (the text from `cut` became `idx + 1`): decisions after it are
    renumbered, those in the second half move with it."""
    out = []
    for d in decisions:
        if d.recording != recording or d.idx < idx:
            out.append(d)
        elif d.idx > idx:
            out.append(_at(d, recording, d.idx + 1, 0))
        elif d.start >= cut:
            out.append(_at(d, recording, idx + 1, -cut))
        else:
            out.append(d)  # the first half keeps its offsets
    return out


def after_merge(decisions: list[Decision], recording: str, idx: int,
                offset: int) -> list[Decision]:  # fmt: skip
    """Segment `idx + 1` was joined to `idx` at `offset`: its decisions move into `idx`, every
    later one is renumbered."""
    out = []
    for d in decisions:
        if d.recording != recording or d.idx <= idx:
            out.append(d)
        elif d.idx == idx + 1:
            out.append(_at(d, recording, idx, offset))
        else:
            out.append(_at(d, recording, d.idx - 1, 0))
    return out
