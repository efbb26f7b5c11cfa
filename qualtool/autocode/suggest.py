"""Auto-coding suggestions: candidate passages per code, for a coder to accept or reject.

A sentence is scored against each code from three kinds of evidence, all on lemmas:
  * the code's keywords (multi-word keywords need every lemma), each weighted by how few codes
    share it — «справка» in two codes counts half as much as «взятка» in one;
  * its examples: content-lemma overlap with the closest example (seed quotes say how
    respondents actually phrase the barrier);
  * its Russian label's content words, as weak keywords.
Codes scoring at least `threshold` and within `relative` of the sentence's best are proposed
(at most `per_sentence`). Nothing becomes a coding until a coder accepts it, unless asked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from qualtool.coding import apply_codes
from qualtool.coding.persist import Target, split
from qualtool.domain import Codebook, Coding, Proposal, Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.nlp import Analyzer, Token, analyzer
from qualtool.search.query import refresh_index
from qualtool.store import journal, search_index
from qualtool.store import suggestions as sug_store
from qualtool.store.search_index import Filters
from qualtool.store.transcripts import transcript_of_segment

DEFAULT_THRESHOLD = 0.9
STEM = 5  # lemmas compare by their first 5 letters: загрузка ~ загружать, платно ~ платный
_PROBLEMS = {
    "сложн",
    "пробл",
    "трудн",
    "сбой",
    "барье",
    "очере",
    "задер",
    "ошибк",
    "отказ",
    "жалоб",
}
_NEGATORS = {"не", "без", "нет", "никак", "отсут"}
_SENTENCE_END = {".", "!", "?", "…", "?!", "!!", "..."}


def stem(lemma: str) -> str:
    return lemma[:STEM]


def _stop_words() -> frozenset[str]:
    from spacy.lang.ru.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"это", "весь", "который", "свой", "очень", "такой"}


@dataclass
class Evidence:
    keywords: list[str] = field(default_factory=list)
    weak: int = 0  # words shared with the code's label, definition or inclusion criteria
    example: str | None = None
    score: float = 0.0

    def reason(self) -> str:
        parts = []
        if self.keywords:
            parts.append("keywords: " + ", ".join(self.keywords))
        if self.weak:
            parts.append(f"{self.weak} word(s) of its definition")
        if self.example:
            parts.append(f"like «{self.example[:60]}»")
        return "; ".join(parts)


@dataclass
class _CodeModel:
    code_id: str
    keywords: list[tuple[tuple[str, ...], str, float, bool]]  # (stems, as written, weight, strong)
    examples: list[tuple[frozenset[str], str]]


class Matcher:
    """The codebook compiled for scoring; build once per run."""

    def __init__(
        self,
        codebook: Codebook,
        ana: Analyzer | None = None,
        learned: Iterable[tuple[str, str]] = (),
    ) -> None:
        """`learned`: (code id, quote) pairs the team already coded — they count as examples,
        so suggestions get better as coding goes on."""
        self.ana = ana or analyzer("ru")
        self.stop = _stop_words()
        raw: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        sharing: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for _depth, code in codebook.walk():
            kws: list[tuple[tuple[str, ...], str, float]] = []
            for kw in code.keywords:
                lemmas = tuple(stem(t.lemma) for t in self.ana.tokens(kw) if t.is_word)
                if lemmas:
                    kws.append((lemmas, kw, 1.0))
                    sharing[lemmas].add(code.id)
            weak = (code.label_ru, 0.5), (code.inclusion or "", 0.25), (code.definition or "", 0.25)
            for text, weight in weak:
                for lemma in dict.fromkeys(self._content(self.ana.tokens(text))):
                    kws.append(((lemma,), lemma, weight))
                    sharing[(lemma,)].add(code.id)
            raw[code.id] = kws
        extra: dict[str, list[str]] = defaultdict(list)
        for code_id, quote in learned:
            if code_id in codebook and quote not in extra[code_id]:
                extra[code_id].append(quote)
        self.models: list[_CodeModel] = []
        self.index: dict[str, set[int]] = defaultdict(set)  # lemma -> models mentioning it
        for _depth, code in codebook.walk():
            kws = [(lem, w, base / len(sharing[lem]), base >= 1.0) for lem, w, base in raw[code.id]]
            texts = [ex.text for ex in code.examples] + extra.get(code.id, [])
            examples = [(frozenset(self._content(self.ana.tokens(t))), t) for t in texts]
            if not kws and not examples:
                continue
            n = len(self.models)
            self.models.append(_CodeModel(code.id, kws, [e for e in examples if len(e[0]) >= 2]))
            for lem, _w, _b, _s in kws:
                self.index[lem[0]].add(n)
            for lemmas, _text in examples:
                for lemma in lemmas:
                    self.index[lemma].add(n)

    def _content(self, tokens: Iterable[Token]) -> list[str]:
        return [
            stem(t.lemma)
            for t in tokens
            if t.is_word and t.lemma not in self.stop and len(t.lemma) > 2
        ]

    def score(self, lemmas: Sequence[str]) -> dict[str, Evidence]:
        present = {stem(lem) for lem in lemmas}
        content = frozenset(stem(lem) for lem in lemmas if lem not in self.stop and len(lem) > 2)
        candidates: set[int] = set()
        for lemma in present:
            candidates |= self.index.get(lemma, set())
        out: dict[str, Evidence] = {}
        for n in candidates:
            model = self.models[n]
            ev = Evidence()
            seen: set[tuple[str, ...]] = set()
            for lem, written, weight, strong in model.keywords:
                if lem not in seen and all(x in present for x in lem):
                    seen.add(lem)
                    if strong:
                        ev.keywords.append(written)
                    else:
                        ev.weak += 1
                    ev.score += weight
            best = 0.0
            for ex_lemmas, ex_text in model.examples:
                shared = len(ex_lemmas & content)
                if shared >= 2:
                    sim = shared / math.sqrt(len(ex_lemmas) * max(len(content), 1))
                    if sim > best:
                        best, ev.example = sim, ex_text
            ev.score += 2.0 * best
            if ev.score > 0:
                out[model.code_id] = ev
        return out


def sentences(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in tokens:
        out[-1].append(t)
        if t.text in _SENTENCE_END:
            out.append([])
    return [s for s in out if any(t.is_word for t in s)]


def propose_for_text(
    matcher: Matcher,
    segment_id: int,
    text: str,
    threshold: float = DEFAULT_THRESHOLD,
    relative: float = 0.5,
    per_sentence: int = 3,
) -> list[Proposal]:
    """Best sentence per code in one segment's text."""
    best: dict[str, Proposal] = {}
    for sent in sentences(matcher.ana.tokens(text)):
        scored = matcher.score([t.lemma for t in sent if t.is_word])
        if not scored:
            continue
        top = max(ev.score for ev in scored.values())
        ranked = sorted(scored.items(), key=lambda kv: -kv[1].score)[:per_sentence]
        start, end = sent[0].start, sent[-1].end
        for code_id, ev in ranked:
            if ev.score < threshold or ev.score < relative * top:
                continue
            if code_id not in best or ev.score > best[code_id].score:
                best[code_id] = Proposal(
                    segment_id,
                    code_id,
                    start,
                    end,
                    text[start:end],
                    round(ev.score, 3),
                    ev.reason(),
                )
    return list(best.values())


