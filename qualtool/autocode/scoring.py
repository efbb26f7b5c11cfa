"""Lexical + semantic evidence → one calibrated score per (sentence, code), with its reasons.

Candidates for a sentence are the codes with any lexical evidence, the few codes it is
semantically closest to (by its words, by its closest single exemplar, by the interviewer's
question before it) and, when it praises or denies a problem, the positive codes; each gets
the features `calibrate.FEATURES` and a probability. Sentence vectors are IDF-weighted navec
means with stop words dropped and the common component taken out (`vectors.py`); exemplars
are the codebook's examples and the team's codings, compared one by one (max-sim and a share
among codes), never as a centroid. Only the codebook's leaves are proposed (coders code the
specific barrier, the parents group them).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from qualtool.autocode.bank import Bank, shipped_bank
from qualtool.autocode.calibrate import LEXICAL_FEATURES, Calibrator, logit
from qualtool.autocode.candidate import Candidate, proposal
from qualtool.autocode.classifier import train
from qualtool.autocode.features import BatchFeatures, Unit
from qualtool.autocode.grams import GramModel, shipped_model
from qualtool.autocode.kazakh import is_kazakh
from qualtool.autocode.lexical import (
    Matcher,
    excluded,
    sentences,
    tokens,
    turn_tokens,
    word_spread,
)
from qualtool.autocode.polarity import leanings
from qualtool.autocode.pooling import Pool
from qualtool.autocode.profiles import Profiles, build_profiles
from qualtool.autocode.semantic import Embedder, idf_table
from qualtool.autocode.vectors import common_component, groups, remove, sigmoid
from qualtool.domain import Code, Codebook, Polarity, Proposal
from qualtool.nlp import analyzer

DECIDED_WEIGHT = 1.0  # the vote moves the log-odds by up to this much; chosen on the dev split
# (train decided → dev measured): the train split has too few decisions to fit it
WINDOW = 2  # adjacent sentences also scored together (0: sentences only)
WINDOW_MARGIN = 0.1  # how much likelier a window must be than a sentence to be the quote
MIN_QUOTED = 0.15  # a window quotes one sentence only if that sentence reaches this alone


class Scorer(BatchFeatures):
    """Built once per run: the lexical matcher, the code profiles and the calibration."""

    def __init__(
        self,
        codebook: Codebook,
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        decisions: Iterable[tuple[str, float, bool]] = (),
        turn_decisions: Iterable[tuple[float, float, bool]] = (),
        idf_documents: Iterable[Iterable[str]] = (),
        calibrator: Calibrator | None = None,
        semantic: bool = True,
        bank: Bank | None = None,
    ) -> None:
        """`bank`: labelled passages that train the classifier (default: the shipped bank of
        the barrier codebook, applied by code id); `turn_decisions`: what the team decided on
        turns' trailing codes (`Calibrator.learn_turn_gap`)."""
        self.ana = analyzer("ru")
        accepted, rejected = list(accepted), list(rejected)
        docs = [set(doc) for doc in idf_documents]  # a word's presence is all both tables count
        self.matcher = Matcher(codebook, self.ana, learned=(), spread=word_spread(docs),
                               rejected=rejected)  # fmt: skip
        for _, code in codebook.walk():
            for text in (code.label_ru, code.definition, code.inclusion):
                if text:
                    docs.append(set(self.ana.lemma_text(text).split()))
        self.embedder = Embedder(idf=idf_table(docs)) if semantic else None
        if self.embedder is not None and not self.embedder.available:
            self.embedder = None
        emb = self.embedder or Embedder(load=False)
        self.profiles: Profiles = build_profiles(codebook, emb, self.ana, accepted, rejected,
                                                 bank=None if self.embedder is None else
                                                 bank or shipped_bank())  # fmt: skip
        self.common = common_component(self.profiles)
        if self.common is not None:
            p = self.profiles
            p.definition = remove(p.definition, self.common)
            p.exclusion = remove(p.exclusion, self.common)
            p.ex_vectors = remove(p.ex_vectors, self.common)
            p.neg_vectors = remove(p.neg_vectors, self.common)
            p.bank_vectors = remove(p.bank_vectors, self.common)
        self.classifier = train(self.profiles) if self.embedder is not None else None
        self.grams: GramModel | None = None
        self.gram_columns = np.zeros(0, dtype=np.int64)
        if self.embedder is not None and bank is None:  # a study's own bank: no shipped model
            self.grams = shipped_model()
        if self.grams is not None:
            shipped = shipped_bank()
            self.gram_columns = np.array([self.profiles.codes.index(c) if c in self.profiles.codes
                                          and shipped.means(c, _meaning(codebook.get(c))) else -1
                                          for c in self.grams.codes], dtype=np.int64)  # fmt: skip
        self.leaves = set(self.profiles.codes)
        self.positive = np.array(
            [codebook.get(c).polarity == Polarity.POSITIVE for c in self.profiles.codes],
            dtype=float,
        )
        lean = [leanings([self.ana.lemma_text(t).split() for t in _texts(codebook.get(c))])
                if self.positive[n] else (0.0, 0.0) for n, c in enumerate(self.profiles.codes)]  # fmt: skip
        self.denial_lean = np.array([d for d, _ in lean])
        self.praise_lean = np.array([p for _, p in lean])
        self.position = {cid: n for n, cid in enumerate(self.profiles.codes)}
        self._questions: dict[str, tuple[list[str], list[str]]] = {}  # one follows many turns
        self._question_rows: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
        self._question_words: dict[int, dict[int, float]] = {}
        self.pool = Pool(self.embedder, self.profiles) if self.embedder is not None else None
        self.calibrator = calibrator or Calibrator()
        self.calibrator.learn(decisions)
        self.calibrator.learn_turn_gap(turn_decisions)
        self.offsets = np.array([self.calibrator.offsets.get(c, 0.0) for c in self.profiles.codes])
        self.learned_offsets = bool(self.offsets.any())
        self._ex_order, self._ex_starts, self._ex_codes = groups(self.profiles.ex_code)
        self._ex_coded = np.array([k == "coded" for k, _ in self.profiles.ex_text], dtype=bool)
        self._ex_rows = {
            int(code): np.nonzero(self.profiles.ex_code == code)[0] for code in self._ex_codes
        }
        self._neg_order, self._neg_starts, self._neg_codes = groups(self.profiles.neg_code)
        self.excl_index: dict[str, list[int]] = {}
        for code_id, words in self.matcher.exclusions.items():
            if code_id in self.position:
                for st in words:
                    self.excl_index.setdefault(st, []).append(self.position[code_id])

    @property
    def semantic(self) -> bool:
        return self.embedder is not None

    def _picks(
        self, sents: list[Unit], floor: float, keep: int, banned: list[list[int]] | None = None
    ) -> tuple[_Scored, list[list[int]]]:
        """Every pair of a batch scored, and per sentence its candidate codes — lexical
        evidence or among the closest by meaning — at or above `floor`, best first (the `keep`
        best when set); `banned`: per sentence, code columns that are never candidates."""
        f, extra = self._matrices(sents)
        full = self.calibrator.full.raw_many(f)
        lexical = self.calibrator.lexical.raw_many(f)
        logit = np.where(extra["full"][:, None], full, lexical)
        if "decided" in f:
            logit = logit + DECIDED_WEIGHT * f["decided"]
        base = sigmoid(logit)
        prob = sigmoid(logit + self.offsets) if self.learned_offsets else base
        chosen = extra["wanted"] & (prob >= floor)
        for i, cols in enumerate(banned or ()):
            chosen[i, cols] = False
        picks: list[list[int]] = []
        for i in range(len(sents)):
            idx = sorted((int(n) for n in np.nonzero(chosen[i])[0]), key=lambda n: -prob[i, n])
            picks.append(idx[:keep] if keep else idx)
        return _Scored(sents, f, extra, prob, base), picks

    def score_batch(
        self, sents: list[Unit], floor: float = 0.0, keep: int = 0
    ) -> list[list[Candidate]]:
        """Per sentence: its candidates at or above `floor`, best first."""
        if not sents:
            return []
        scored, picks = self._picks(sents, floor, keep)
        built = iter(self._candidates(scored, [(i, n, None) for i, idx in enumerate(picks)
                                               for n in idx]))  # fmt: skip
        return [[next(built) for _ in idx] for idx in picks]

    def _candidates(
        self, scored: _Scored, pairs: list[tuple[int, int, tuple[int, int] | None]]
    ) -> list[Candidate]:
        """(unit, code column, span) pairs as suggestions with their evidence, built only for
        what is kept; a span quotes that instead of the unit's own text. Feature values are
        read for all pairs at once: one numpy lookup per pair and feature costs more than the
        rest of building the suggestion."""
        if not pairs:
            return []
        f, extra = scored.features, scored.extra
        rows, cols = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        values = {name: m[rows, cols].tolist() for name, m in f.items()}
        prob, base = scored.prob[rows, cols].tolist(), scored.base[rows, cols].tolist()
        out = []
        for k, (i, n, span) in enumerate(pairs):
            snt = scored.sents[i]
            start, end = span or (snt.start, snt.end)
            code_id = self.profiles.codes[n]
            semantic = bool(extra["semantic"][i])
            example = None
            ex_rows = self._ex_rows.get(n)
            if semantic and ex_rows is not None and ex_rows.size:
                best = int(ex_rows[np.argmax(extra["ex_sims"][i, ex_rows])])
                kind, text = self.profiles.ex_text[best]
                example = (kind, text, float(extra["ex_sims"][i, best]))
            names = values if extra["full"][i] else LEXICAL_FEATURES
            feats = {name: values[name][k] for name in names}
            if "second_choice" in values:  # a turn's trailing code (`_second_choices`)
                feats["second_choice"] = values["second_choice"][k]
            out.append(Candidate(code_id, start, end, prob[k], base[k], feats,
                                 extra["lexical"][i].get(code_id), example, semantic,
                                 excluded(self.matcher, code_id, snt.lemmas), snt.kazakh))  # fmt: skip
        return out

    def know_question(self, text: str, lemmas: list[str]) -> None:
        """An interviewer's question as the search index lemmatised it: a question precedes
        many turns and is never scored itself, so it need not be tokenised again (its lemmas
        stand in for its word forms, which only matter for words navec lacks)."""
        if self.embedder is not None and text not in self._questions:
            self._remember_question(text, (lemmas, lemmas))

    def _remember_question(self, text: str, words: tuple[list[str], list[str]]) -> None:
        """A question's (lemmas, forms), kept for the turns after it; bounded."""
        if len(self._questions) > 10_000:
            self._questions.clear()
            self._question_rows.clear()  # keyed by the id of a cleared question
            self._question_words.clear()
        self._questions[text] = words

    def sentences_of(
        self, text: str, language: str | None = None, context: str | None = None
    ) -> list[Unit]:
        """`context`: the interviewer's question this turn answers («А стоимость?» makes a
        cost code likelier for «Госпошлина огромная»)."""
        kazakh = is_kazakh(text, language)
        question = None
        if context and self.embedder is not None:  # only the semantic features read it
            question = self._questions.get(context)
            if question is None:
                words = [t for t in tokens(self.ana, context) if t.is_word]
                question = ([t.lemma for t in words], [t.text for t in words])
                self._remember_question(context, question)
        out = []
        for sent in sentences(turn_tokens(self.ana, text)):
            words = [t for t in sent if t.is_word]
            out.append(Unit(sent[0].start, sent[-1].end, [t.lemma for t in words],
                                 [t.text for t in words], kazakh, question))  # fmt: skip
        if WINDOW and len(out) > 1:
            # neighbouring sentences together: «Был. Специалист на больничном. Второй не может.»
            # says "nobody there" only as a whole
            out += [Unit(out[n].start, out[n + WINDOW - 1].end,
                              [x for s in out[n:n + WINDOW] for x in s.lemmas],
                              [x for s in out[n:n + WINDOW] for x in s.forms], kazakh, question,
                              tuple(out[n:n + WINDOW]))
                    for n in range(len(out) - WINDOW + 1)]  # fmt: skip
        return out

    def candidates(
        self, text: str, language: str | None = None, context: str | None = None
    ) -> list[Candidate]:
        sents = self.sentences_of(text, language, context)
        return [c for cands in self.score_batch(sents) for c in cands]

    def best_many(
        self, texts: list[tuple[str, str | None, str | None]], floor: float, per_sentence: int = 3,
        skip: Sequence[Collection[str]] = (),
    ) -> list[list[Candidate]]:  # fmt: skip
        """For each (text, language, question): the best sentence per code at or above
        `floor`. `skip`: per text, the codes a coder rejected there — never proposed there
        again, they must not be the turn's best code either (`_second_choices`), or a code the
        coder refused would push the turn's other codes down and be their «better» code."""
        sents: list[Unit] = []
        owner: list[int] = []
        for k, (text, language, context) in enumerate(texts):
            found = self.sentences_of(text, language, context)
            sents += found
            owner += [k] * len(found)
        if not sents:
            return [[] for _ in texts]
        banned = None
        if skip:
            banned = [[self.position[c] for c in skip[k] if c in self.position] for k in owner]
        scored, picks = self._picks(sents, floor, per_sentence, banned)
        best: list[dict[int, int]] = [{} for _ in texts]  # code column → its best sentence
        for i, (k, idx) in enumerate(zip(owner, picks, strict=True)):
            for n in idx:
                old = best[k].get(n)
                if old is None or self._rank(scored, i, n) > self._rank(scored, old, n):
                    best[k][n] = i
        scored, best = self._second_choices(scored, best, floor)
        row = {id(x): i for i, x in enumerate(sents)}
        built = iter(self._candidates(scored, [(i, n, self._quoted(scored, row, i, n, floor))
                                               for b in best for n, i in b.items()]))  # fmt: skip
        return [[next(built) for _ in b] for b in best]

    def _second_choices(
        self, scored: _Scored, best: list[dict[int, int]], floor: float
    ) -> tuple[_Scored, list[dict[int, int]]]:
        """Each code of a turn that trails the turn's best code loses `turn_gap` log-odds per
        unit it trails (calibrate.TURN_GAP: coders give most turns one code), and drops out
        under `floor`; the loss is kept as the `second_choice` feature, which the reason
        names."""
        beta = self.calibrator.turn_gap
        if beta <= 0 or not any(len(b) > 1 for b in best):
            return scored, best
        prob, base = scored.prob.copy(), scored.base.copy()
        penalty = np.zeros_like(prob)
        kept: list[dict[int, int]] = []
        for b in best:
            odds = {n: logit(float(scored.prob[i, n])) for n, i in b.items()}
            top = max(odds.values(), default=0.0)
            for n, i in b.items():
                penalty[i, n] = beta * (top - odds[n])
                prob[i, n] = sigmoid(np.array(odds[n] - penalty[i, n]))
                base[i, n] = sigmoid(np.array(logit(float(base[i, n])) - penalty[i, n]))
            kept.append({n: i for n, i in b.items() if prob[i, n] >= floor})
        features = {**scored.features, "second_choice": penalty}
        return replace(scored, features=features, prob=prob, base=base), kept

    def _quoted(
        self, scored: _Scored, row: dict[int, int], i: int, n: int, floor: float
    ) -> tuple[int, int] | None:
        """The span to quote for a window: its sentence that holds the code's words (the best
        of them), else its sentence that would be suggested alone; otherwise the whole window,
        so the quote always holds what the reason names."""
        parts = [row[id(x)] for x in scored.sents[i].parts if id(x) in row]
        code_id = self.profiles.codes[n]
        worded = [k for k in parts if code_id in scored.extra["lexical"][k]]
        pick = max(worded or parts, key=lambda k: scored.prob[k, n]) if parts else None
        if pick is None or (not worded and scored.prob[pick, n] < max(floor, MIN_QUOTED)):
            return None
        return scored.sents[pick].start, scored.sents[pick].end

    @staticmethod
    def _rank(scored: _Scored, i: int, n: int) -> float:
        """A window is quoted only when it is clearly likelier than a sentence: a shorter quote
        is the better one for a report."""
        return float(scored.prob[i, n]) - (WINDOW_MARGIN if scored.sents[i].parts else 0.0)

    def best(
        self, text: str, floor: float, language: str | None = None, per_sentence: int = 3
    ) -> list[Candidate]:
        """The best sentence per code in one segment, for codes at or above `floor`."""
        return self.best_many([(text, language, None)], floor, per_sentence)[0]

    def propose(
        self, segment_id: int, text: str, floor: float, language: str | None = None
    ) -> list[Proposal]:
        return [proposal(segment_id, text, c) for c in self.best(text, floor, language)]


@dataclass(frozen=True, slots=True)
class _Scored:
    """One scored batch: its sentences, feature matrices and probabilities."""

    sents: list[Unit]
    features: dict[str, np.ndarray]
    extra: dict[str, Any]
    prob: np.ndarray
    base: np.ndarray


def _meaning(code: Code) -> tuple[str, str]:
    return code.label_ru, code.definition or ""


def _texts(code: Code) -> list[str]:
    return [t for t in (code.definition, code.inclusion) if t] + [e.text for e in code.examples]
