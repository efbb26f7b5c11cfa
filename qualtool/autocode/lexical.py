"""Lexical evidence: a sentence's lemmas against each code's keywords, label and examples.

  * the code's keywords (multi-word keywords need every lemma), each weighted by how few codes
    share it — «справка» in two codes counts half as much as «взятка» in one;
  * its examples and the team's codings: content-lemma overlap with the closest one;
  * its Russian label, definition and inclusion criteria's content words, as weak keywords;
  * in a Kazakh turn, also its Kazakh keywords, matched by stem (kazakh.py): the Russian
    keywords alone find almost nothing there, though Kazakh speech mixes in «справка», «ЦОН».

Everything is looked up through inverted indexes (lemma stem → keywords / examples using it),
so a sentence costs a few dictionary probes per word whatever the size of the codebook.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from spacy.lang.ru.stop_words import STOP_WORDS

from qualtool.autocode.kazakh import KazakhMatcher
from qualtool.domain import Codebook
from qualtool.nlp import Analyzer, Token, analyzer

STEM = 5  # lemmas compare by their first 5 letters: загрузка ~ загружать, платно ~ платный
TURNS_KEPT = 1024  # turns whose tokens stay cached: more than a scoring batch (suggest.BATCH)
_CODE_ID = re.compile(r"\b[A-Z]{2,}(?:\.[A-Z_]+)?\b")
_TOKEN = re.compile(r"(\w+(?:[-.'’]\w+)*)|[^\w\s]+")
_ENDS = re.compile(r"[.!?…]")
_SENTENCE_END = {".", "!", "?", "…", "?!", "!!", "..."}
MIN_DOCUMENTS = 200  # segments before word spread counts (a small study says nothing)
MIN_SPECIFICITY = 0.15


def stem(lemma: str) -> str:
    return lemma[:STEM]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS) | {"это", "весь", "который", "свой", "очень", "такой"}


@dataclass
class Evidence:
    keywords: list[str] = field(default_factory=list)
    weak: int = 0  # words shared with the code's label, definition or inclusion criteria
    example: str | None = None
    score: float = 0.0
    kazakh: list[str] = field(default_factory=list)  # Kazakh words said that matched keywords_kk
    # each of `keywords`' lemma stems, in the same order: a reason shows the words the turn
    # itself says for them («пришлось ещё раз»), not the codebook's («прийти еще раз»)
    stems: list[tuple[str, ...]] = field(default_factory=list)

    def reason(self) -> str:
        parts = []
        if self.keywords:
            parts.append("keywords: " + ", ".join(self.keywords))
        if self.kazakh:
            parts.append("Kazakh words: " + ", ".join(self.kazakh))
        if self.weak:
            parts.append(f"{self.weak} word(s) of its definition")
        if self.example:
            parts.append(f"like «{self.example[:60]}»")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class _Keyword:
    model: int
    stems: tuple[str, ...]
    written: str
    weight: float
    strong: bool


class Matcher:
    """The codebook compiled for lexical scoring; build once per run."""

    def __init__(
        self,
        codebook: Codebook,
        ana: Analyzer | None = None,
        learned: Iterable[tuple[str, str]] = (),
        spread: dict[str, float] | None = None,
        rejected: Iterable[tuple[str, str]] = (),
    ) -> None:
        """`learned`: (code id, quote) pairs the team already coded — they count as examples,
        so suggestions get better as coding goes on. `spread`: stem → share of the study's
        segments that use it (`word_spread`); a keyword people say everywhere («год», «раз»,
        «ходить») then counts for little on its own. `rejected`: (code id, quote) suggestions
        the team refused; a keyword behind refusals and few acceptances loses weight
        (`_learn_keywords`)."""
        self.ana = ana or analyzer("ru")
        self.stop = stop_words()
        spread = spread or {}
        learned = list(learned)
        raw: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        sharing: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for _, code in codebook.walk():
            kws: list[tuple[tuple[str, ...], str, float]] = []
            for kw in code.keywords:
                kw_lemmas = [t.lemma for t in self.ana.tokens(kw) if t.is_word]
                if len(kw_lemmas) == 1 and kw_lemmas[0] in self.stop:
                    continue  # «тот», «же»: no evidence of anything on their own
                lemmas = tuple(stem(x) for x in kw_lemmas)
                if lemmas:
                    kws.append((lemmas, kw, 1.0))
                    sharing[lemmas].add(code.id)
            weak = (code.label_ru, 0.5), (code.inclusion or "", 0.25), (code.definition or "", 0.25)
            for text, weight in weak:
                for lemma in dict.fromkeys(self.content(self.ana.tokens(text))):
                    kws.append(((lemma,), lemma, weight))
                    sharing[(lemma,)].add(code.id)
            raw[code.id] = kws
        extra: dict[str, list[str]] = defaultdict(list)
        for code_id, quote in learned:
            if code_id in codebook and quote not in extra[code_id]:
                extra[code_id].append(quote)
        self.exclusions: dict[str, dict[str, str]] = {}  # code -> stem -> word, see below
        for _, code in codebook.walk():
            own = {x for lem, _, _ in raw[code.id] for x in lem}
            words = [
                t for t in self.ana.tokens(_CODE_ID.sub(" ", code.exclusion or "")) if t.is_word
            ]
            # words that point to a neighbouring code and are not this code's own vocabulary
            self.exclusions[code.id] = {
                stem(t.lemma): t.text.lower() for t in words
                if t.lemma not in self.stop and len(t.lemma) > 2 and stem(t.lemma) not in own
            }  # fmt: skip
        self.code_ids: list[str] = []
        self.examples: list[list[tuple[frozenset[str], str]]] = []
        self.kw_index: dict[str, list[_Keyword]] = defaultdict(list)  # first stem -> keywords
        self.ex_index: dict[str, list[int]] = defaultdict(list)  # stem -> rows of ex_rows
        self.ex_rows: list[tuple[int, int, int]] = []  # (code model, example, content size)
        self.index: dict[str, set[int]] = defaultdict(set)  # stem -> models mentioning it
        for _, code in codebook.walk():
            texts = [ex.text for ex in code.examples] + extra.get(code.id, [])
            examples = [(frozenset(self.content(self.ana.tokens(t))), t) for t in texts]
            examples = [e for e in examples if len(e[0]) >= 2]
            if not raw[code.id] and not examples:
                continue
            n = len(self.code_ids)
            self.code_ids.append(code.id)
            self.examples.append(examples)
            seen: set[tuple[str, ...]] = set()
            for lem, written, base in raw[code.id]:
                if lem in seen:
                    continue  # the same lemma in a keyword and the label counts once
                seen.add(lem)
                weight = base / len(sharing[lem]) * specificity(lem, spread)
                keyword = _Keyword(n, lem, written, weight, base >= 1.0)
                self.kw_index[lem[0]].append(keyword)
                self.index[lem[0]].add(n)
            for e, (ex_stems, _) in enumerate(examples):
                for st in ex_stems:
                    self.ex_index[st].append(len(self.ex_rows))
                    self.index[st].add(n)
                self.ex_rows.append((n, e, len(ex_stems)))

        self._learn_keywords(learned, list(rejected))
        self.kazakh = KazakhMatcher(codebook)

    def _learn_keywords(
        self, accepted: list[tuple[str, str]], rejected: list[tuple[str, str]]
    ) -> None:
        """Each keyword's weight times (accepted + 2) / (accepted + rejected + 2), counting the
        team's decided passages it occurs in for its code: «район» refused three times for
        «remote areas» and never accepted keeps 40 % of its weight, so a coder's refusals
        stop the same false alarm rather than only lowering the code as a whole."""
        if not rejected:
            return
        position = {cid: n for n, cid in enumerate(self.code_ids)}
        counts: dict[tuple[int, tuple[str, ...]], list[int]] = defaultdict(lambda: [0, 0])
        for k, pairs in ((0, accepted), (1, rejected)):
            for code_id, quote in pairs:
                n = position.get(code_id)
                if n is None:
                    continue
                lemmas = [t.lemma for t in self.ana.tokens(quote) if t.is_word]
                for kw in {kw for kw in self._keywords(lemmas) if kw.model == n}:
                    counts[(n, kw.stems)][k] += 1
        for first, kws in self.kw_index.items():
            self.kw_index[first] = [
                replace(kw, weight=kw.weight * (c[0] + 2) / (c[0] + c[1] + 2))
                if (c := counts.get((kw.model, kw.stems))) and c[1] else kw
                for kw in kws
            ]  # fmt: skip

    def _keywords(self, lemmas: Sequence[str]) -> list[_Keyword]:
        """The keywords (any code's) a sentence's lemmas contain, in sentence order."""
        present = dict.fromkeys([lem[:STEM] for lem in lemmas])
        return [
            kw for lemma in present for kw in self.kw_index.get(lemma, ())
            if len(kw.stems) == 1 or all(x in present for x in kw.stems)
        ]  # fmt: skip

    def content(self, tokens: Iterable[Token]) -> list[str]:
        return [
            stem(t.lemma)
            for t in tokens
            if t.is_word and t.lemma not in self.stop and len(t.lemma) > 2
        ]

    def score(
        self, lemmas: Sequence[str], kazakh: Sequence[str] | None = None
    ) -> dict[str, Evidence]:
        """Each code's evidence in a sentence; `kazakh`: the sentence's word forms when it is
        Kazakh, matched against the Kazakh keywords as well."""
        found = self._score(lemmas)
        if kazakh and self.kazakh:
            for code_id, (weight, said) in self.kazakh.score(kazakh).items():
                ev = found.get(code_id)
                if ev is None:
                    ev = found[code_id] = Evidence()
                ev.kazakh += said
                ev.score += weight
        return found

    def _score(self, lemmas: Sequence[str]) -> dict[str, Evidence]:
        stop = self.stop
        content = dict.fromkeys([lem[:STEM] for lem in lemmas if len(lem) > 2 and lem not in stop])
        out: dict[int, Evidence] = {}
        for kw in self._keywords(lemmas):  # sentence order: stable reasons
            ev = out.get(kw.model)
            if ev is None:
                ev = out[kw.model] = Evidence()
            if kw.strong:
                ev.keywords.append(kw.written)
                ev.stems.append(kw.stems)
            else:
                ev.weak += 1
            ev.score += kw.weight
        index = self.ex_index
        # examples sharing content words with the sentence, counted by Counter's C loop
        shared = Counter(chain.from_iterable([index[x] for x in content if x in index]))
        best: dict[int, float] = {}
        size = max(len(content), 1)
        for row, k in shared.items():
            if k < 2:
                continue
            n, e, ex_size = self.ex_rows[row]
            ex_text = self.examples[n][e][1]
            sim = k / math.sqrt(ex_size * size)
            if sim > best.get(n, 0.0):
                best[n] = sim
                ev = out.get(n)
                if ev is None:
                    ev = out[n] = Evidence()
                ev.example = ex_text
        for n, sim in best.items():
            out[n].score += 2.0 * sim
        return {self.code_ids[n]: ev for n, ev in out.items() if ev.score > 0}


def word_spread(documents: Sequence[Iterable[str]]) -> dict[str, float]:
    """Stem → the share of documents (segments' lemma lists) using it; empty below
    `MIN_DOCUMENTS` documents, where a share says nothing."""
    if len(documents) < MIN_DOCUMENTS:
        return {}
    stem_of = itemgetter(slice(STEM))  # x[:STEM], mapped in C over a million words
    df = Counter(chain.from_iterable(set(map(stem_of, doc)) for doc in documents))
    return {st: k / len(documents) for st, k in df.items()}


def specificity(stems: Sequence[str], spread: dict[str, float]) -> float:
    """1 for a keyword used in at most 1 % of segments, ½ at 10 %, down to `MIN_SPECIFICITY`
    for words in every other segment; a phrase is as specific as its rarest word."""
    share = min(spread.get(st, 0.0) for st in stems)
    if share <= 0.01:
        return 1.0
    return max(MIN_SPECIFICITY, math.log(1.0 / share) / math.log(100.0))


def excluded(matcher: Matcher, code_id: str, lemmas: Sequence[str]) -> list[str]:
    """Words of the sentence that belong to the code's exclusion criteria."""
    excl = matcher.exclusions.get(code_id, {})
    return list(dict.fromkeys(excl[s] for s in (stem(x) for x in lemmas) if s in excl))


def sentences(tokens: Sequence[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in tokens:
        out[-1].append(t)
        if t.text in _SENTENCE_END or (not t.is_word and _ENDS.search(t.text)):
            out.append([])
    return [s for s in out if any(t.is_word for t in s)]


def words(text: str) -> list[str]:
    """The words `tokens` finds, without lemmatising them (`findall` gives the word group, ''
    for punctuation, with no match object per token: the bank's passages go through it on
    every run)."""
    return [w for w in _TOKEN.findall(text) if w]


@lru_cache(maxsize=TURNS_KEPT)
def turn_tokens(ana: Analyzer, text: str) -> tuple[Token, ...]:
    """`tokens` of a turn, kept for the turns of the batch being scored: scoring reads them and
    then each proposal's reason quotes the turn's own words (candidate.said_keywords);
    tokenising the turn again for that cost a fifth of the lexical run."""
    return tuple(tokens(ana, text))


def tokens(ana: Analyzer, text: str) -> list[Token]:
    """Words and punctuation runs with offsets, lemmatised by `ana` (cached per word form).
    A regular expression instead of spaCy's tokenizer: auto-coding tokenises every turn of the
    study, and this is 3× faster while splitting the same way for what scoring needs (words,
    «ЭЦП-ны» and «egov.kz» whole, sentence-final punctuation)."""
    lemma = ana.lemma
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        is_word = m.group(1) is not None
        out.append(Token(word, m.start(), m.end(), lemma(word) if is_word else word, is_word))
    return out