def suggest(
    db: Database,
    codebook: Codebook,
    filters: Filters | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Fill the review queue for the (filtered) study; returns how many suggestions are new or
    refreshed. Segments are read from the search index, whose lemmas pre-filter the work."""
    refresh_index(db)
    matcher = Matcher(codebook, learned=sug_store.coded_quotes(db))
    coded = sug_store.coded_pairs(db)
    batch: list[dict[str, object]] = []
    written = 0
    for n, row in enumerate(search_index.indexed_segments(db, filters)):
        if should_stop and should_stop():
            break
        if progress and n % 500 == 0:
            progress(n)
        if row["speaker"] == "I":
            continue  # the interviewer's questions are not data about barriers
        if not any(stem(lem) in matcher.index for lem in row["lemmas"].split()):
            continue
        for p in propose_for_text(matcher, row["segment_id"], row["text"], threshold):
            if (p.segment_id, p.code_id) not in coded:
                batch.append(_row(p))
        if len(batch) >= 1000:
            written += sug_store.propose(db, batch)  # type: ignore[arg-type]
            batch = []
    if batch:
        written += sug_store.propose(db, batch)  # type: ignore[arg-type]
    return written


def _row(p: Proposal) -> dict[str, object]:
    return {f: getattr(p, f) for f in Proposal.__dataclass_fields__}


def accept(
    target: Target, suggestion_id: int, coder: str, span: tuple[int, int] | None = None
) -> Coding:
    """Accept (optionally with an edited span): it becomes a normal coding, provenance
    suggested. One journaled action with the decision: undo returns it to the queue."""
    db, _ws = split(target)
    sug = sug_store.get_suggestion(db, suggestion_id)
    if sug.status != sug_store.PENDING:
        raise InvalidInput(_("suggestion {id} was already {status}").format(
            id=suggestion_id, status=sug.status))  # fmt: skip
    start, end = span or (sug.start, sug.end)
    with journal.action(db, _("accept {code}").format(code=sug.code_id),
                        transcript_of_segment(db, sug.segment_id)) as j:  # fmt: skip
        j.touch("suggestions", suggestion_id)
        coding = apply_codes(target, sug.segment_id, (start, end), [sug.code_id], coder,
                             provenance=Provenance.SUGGESTED)[0]  # fmt: skip
        sug_store.decide(db, suggestion_id, sug_store.ACCEPTED, coder, coding.id)
    return coding


def reject(target: Target, suggestion_id: int, coder: str) -> None:
    db, _ws = split(target)
    sug = sug_store.get_suggestion(db, suggestion_id)
    if sug.status != sug_store.PENDING:
        raise InvalidInput(_("suggestion {id} was already {status}").format(
            id=suggestion_id, status=sug.status))  # fmt: skip
    with journal.action(db, _("reject {code}").format(code=sug.code_id),
                        transcript_of_segment(db, sug.segment_id)) as j:  # fmt: skip
        j.touch("suggestions", suggestion_id)
        sug_store.decide(db, suggestion_id, sug_store.REJECTED, coder)


def accept_all(target: Target, coder: str, min_score: float, code: str | None = None) -> int:
    """Only on explicit request (`qualtool suggest --accept-all`); one undoable action."""
    db, _ws = split(target)
    done = 0
    with journal.action(db, _("accept all suggestions")):
        for sug in sug_store.queue(db, code=code, min_score=min_score, limit=1_000_000):
            accept(target, sug.id, coder)
            done += 1
    return done


def code_scores(matcher: Matcher, text: str) -> dict[str, float]:
    """How well each code fits one passage: the code picker lists the best first."""
    lemmas = [t.lemma for t in matcher.ana.tokens(text) if t.is_word]
    return {code: round(ev.score, 3) for code, ev in matcher.score(lemmas).items()}
