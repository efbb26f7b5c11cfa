"""Names a reviewer adds by hand outside the transcript: in a memo (the study's or a coding's),
a recording's notes (audio/recordings.yml) or a speaker label.

The detector reads those texts at `--apply` (`plan.plan`; `outside.py` for speakers.yml and
conflicts/) and in every export (`redact.Redactor.text`), but a name it missed there had no
way in: the review's decisions were per segment. An added name is a decision in
privacy/decisions.yml like any other — no original text, the study-keyed hash of its words,
`where` naming the text it was typed in (`memos`, `notes:<recording>`, `speaker:<recording>`) —
and from then on `detector` finds it, as whole words, in every text outside the transcript, so
`--apply` and the exports replace it there exactly as a detected name (the same pseudonym in a
memo, a note, a label and speakers.yml). The transcript's own text keeps its per-segment review:
a name missed there is added on its segment (`review.add_typed`), and from then on its words
are found outside the transcript too (`reviewed`), with the segment's pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.privacy import decisions, key_names, names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.follow import span_digest, word_spans
from qualtool.privacy.known_forms import WORD, Known, case_forms, reviewed
from qualtool.privacy.review import (
    Finding,
    added_entity,
    context,
    review_key,
    save_decisions,
    shown,
    typed_spans,
)
from qualtool.store import privacy as store
from qualtool.workspace.study import Workspace

Detect = Callable[[str], list[Entity]]


@dataclass(frozen=True, slots=True)
class Place:
    where: str  # memos | notes:<recording> | speaker:<recording>
    label: str  # what the text is attached to: a memo's coder and target, a recording
    text: str


def where_of(area: str, recording: str) -> str:
    return decisions.MEMOS if area == decisions.MEMOS else f"{area}:{recording}"


def places(ws: Workspace) -> list[Place]:
    """Every text outside the transcript a name can be added in, memos first."""
    return [Place(where_of(r["area"], r["recording"]), r["label"], r["text"])
            for r in store.outside_texts(ws.db)]  # fmt: skip


def known_in(text: str, known: Known) -> list[Entity]:
    """Where the known words stand in `text`, as whole words in any case; a person's also in
    any grammatical case (`case_forms`)."""
    low = text.lower()
    out: list[Entity] = []
    for first in {w for w in WORD.findall(low) if w in known}:
        for words, e in known[first].items():
            out += [Entity(e.kind, a, b, text[a:b], e.key, e.source, e.legacy)
                    for a, b in sorted(word_spans(text, len(words)))
                    if " ".join(low[a:b].split()) == words]  # fmt: skip
    return out + case_forms(text, known) + key_names.find(text, known, latin_only=True)


def _named(found: Iterable[Entity], wanted: dict[int, dict[str, str]], key: bytes,
           text: str, known: Known | None = None) -> list[Entity]:  # fmt: skip
    """The detector's findings plus every whole-word span whose words an added decision names
    (and the `known` words the review replaces in the segments); where two overlap the longer
    wins (an added «Асель Нурлановна» over a found «Нурлановна»)."""
    extra = [added_entity(Kind(kind), a, b, text[a:b])
             for length, digests in wanted.items() for a, b in sorted(word_spans(text, length))
             if (kind := digests.get(span_digest(key, text[a:b])))]  # fmt: skip
    extra += known_in(text, known) if known else []
    out: list[Entity] = []
    for e in sorted([*found, *extra], key=lambda e: (e.start, e.start - e.end)):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


def _wanted(ws: Workspace) -> dict[int, dict[str, str]]:
    """The added names, by the length of their words: digest → kind."""
    out: dict[int, dict[str, str]] = {}
    for d in decisions.load(ws.study.root):
        if d.outside and d.decision == decisions.ADD:
            out.setdefault(d.end - d.start, {})[d.digest] = d.kind
    return out


def detector(ws: Workspace, det: Detector, known: Known | None = None) -> Detect:
    """What `--apply` and the exports run on a text outside the transcript: the study's
    detector, the names added there by hand, and the `known` words the review replaces in the
    segments (`reviewed`). An added name is found as typed, and — like the reviewed words —
    in its other case forms too: the label «Надежда» added by hand left «Надежду» in the notes
    and «Надежде» in a coder's memo."""
    wanted, key = _wanted(ws), review_key(ws)
    if not wanted and not known:
        return det.detect
    if wanted:
        typed = reviewed(e for p in places(ws) for e in _named((), wanted, key, p.text))
        known = {first: {**typed.get(first, {}), **(known or {}).get(first, {})}
                 for first in {*typed, *(known or {})}}  # fmt: skip
    return lambda text: _named(det.detect(text), wanted, key, text, known)


