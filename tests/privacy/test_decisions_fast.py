"""The fast decisions path gives exactly what the slow one gave: the line reader what the YAML
parser reads (or the same error line), and the review's matching what it was before the
hashes were memoised and word edges found once (`_old_match`: the matcher as it was, kept
here as the oracle). Saving one decision in a large file journals only its change, and
listing again does not detect every segment again."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qualtool.coding.history import redo, undo
from qualtool.domain.errors import InvalidInput
from qualtool.files import decisions as dfile
from qualtool.privacy import allow, review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import journal
from qualtool.workspace.study import Workspace

KEY = b"k" * 32
PSEUD = Pseudonymiser(b"s" * 32)
OTHER = Pseudonymiser(b"o" * 32)  # another laptop's vault: its legacy hashes are unreadable here

# ---- the reader ---------------------------------------------------------------------------

# words YAML reads as something else than text, and ordinary ones
WORDS = ["person", "address", "iin", "accept", "reject", "add", "null", "Null", "true", "False",
         "yes", "no", "on", "123", "0x1f", "0o17", "0b101", "1_000", "12e34", "1e5", "inf",
         "2024-01-01", "s-0123456789abcdef01234567", "0123456789abcdef01234567",
         "012345678901234567890123", "имя", "a-b", "x_1", "мёд"]  # fmt: skip
WHERES = ["idi-01#0", "idi-01#12", "fg 2#3", "a#b#4", "idi#x", "nohash", "it's#1", 'say "x"#2',
          "back\\slash#1", "tab\there#1", "nbsp\xa0#1", "бабушка#7", "", "#1", "a: b#1",
          "{x}#2", "ln\u2028#1"]  # fmt: skip


def _item(where: str, start: int, end: int, kind: str, digest: str, decision: str) -> str:
    return (f"  - {{where: {where!r}, start: {start}, end: {end}, kind: {kind}, "
            f"digest: {digest}, decision: {decision}}}")  # fmt: skip


items = st.builds(
    _item, st.sampled_from(WHERES), st.integers(0, 30), st.integers(0, 30),
    st.sampled_from(WORDS), st.sampled_from(WORDS),
    st.sampled_from(["accept", "reject", "add", "add", "keep", "null"]),
)  # fmt: skip
# lines a hand edit or a merge can leave besides the items
others = st.sampled_from(["", "# a note", "   # indented note", "decisions:", "  ", "---",
                          "  - {where: 'a#1', start: 1, end: 2}", "decisions: []", "  - just words", "  - [1, 2]", "\t# tab",
                          "  - {where: 'a#1', kind: person, start: 1, end: 2, digest: s-1, "
                          "decision: add}", "  - {where: 'a#1', start: 01, end: 2, kind: person, "
                          "digest: s-1, decision: add}", "\ufeff# bom", "# \x85 next line",
                          "  - {where: 'a#1', start: 1, end: 2, kind: person, digest: s-1, "
                          "decision: add} # a comment", "  - {where: 'nbsp\xa0#1', start: 1, "
                          "end: 2, kind: person, digest: s-1, decision: add}", "  - {where: "
                          "'tab\t#1', start: 1, end: 2, kind: person, digest: s-1, decision: add}",
                          "  - {where: 'a\u2028#1', start: 1, end: 2, kind: person, digest: s-1, "
                          "decision: add}", "  - {where: 'two''#1', start: 1, end: 2, kind: "
                          "person, digest: s-1, decision: add}"])  # fmt: skip


def _outcome(root: Path) -> list[dfile.Decision] | str:
    try:
        return dfile.read(root)
    except InvalidInput as exc:
        return f"error: {exc}"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(head=st.booleans(), before=st.lists(others, max_size=2),
       body=st.lists(st.one_of(items, items, items, others), max_size=12),
       crlf=st.booleans())  # fmt: skip
@example(head=True, before=[], body=["  - just words"], crlf=False)
@example(
    head=True,
    before=["# a note"],
    body=["  - [1, 2]", _item("a#1", 0, 3, "null", "s-ab", "add")],
    crlf=True,
)
@example(head=True, before=[], body=[_item("a#1", 0, 3, "person", "s-ab", "reject")] * 2,
         crlf=False)  # fmt: skip
def test_the_line_reader_reads_what_yaml_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               head: bool, before: list[str], body: list[str],
                                               crlf: bool) -> None:  # fmt: skip
    lines = [*before, *(["decisions:"] if head else []), *body]
    path = tmp_path / dfile.DECISIONS_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(("\r\n" if crlf else "\n").join([*lines, ""]).encode("utf-8"))
    fast = _outcome(tmp_path)
    with monkeypatch.context() as m:
        m.setattr(dfile, "_lines", lambda _text: None)  # the YAML parser only
        slow = _outcome(tmp_path)
    assert fast == slow


def test_a_written_file_takes_the_line_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = [dfile.Decision(f"idi-{i % 3}#{i}", i, i + 4, "person", f"s-{i:024x}", "reject")
          for i in range(50)]  # fmt: skip
    dfile.save(tmp_path, ds)
    text = (tmp_path / dfile.DECISIONS_FILE).read_text(encoding="utf-8")
    assert dfile._lines(text) is not None  # not the slow parser
    assert sorted(dfile.read(tmp_path), key=str) == sorted(ds, key=str)
    monkeypatch.setattr(dfile, "_lines", lambda _text: None)
    assert sorted(dfile.read(tmp_path), key=str) == sorted(ds, key=str)


# ---- the matching -------------------------------------------------------------------------


def _old_word_spans(text: str, length: int) -> set[tuple[int, int]]:
    return {(i, i + length) for i in range(len(text) - length + 1)
            if (i == 0 or not text[i - 1].isalnum())
            and (i + length == len(text) or not text[i + length].isalnum())}  # fmt: skip


def _old_span_digest(key: bytes, text: str) -> str:
    norm = " ".join(text.split()).lower()
    return review.MARK + hmac.new(key, f"span\x00{norm}".encode(), hashlib.sha256).hexdigest()[:24]


def _old_digests(key: bytes, pseud: Pseudonymiser | None, text: str) -> tuple[str, ...]:
    legacy = (pseud.digest("span", " ".join(text.split()).lower())[:24],) if pseud else ()
    marked = _old_span_digest(key, text)
    return (marked, marked.removeprefix(review.MARK), *legacy)


def _old_match(key: bytes, pseud: Pseudonymiser | None, text: str, found: list[Entity],
               here: list[dfile.Decision]) -> dict[dfile.Decision, tuple[dfile.Decision, dfile.Decision]]:  # fmt: skip
    """`review.match` as it was at e24a064, verbatim but for the names."""
    finding_spans = {(e.start, e.end) for e in found}
    pairs: list[tuple[tuple[int, int], int, dfile.Decision, tuple[int, int]]] = []
    for n, d in enumerate(here):
        if d.digest in _old_digests(key, pseud, text[d.start : d.end]):
            pairs.append(((0, 0), n, d, (d.start, d.end)))
            continue
        spans = {sp for sp in _old_word_spans(text, d.end - d.start) | finding_spans
                 if sp[1] - sp[0] == d.end - d.start}  # fmt: skip
        hits = [sp for sp in sorted(spans)
                if d.digest in _old_digests(key, pseud, text[sp[0] : sp[1]])]  # fmt: skip
        pairs += [((0, abs(sp[0] - d.start)), n, d, sp) for sp in hits]
        if not hits and not d.digest.startswith(review.MARK) and d.decision != dfile.ADD \
                and (d.start, d.end) in finding_spans:  # fmt: skip
            pairs.append(((1, 0), n, d, (d.start, d.end)))
    out: dict[dfile.Decision, tuple[dfile.Decision, dfile.Decision]] = {}
    taken: set[tuple[int, int]] = set()
    for cost, _n, d, (s, t) in sorted(pairs, key=lambda p: (p[0], p[1])):
        if d in out or (s, t) in taken:
            continue
        taken.add((s, t))
        now = d if cost[0] else replace(d, start=s, end=t, digest=_old_span_digest(key, text[s:t]))
        out[d] = (d, now)
    return out


# few words, so the same words come back (one reject must not spread, nearest first)
TOKENS = ["Асель", "асель", "Нурлан", "Ерлан Сейткалиев", "ИИН", "850101400120", "и", "в",
          "ЦОНе", "Асельхоз", "ёж", "a1", "Имя-1"]  # fmt: skip
SEPS = [" ", ", ", "  ", ": ", "-", "\n", " «", "» ", "."]


@st.composite
def segments(draw: st.DrawFn) -> tuple[str, list[Entity], list[dfile.Decision], bool]:
    """A segment's text (an edit may have moved its words), its findings and its decisions:
    at their place, moved, unmarked, legacy (readable here or not), stale, added, odd spans."""
    toks = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from(SEPS), min_size=len(toks), max_size=len(toks)))
    old = "".join(t + s for t, s in zip(toks, seps, strict=True))
    spans, pos = [], 0
    for t, s in zip(toks, seps, strict=True):
        spans.append((pos, pos + len(t)))
        pos += len(t) + len(s)
    prefix = draw(st.sampled_from(["", "", "Ну, ", "А ", "Вот Асель, "]))
    cut = draw(st.integers(0, len(toks)))  # a word may be removed after the review
    text = prefix + "".join(t + s for i, (t, s) in enumerate(zip(toks, seps, strict=True))
                            if i != cut)  # fmt: skip
    found = []
    edged = sorted(set().union(*(_old_word_spans(text, n) for n in range(2, 17))))
    for a, b in sorted(draw(st.sets(st.sampled_from(edged), max_size=3)) if edged else []):
        if not found or a >= found[-1].end:
            found.append(Entity(Kind.PERSON, a, b, text[a:b], text[a:b].lower(), "test"))
    here: dict[tuple[int, int], dfile.Decision] = {}
    for _ in range(draw(st.integers(0, 8))):
        a, b = draw(st.sampled_from([*spans, (0, 3), (2, 9), (len(old) - 1, len(old) + 4)]))
        if a >= b or a < 0:
            continue
        words = old[a:b]
        how = draw(st.sampled_from(["marked", "marked", "unmarked", "legacy", "other", "stale"]))
        digest = {"marked": _old_span_digest(KEY, words),
                  "unmarked": _old_span_digest(KEY, words).removeprefix(review.MARK),
                  "legacy": PSEUD.digest("span", " ".join(words.split()).lower())[:24],
                  "other": OTHER.digest("span", " ".join(words.split()).lower())[:24],
                  "stale": _old_span_digest(KEY, "нет таких слов")}[how]  # fmt: skip
        decision = draw(st.sampled_from(["accept", "reject", "add"]))
        here[(a, b)] = dfile.Decision("r#0", a, b, "person", digest, decision)
    return text, found, list(here.values()), draw(st.booleans())


@settings(max_examples=400, deadline=None)
@given(segments())
def test_matching_is_what_it_was(seg: tuple[str, list[Entity], list[dfile.Decision], bool]) -> None:
    text, found, here, readable = seg
    pseud = PSEUD if readable else None
    got = review.match(KEY, pseud, text, found, here)
    assert list(got.items()) == list(_old_match(KEY, pseud, text, found, here).items())


@given(st.text(max_size=40), st.integers(1, 12))
def test_word_spans_and_hashes_are_what_they_were(text: str, length: int) -> None:
    assert review._Hashes(KEY, PSEUD, text).word_spans(length) == _old_word_spans(text, length)
    assert review.span_digest(KEY, text) == _old_span_digest(KEY, text)


# ---- saving one decision in a large file --------------------------------------------------


def test_one_decision_in_a_large_file_is_journaled_as_its_change(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = empty_study
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(ws.db, "idi-r", [("R01", "Меня принимала Айгерим Нурлановна в ЦОНе.")])
    path = ws.study.root / dfile.DECISIONS_FILE
    dfile.save(ws.study.root, [dfile.Decision(f"old-{i:04d}#0", 0, 5, "person", f"s-{i:024x}",
                                              "reject") for i in range(3000)])  # fmt: skip
    before = path.read_bytes()
    pseud = Pseudonymiser(study_vault(ws).secret)
    review.decide(ws, review.segment_findings(ws, pseud)[0], "reject")
    after = path.read_bytes()
    assert after.count(b"\n") == before.count(b"\n") + 1
    entry = journal.next_undo(ws.db)
    assert entry is not None and len(json.dumps(entry.items)) < 1000 < len(after) // 100
    undo(ws)
    assert path.read_bytes() == before
    redo(ws)
    assert path.read_bytes() == after
    # a colleague's decision pulled in since stays when the decision is undone
    extra = _item("zz#0", 1, 4, "person", "s-" + "0" * 24, "reject").encode() + b"\n"
    path.write_bytes(after + extra)
    undo(ws)
    assert path.read_bytes() == before + extra
    assert review.segment_findings(ws, pseud)[0].status == "pending"
    redo(ws)
    assert path.read_bytes() == after + extra
    # the decision's own line edited by hand since: the undo refuses and changes nothing
    edited = (after + extra).replace(
        b"decision: reject}\n  - {where: 'old-0000", b"decision: accept}\n  - {where: 'old-0000"
    )
    assert edited != after + extra
    path.write_bytes(edited)
    with pytest.raises(InvalidInput, match="changed outside the undo history"):
        undo(ws)
    assert path.read_bytes() == edited


def test_listing_again_does_not_detect_again_until_the_allow_list_changes(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = empty_study
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(ws.db, "idi-r", [("R01", "Меня принимала Айгерим Нурлановна в Каскелене."),
                                        ("R01", "Потом Жумабаев сказал ждать.")])  # fmt: skip
    calls: list[str] = []
    plain = Detector.detect

    def counted(self: Detector, text: str) -> list[Entity]:
        calls.append(text)
        return plain(self, text)

    monkeypatch.setattr(Detector, "detect", counted)
    monkeypatch.setattr(review, "_SEEN", {})  # nothing remembered from another test
    pseud = Pseudonymiser(study_vault(ws).secret)
    first = review.segment_findings(ws, pseud)
    assert len(calls) == 2 and [f.entity.text for f in first] == ["Айгерим Нурлановна", "Жумабаев"]
    review.decide(ws, first[1], "reject")
    again = review.segment_findings(ws, pseud)
    assert len(calls) == 2  # remembered: only the decisions were matched again
    assert [(f.entity.text, f.status) for f in again] == [
        ("Айгерим Нурлановна", "pending"), ("Жумабаев", "reject")]  # fmt: skip
    allow.add(ws.study.root, "Жумабаев")
    allowed = review.segment_findings(ws, pseud)
    assert len(calls) == 4 and [f.entity.text for f in allowed] == ["Айгерим Нурлановна"]
