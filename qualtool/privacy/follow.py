"""Where a review decision stands now. A decision records a span of a segment and a hash of
the words under it (keyed by the study: `span_digest`); after the transcript is edited the words
may have moved, and `match` finds them again — on a word's edges (`word_edges`, the one
definition of them), nearest first, each decision on one span and each span taking one
decision. Text in, spans out: the review (review.py) reads and writes the decisions, the
outside texts (outside_names.py) find added names by the same edges."""

from __future__ import annotations

import hmac
from dataclasses import replace

from qualtool.privacy import decisions
from qualtool.privacy.entity import Entity
from qualtool.privacy.pseudonyms import Pseudonymiser

MARK = "s-"  # a study-keyed digest; one without it may be a legacy laptop-keyed one


def span_digest(key: bytes, text: str) -> str:
    """The study-keyed hash of these words, marked as such: a decision whose marked hash no
    longer matches is stale (its words are gone) and `--apply` drops it, while an unmarked one
    may be another laptop's legacy decision and is kept (never drop what cannot be read)."""
    return _marked(key, " ".join(text.split()).lower())


def _marked(key: bytes, norm: str) -> str:
    return MARK + hmac.digest(key, f"span\x00{norm}".encode(), "sha256").hex()[:24]


class Hashes:
    """The hashes of one segment's spans, each computed once: a decision that moved is looked
    for at every word-edge span of its length, and a long segment has many of them. A marked
    digest is compared with the study-keyed hash only; an unmarked one with it unmarked (as
    this release wrote it at first) and with the legacy hash keyed by this machine's vault
    secret, the one decisions made before it was keyed by the study carry."""

    def __init__(self, key: bytes, pseud: Pseudonymiser | None, text: str) -> None:
        self.key, self.pseud, self.text = key, pseud, text
        self.marked: dict[str, str] = {}
        self.legacy: dict[str, str] = {}
        self.edges: tuple[list[int], set[int]] | None = None

    def digest(self, words: str) -> str:
        norm = " ".join(words.split()).lower()
        got = self.marked.get(norm)
        if got is None:
            got = self.marked[norm] = _marked(self.key, norm)
        return got

    def matches(self, digest: str, start: int, end: int) -> bool:
        words = self.text[start:end]
        if digest.startswith(MARK):
            return digest == self.digest(words)
        if digest == self.digest(words).removeprefix(MARK):
            return True
        if self.pseud is None:
            return False
        norm = " ".join(words.split()).lower()
        got = self.legacy.get(norm)
        if got is None:
            got = self.legacy[norm] = self.pseud.digest("span", norm)[:24]
        return digest == got

    def word_spans(self, length: int) -> set[tuple[int, int]]:
        """`word_spans(text, length)`, from the segment's word edges found once."""
        if self.edges is None:
            self.edges = word_edges(self.text)
        return _spans_between(self.edges, length)


def word_spans(text: str, length: int) -> set[tuple[int, int]]:
    """Every span of `length` characters that starts and ends at a word's edge: where the
    words of a decision can have moved to."""
    return _spans_between(word_edges(text), length)


def word_edges(text: str) -> tuple[list[int], set[int]]:
    """Where words may start (after a character that is no letter or digit) and end (before
    one): the one definition of a word's edge that decisions follow their words by."""
    starts = [i for i in range(len(text)) if i == 0 or not text[i - 1].isalnum()]
    ends = {j for j in range(1, len(text) + 1) if j == len(text) or not text[j].isalnum()}
    return starts, ends


def _spans_between(edges: tuple[list[int], set[int]], length: int) -> set[tuple[int, int]]:
    starts, ends = edges
    return {(i, i + length) for i in starts if i + length in ends}


def match(key: bytes, pseud: Pseudonymiser | None, text: str, found: list[Entity],
          here: list[decisions.Decision], hashes: Hashes | None = None,
          ) -> dict[decisions.Decision, tuple[decisions.Decision, decisions.Decision]]:  # fmt: skip
    """Decisions of one segment → (the decision, it at its current place). Each decision lands
    on one span and each span takes one decision, nearest first: an edit in front of a name
    shifts it (the decision follows), the same words twice keep their own decisions (one
    reject does not spread). A decision at its own offsets wins them. An unmarked hash nobody
    here can read (another laptop's legacy key) is trusted only on a finding at its exact
    offsets, and never moved or rewritten; a stale one matches nothing."""
    finding_spans = {(e.start, e.end) for e in found}
    hashes = hashes or Hashes(key, pseud, text)
    pairs: list[tuple[tuple[int, int], int, decisions.Decision, tuple[int, int]]] = []
    for n, d in enumerate(here):
        if hashes.matches(d.digest, d.start, d.end):
            pairs.append(((0, 0), n, d, (d.start, d.end)))
            continue
        length = d.end - d.start
        spans = hashes.word_spans(length) | {sp for sp in finding_spans
                                             if sp[1] - sp[0] == length}  # fmt: skip
        hits = [sp for sp in sorted(spans) if hashes.matches(d.digest, *sp)]
        pairs += [((0, abs(sp[0] - d.start)), n, d, sp) for sp in hits]
        if not hits and not d.digest.startswith(MARK) and d.decision != decisions.ADD \
                and (d.start, d.end) in finding_spans:  # fmt: skip
            pairs.append(((1, 0), n, d, (d.start, d.end)))
    out: dict[decisions.Decision, tuple[decisions.Decision, decisions.Decision]] = {}
    taken: set[tuple[int, int]] = set()
    for cost, _n, d, (s, t) in sorted(pairs, key=lambda p: (p[0], p[1])):
        if d in out or (s, t) in taken:
            continue
        taken.add((s, t))
        digest = d.digest if cost[0] else hashes.digest(text[s:t])  # trusted: kept as it is
        same = (s, t, digest) == (d.start, d.end, d.digest)
        out[d] = (d, d if same else replace(d, start=s, end=t, digest=digest))
    return out