def added(ws: Workspace, where: str, typed: str,
          text: str | None = None) -> tuple[decisions.Decision, int]:  # fmt: skip
    """The decision that the words `typed` (WORDS[:KIND]) are a name, checked against the text
    they were typed in (`text`, or any text of `where`), and how often they stand there; not
    saved."""
    if not decisions.is_outside(where):
        raise InvalidInput(_("no text {where!r} outside the transcript; use memos, "
                             "notes:RECORDING or speaker:RECORDING").format(where=where))  # fmt: skip
    texts = [text] if text is not None else [p.text for p in places(ws) if p.where == where]
    if not texts:
        raise InvalidInput(_("{where}: there is no such text in the study").format(where=where))
    for t in texts:
        try:
            spans = typed_spans(t, typed, offsets=False)
        except InvalidInput:
            continue
        a, b, kind = spans[0]
        return decisions.Decision(where, a, b, kind, span_digest(review_key(ws), t[a:b]),
                                  decisions.ADD), len(spans)  # fmt: skip
    raise InvalidInput(_("«{w}» is not in {where}").format(w=shown(typed), where=where))


def add(ws: Workspace, where: str, typed: str, text: str | None = None) -> int:
    """The words are a name wherever they stand outside the transcript, from now on: one
    journaled decision; how often they stand in the text typed in. Bad input changes nothing."""
    decision, n = added(ws, where, typed, text)
    save_decisions(ws, [(None, decision)])
    return n


def findings(ws: Workspace) -> list[Finding]:
    """The names added outside the transcript, each where its words stand (the review's list:
    status `add`, segment_id 0). One whose words stand nowhere any more is not listed; the
    next `--apply` drops it."""
    wanted, key = _wanted(ws), review_key(ws)
    if not wanted:
        return []
    out: list[Finding] = []
    by_digest = {d.digest: d for d in decisions.load(ws.study.root) if d.outside}
    for p in places(ws):
        for e in _named((), wanted, key, p.text):
            d = by_digest[span_digest(key, e.text)]
            out.append(Finding(p.where, p.where.partition(":")[2], -1, 0, e,
                               context(p.text, e.start, e.end), decisions.ADD, d.digest, d))  # fmt: skip
    return out


def remove(ws: Workspace, finding: Finding) -> None:
    """Take an added name back (journaled): it is no longer replaced outside the transcript."""
    if finding.decided is None or not finding.decided.outside:
        raise InvalidInput(_("not a name added outside the transcript"))
    same = [
        d for d in decisions.load(ws.study.root) if d.outside and d.digest == finding.decided.digest
    ]  # typed in two texts: both
    save_decisions(ws, [], drop=same)


def standing(ws: Workspace) -> list[decisions.Decision]:
    """The added names whose words still stand in a text outside the transcript (after an
    apply of some recordings only, a label elsewhere): `forget_replaced` keeps them."""
    wanted, key = _wanted(ws), review_key(ws)
    if not wanted:
        return []
    seen = {span_digest(key, e.text) for p in places(ws) for e in _named((), wanted, key, p.text)}
    return [d for d in decisions.load(ws.study.root) if d.outside and d.digest in seen]


def known_record(known: Known) -> list[list[str]]:
    """`known` as the apply's vault record keeps it (encrypted, beside the originals), so a
    resumed apply cleans speakers.yml and conflicts/ with the same words."""
    return [[words, e.kind.value, e.key, e.legacy] for by in known.values()
            for words, e in by.items()]  # fmt: skip


def known_from(record: Iterable[list[str]]) -> Known:
    """`known_record` read back. A person's key an earlier release recorded in Kazakh letters
    («айгерім беков») is read in Russian ones, without the soft sign Kazakh spelling omits
    (`names.fold`), as `names.identity` keys her words now."""
    return reviewed(Entity(Kind(kind), 0, len(words), words,
                           names.fold(key) if kind == Kind.PERSON.value else key,
                           "manual", legacy)
                    for words, kind, key, legacy in record)  # fmt: skip
