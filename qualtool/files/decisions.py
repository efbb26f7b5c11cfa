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

A decision is known by where it was first made (`origin`: «recording#index@start-end», in the
line only once it moved — a split, a merge, its words moved in an edit — as the coder layer's
codings are, `files.layer_format`), so a union merge that kept a colleague's renumbered line
beside this laptop's own version of it reads one decision (`_settle`: the moved line's place,
the decision of the line still where it was made). A decision withdrawn (undone, or an added
span rejected) once its line was committed leaves a tombstone line (`decision: withdrawn`, its
identity and kind, no hash) where it was made, which wins over any line of that identity a
union merge kept; a tombstone is never pruned (a laptop that has not pulled yet could bring the
renumbered line back at any later merge); only the same decision made again (a redo) replaces
it. One never committed goes as if never made (`withdraw`).
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
WITHDRAWN, NO_DIGEST = "withdrawn", "none"  # a tombstone: no hash of the words it was on
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
    decision: str  # accept | reject | add | withdrawn (a tombstone)
    origin: str = ""  # its identity, «where@start-end[/n]»: where it was first made

    def __post_init__(self) -> None:
        if not self.origin:  # a new decision is known by where it is made
            object.__setattr__(self, "origin", self.place)

    @property
    def place(self) -> str:
        """Where the line itself stands, in `origin`'s words."""
        return f"{self.where}@{self.start}-{self.end}"

    @property
    def dead(self) -> bool:
        return self.decision == WITHDRAWN

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


def rekeyed(root: Path, target: Callable[[str], str | None]) -> tuple[str, str] | None:
    """(before, after) of the file with every decision and tombstone of a recording `target`
    names a new key for under that key (`qualtool rename`, or a colleague's rename the sync
    carries); None when none moves — as `speaker_map.rekeyed` and `assignments.rekeyed`."""
    path = root / DECISIONS_FILE
    if not path.exists():
        return None
    found = every(root)  # its tombstones too: they name the key
    moved = [_rekeyed(d, target) for d in found]
    if moved == found:
        return None
    return path.read_text(encoding="utf-8"), render(moved)


def _rekeyed(d: Decision, target: Callable[[str], str | None]) -> Decision:
    """`d` under its recording's new key: «idi-02#3» and «notes:idi-02» both name it."""

    def where_of(where: str) -> str:
        area, sep, rec = where.partition(":")
        if sep and (new := target(rec)):
            return f"{area}:{new}"
        head, hash_, idx = where.rpartition("#")
        if hash_ and (new := target(head)):
            return f"{new}#{idx}"
        return where

    at, sep, rest = d.origin.rpartition("@")
    return replace(d, where=where_of(d.where), origin=f"{where_of(at)}{sep}{rest}")


def span_key(d: Decision) -> tuple[str, int | str, int]:
    """What one decision stands for: a segment's span, or an outside name's words (its
    offsets only say where it was typed first)."""
    return (d.where, d.digest, 0) if d.outside else (d.where, d.start, d.end)


def _bad(path: Path, error: str) -> InvalidInput:
    return InvalidInput(_("{path}: not a decisions file ({error})").format(path=path, error=error))


def _decision(path: Path, n: int, item: object) -> Decision:
    """One item, checked field by field: a hand edit or a merge must fail with a line that
    says what is wrong, not a traceback deep in the review."""
    if not isinstance(item, dict) or set(item) - {"origin"} != set(_FIELDS):
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
    if item["decision"] not in (*DECISIONS, WITHDRAWN):
        raise _bad(path, _("item {n}: decision must be one of {allowed}").format(
            n=n, allowed=", ".join(DECISIONS)))  # fmt: skip
    if not isinstance(item["digest"], str) or not isinstance(item["kind"], str):
        raise _bad(path, _("item {n}: kind and digest must be text").format(n=n))
    if "origin" in item and (not isinstance(item["origin"], str) or "@" not in item["origin"]):
        raise _bad(path, _("item {n}: origin must be WHERE@START-END").format(n=n))
    if outside and item["decision"] not in (ADD, WITHDRAWN):
        raise _bad(
            path, _("item {n}: outside the transcript a decision can only be add").format(n=n)
        )
    return Decision(where, start, end, item["kind"], item["digest"], item["decision"],
                    item.get("origin") or "")  # fmt: skip


def read(root: Path) -> list[Decision]:
    """The file's decisions, one per span (see the module's note on merges); a withdrawn one's
    tombstone is not among them (`every`)."""
    return [d for d in every(root) if not d.dead]


def every(root: Path) -> list[Decision]:
    """The file's decisions and tombstones, one per identity (`_settle`) and one decision per
    span: what a rewrite of the file keeps."""
    path = root / DECISIONS_FILE
    if not path.exists():
        return []
    return _one_each(all_lines(path, path.read_text(encoding="utf-8")))


def tombstones(root: Path, text: str | None) -> list[Decision]:
    """The file's tombstones, `text` its content now: a file with none is not read again."""
    return [d for d in every(root) if d.dead] if f"decision: {WITHDRAWN}" in (text or "") else []


def leftovers(root: Path) -> bool:
    """Does the file hold lines of one decision a union merge kept side by side (a renumbered
    copy beside its tombstone or beside a changed mind)? A sync writes it back clean — the same
    bytes on every laptop, since they follow from the file alone."""
    path = root / DECISIONS_FILE
    if not path.exists():
        return False
    seen: dict[str, set[Decision]] = {}
    for d in all_lines(path, path.read_text(encoding="utf-8")):
        seen.setdefault(d.origin, set()).add(d)
    return any(len(lines) > 1 for lines in seen.values())


def all_lines(path: Path, text: str) -> list[Decision]:
    if any(line.startswith(("<<<<<<<", ">>>>>>>")) for line in text.splitlines()):
        raise _bad(path, _("git conflict markers: resolve the merge, then run it again"))
    rows = _lines(text)
    if rows is None:
        return [_decision(path, n, item) for n, item in enumerate(_parsed(path, text), 1)]
    return [_row(path, n, row) for n, row in enumerate(rows, 1)]


def _one_each(found: Iterable[Decision]) -> list[Decision]:
    by_origin: dict[str, list[Decision]] = {}
    for d in found:
        by_origin.setdefault(d.origin, []).append(d)
    spans: dict[tuple[str, int | str, int], Decision] = {}
    dead = []
    for lines in by_origin.values():
        d = _settle(lines)
        if d.dead:
            dead.append(d)
            continue
        old = spans.get(span_key(d))
        if old is None or (_RANK[d.decision], d.origin) > (_RANK[old.decision], old.origin):
            spans[span_key(d)] = d
    return [*spans.values(), *dead]


def _settle(lines: list[Decision]) -> Decision:
    """One decision from the lines a union merge kept of it (one identity), the same in any
    order: a tombstone wins — the withdrawal was deliberate, a line beside it a renumbering
    made before the withdrawing laptop's push was seen; else the moved line gives the place
    and the lines still where it was made the decision (a changed mind is made where the
    decision stood; the one that replaces wins between two)."""
    dead = [d for d in lines if d.dead]
    if dead:
        return min(dead, key=line_order)
    still = [d for d in lines if d.place == _SUFFIX.sub("", d.origin)]
    moved = sorted((d for d in lines if d not in still), key=line_order)
    best = max(still or moved, key=lambda d: (_RANK[d.decision], line_order(d)))
    if moved:
        at = moved[0]
        return replace(best, where=at.where, start=at.start, end=at.end, digest=at.digest)
    return best


def line_order(d: Decision) -> tuple[str, int, int, str, str, str, str]:
    return (d.where, d.start, d.end, d.decision, d.kind, d.digest, d.origin)


_SUFFIX = re.compile(r"/[0-9]+$")  # two decisions first made at one place told apart


def tombstone(d: Decision) -> Decision:
    """The line a withdrawn decision leaves: its identity and kind, no hash of its words."""
    at, _sep, span = d.origin.rpartition("@")
    nums = _SUFFIX.sub("", span).split("-")
    start, end = (int(nums[0]), int(nums[1])) if len(nums) == 2 and all(
        n.isdigit() for n in nums) else (d.start, d.end)  # fmt: skip
    return Decision(at or d.where, start, end, d.kind, NO_DIGEST, WITHDRAWN, d.origin)


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
LINE = re.compile(r"  - \{where: '([^'\\]*)', start: (0|[1-9][0-9]*), end: (0|[1-9][0-9]*), "
                   r"kind: (\w[\w-]*), digest: (\w[\w-]*), decision: (\w[\w-]*)"
                   r"(?:, origin: '([^'\\]*@[^'\\]*)')?\}\r?")  # fmt: skip
_OTHER = re.compile(r" *(?:#.*)?\r?")  # a comment or an empty line
# what YAML may not hold (its reader refuses it) or may read as a line break, a tab, a BOM
_ODD = re.compile(
    "[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)
_RESOLVER = VersionedResolver()  # what YAML(typ="safe") reads a plain word as (YAML 1.2)
_STR = "tag:yaml.org,2002:str"
Row = tuple[str, int, int, str, str, str, str]


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
        m = LINE.fullmatch(line)
        if m is None:
            if not head and line.rstrip("\r") == "decisions:":
                head = True
            elif not _OTHER.fullmatch(line):
                return None
            continue
        where, start, end, kind, digest, decision, origin = m.groups()
        if not head or not ((digest.startswith("s-") or _plain_text(digest))
                            and _plain_text(kind) and _plain_text(decision)):  # fmt: skip
            return None
        rows.append((where, int(start), int(end), kind, digest, decision, origin or ""))
    return rows if head else None


def _row(path: Path, n: int, row: Row) -> Decision:
    where, start, end, _kind, _digest, decision, origin = row
    if (start < end and (decision in _RANK or decision == WITHDRAWN)
            and where.rpartition("#")[2].isdigit() and "#" in where):  # fmt: skip
        return Decision(*row)
    item: dict[str, object] = dict(zip(_FIELDS, row[:6], strict=True))
    if origin:
        item["origin"] = origin
    return _decision(path, n, item)  # the same error line


def line(d: Decision) -> str:
    """One decision's line; its `origin` only where it is not the line's own place."""
    origin = f", origin: {d.origin!r}" if d.origin != d.place else ""
    return (f"  - {{where: {d.where!r}, start: {d.start}, end: {d.end}, kind: {d.kind}, "
            f"digest: {d.digest}, decision: {d.decision}{origin}}}\n")  # fmt: skip


def render(decisions: Iterable[Decision]) -> str:
    return HEADER + "".join(dict.fromkeys(line(d) for d in sorted(set(decisions), key=line_order)))


def save(root: Path, decisions: Iterable[Decision]) -> bool:
    """Sorted and rewritten only when the content changes (clean git diffs); True if written.
    No file and nothing to write: none is created. The file's tombstones stay, but for a
    decision of their identity saved again (a redo)."""
    path = root / DECISIONS_FILE
    new = list(decisions)
    live = {d.origin for d in new if not d.dead}
    old = path.read_text(encoding="utf-8") if path.exists() else None
    kept = [t for t in tombstones(root, old) if t.origin not in live]
    text = render([*(d for d in new if not d.dead or d.origin not in live), *kept])
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
