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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from qualtool.autocode.bank import Bank, shipped_bank
from qualtool.autocode.calibrate import Calibrator
from qualtool.autocode.candidate import Candidate, proposal
from qualtool.autocode.classifier import train
from qualtool.autocode.lexical import (
    STEM,
    Evidence,
    Matcher,
    excluded,
    sentences,
    tokens,
    word_spread,
)
from qualtool.autocode.polarity import denial, praise
from qualtool.autocode.pooling import Pool
from qualtool.autocode.profiles import Profiles, build_profiles
from qualtool.autocode.semantic import Embedder, idf_table, is_kazakh
from qualtool.autocode.vectors import common_component, groups, margins, remove, sigmoid
from qualtool.domain import Codebook, Polarity, Proposal
from qualtool.nlp import analyzer

SEMANTIC_CANDIDATES = 3  # closest codes by meaning considered even without a shared word
EXAMPLE_CANDIDATES = 2  # and the codes with the closest single exemplars
QUESTION_CANDIDATES = 2  # and the codes the question before it asks about
DECIDED_SHARPNESS = 10.0  # decided passages count e^(10·(cos−1)): 0.9 → 0.37, 0.7 → 0.05
DECIDED_PRIOR = 0.2  # "nothing decided nearby" pulls the vote towards 0
DECIDED_WEIGHT = 1  # the vote moves the log-odds by up to this much; chosen on the dev split
# (train decided → dev measured): the train split has too few decisions to fit it
WINDOW = 2  # adjacent sentences also scored together (0: sentences only)
WINDOW_MARGIN = 0.1  # how much likelier a window must be than a sentence to be the quote
CLASSIFIER_CANDIDATES = 2  # and the codes the trained classifier ranks first
SOFTMAX_SHARPNESS = 20.0  # how peaked the "which code is it closest to" share is
EXAMPLE_SHARPNESS = 20.0  # the same over single exemplars (examples and team codings)


class Scorer:
    """Built once per run: the lexical matcher, the code profiles and the calibration."""

    def __init__(
        self,
        codebook: Codebook,
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        decisions: Iterable[tuple[str, float, bool]] = (),
        idf_documents: Iterable[Iterable[str]] = (),
        calibrator: Calibrator | None = None,
        semantic: bool = True,
        bank: Bank | None = None,
    ) -> None:
        """`bank`: labelled passages that train the classifier (default: the shipped bank of
        the barrier codebook, applied by code id)."""
        self.ana = analyzer("ru")
        accepted, rejected = list(accepted), list(rejected)
        docs = list(idf_documents)
        self.matcher = Matcher(codebook, self.ana, learned=(), spread=word_spread(docs),
                               rejected=rejected)  # fmt: skip
        for _, code in codebook.walk():
            for text in (code.label_ru, code.definition, code.inclusion):
                if text:
                    docs.append(self.ana.lemma_text(text).split())
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
        self.leaves = set(self.profiles.codes)
        self.positive = np.array(
            [codebook.get(c).polarity == Polarity.POSITIVE for c in self.profiles.codes],
            dtype=float,
        )
        self.position = {cid: n for n, cid in enumerate(self.profiles.codes)}
        self._questions: dict[str, tuple[list[str], list[str]]] = {}  # one follows many turns
        self._question_rows: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
        self.pool = Pool(self.embedder, self.profiles) if self.embedder is not None else None
        self.calibrator = calibrator or Calibrator()
        self.calibrator.learn(decisions)
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

    def _matrices(self, sents: list[_Sentence]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Every feature of every (sentence, code) pair of a batch as (sentences × codes)
        matrices: numpy's per-call overhead is paid once per batch, not once per sentence."""
        m, c = len(sents), len(self.profiles.codes)
        lex = np.zeros((m, c))
        excl_words = np.zeros((m, c))
        lexical: list[dict[str, Evidence]] = []
        row = {id(x): i for i, x in enumerate(sents)}
        for i, snt in enumerate(sents):
            done = [row.get(id(x)) for x in snt.parts]
            if snt.parts and None not in done:
                # a window's lexical evidence is its better sentence's, code by code: the
                # matcher's work is not done twice
                found: dict[str, Evidence] = {}
                for k in done:
                    assert k is not None
                    for code_id, ev in lexical[k].items():
                        if code_id not in found or ev.score > found[code_id].score:
                            found[code_id] = ev
            else:
                found = {k: ev for k, ev in self.matcher.score(snt.lemmas).items()
                         if k in self.leaves}  # fmt: skip
            lexical.append(found)
            for code_id, ev in found.items():
                lex[i, self.position[code_id]] = ev.score
            for st in dict.fromkeys([x[:STEM] for x in snt.lemmas]):
                for n in self.excl_index.get(st, ()):
                    excl_words[i, n] += 1.0
        np.minimum(excl_words, 2.0, out=excl_words)
        tone_p = np.array([praise(x.lemmas) for x in sents])[:, None]
        tone_d = np.array([denial(x.lemmas) for x in sents])[:, None]
        pos, neg = self.positive[None, :], 1.0 - self.positive[None, :]
        top = lex.max(axis=1, keepdims=True)
        f = {"lex": lex, "exclusion_words": excl_words,
             "lex_top": ((lex >= top) & (lex > 0)).astype(float),
             "praise_agree": tone_p * pos, "praise_clash": tone_p * neg,
             "denial_agree": tone_d * pos, "denial_clash": tone_d * neg}  # fmt: skip
        # praise or a denied problem always puts the positive codes among the candidates
        wanted = (lex > 0) | (((tone_p + tone_d) > 0) & (pos > 0))
        extra: dict[str, Any] = {"lexical": lexical, "wanted": wanted,
                                 "semantic": np.zeros(m, dtype=bool)}  # fmt: skip
        if self.embedder is not None:
            self._semantic(sents, f, extra)
        return f, extra

    def _semantic(
        self, sents: list[_Sentence], f: dict[str, np.ndarray], extra: dict[str, Any]
    ) -> None:
        assert self.pool is not None
        m = len(sents)
        has, v, soft, count = self._pooled(sents)
        if self.common is not None:
            v = remove(v, self.common)
        if not has.any():
            return
        contexts: dict[int, int] = {}
        texts: list[tuple[list[str], list[str]] | None] = []
        cache = self._question_rows  # a question is followed by many turns, in many batches
        for x in sents:
            key = id(x.context)
            if x.context is not None and key not in contexts and key not in cache:
                contexts[key] = len(texts)
                texts.append(x.context)
        question = np.zeros_like(soft)
        q_def = np.zeros_like(soft)
        p = self.profiles
        if texts:
            q_has, q_v, q_soft, _ = self.pool.pooled(texts)
            if self.common is not None:
                q_v = remove(q_v, self.common)
            q_de = margins(q_v @ p.definition.T)
            for key, k in contexts.items():
                cache[key] = (q_soft[k], q_de[k] if q_has[k] else None)
        for i, x in enumerate(sents):
            if x.context is not None and has[i]:
                q_soft_row, q_de_row = cache[id(x.context)]
                question[i] = q_soft_row
                if q_de_row is not None:
                    q_def[i] = q_de_row
        f["question"] = question
        f["question_margin"] = np.where(question.any(axis=1, keepdims=True), margins(question), 0.0)
        f["question_definition_margin"] = q_def
        de = v @ p.definition.T
        excl = v @ p.exclusion.T
        ex = de.copy()
        ex_sims = v @ p.ex_vectors.T if len(p.ex_code) else np.zeros((m, 0))
        ex_share = np.zeros_like(de)
        coded = np.zeros_like(de)
        if self._ex_codes.size:
            # the codebook's examples and the team's codings apart: `example` and `ex_share`
            # mean the same before and after a team has coded (the calibration relies on it);
            # the codings speak through `coded`, the vote and the classifier
            ordered = ex_sims[:, self._ex_order]
            is_coded = self._ex_coded[self._ex_order][None, :]
            book = np.where(is_coded, -1.0, ordered)
            has_book = np.add.reduceat(~is_coded[0], self._ex_starts) > 0
            best_book = np.maximum.reduceat(book, self._ex_starts, axis=1)
            ex[:, self._ex_codes[has_book]] = best_book[:, has_book]
            weight = np.where(is_coded, 0.0,
                              np.exp(EXAMPLE_SHARPNESS * (book - book.max(axis=1, keepdims=True))))  # fmt: skip
            ex_share[:, self._ex_codes] = np.add.reduceat(weight, self._ex_starts, axis=1)
            ex_share /= np.maximum(ex_share.sum(axis=1, keepdims=True), 1e-9)
            mine = np.where(is_coded, ordered, -1.0)
            best = np.maximum.reduceat(mine, self._ex_starts, axis=1)
            coded[:, self._ex_codes] = np.maximum(best, 0.0)
        f["ex_share"] = ex_share
        f["coded"] = coded
        f["coded_margin"] = np.where(coded.any(axis=1, keepdims=True), margins(coded), 0.0)
        f["decided"] = self._decided(ex_sims, v @ p.neg_vectors.T if self._neg_codes.size else None)
        closeness = soft + 0.5 * de
        share = np.exp(SOFTMAX_SHARPNESS * (closeness - closeness.max(axis=1, keepdims=True)))
        f["share"] = share / share.sum(axis=1, keepdims=True)
        f["brief"] = np.broadcast_to((count <= 3)[:, None].astype(float), de.shape)
        f["soft"] = soft
        f["soft_margin"] = margins(soft)
        f["definition_margin"] = margins(de)
        f["exclusion"] = np.where(excl != 0, np.maximum(0.0, excl - de), 0.0)
        f["example"], f["definition"] = ex, de
        f["example_margin"] = margins(ex)
        if self.classifier is not None:
            trained = self.classifier.scores(v, [x.lemmas for x in sents])
            f["classifier"] = trained
            f["classifier_margin"] = margins(trained)
            k = min(CLASSIFIER_CANDIDATES, trained.shape[1])
            near = np.argpartition(-trained, k - 1, axis=1)[:, :k]
            extra["wanted"][np.arange(m)[:, None], near] |= has[:, None]
        k = min(SEMANTIC_CANDIDATES, closeness.shape[1])
        near = np.argpartition(-closeness, k - 1, axis=1)[:, :k]
        wanted = extra["wanted"]
        wanted[np.arange(m)[:, None], near] |= has[:, None]
        k = min(EXAMPLE_CANDIDATES, ex.shape[1])
        if k:
            near = np.argpartition(-ex, k - 1, axis=1)[:, :k]
            wanted[np.arange(m)[:, None], near] |= has[:, None]
        k = min(QUESTION_CANDIDATES, question.shape[1])
        if k:
            asked = question.any(axis=1) & has
            near = np.argpartition(-question, k - 1, axis=1)[:, :k]
            wanted[np.arange(m)[:, None], near] |= asked[:, None]
        extra["semantic"] = has
        extra["ex_sims"] = ex_sims

    def _pooled(self, sents: list[_Sentence]) -> tuple[np.ndarray, ...]:
        """Pooled vectors of a batch: sentences from their words, windows from their
        sentences (`Pool.joined`), back in batch order."""
        assert self.pool is not None
        where = {id(x): i for i, x in enumerate(sents)}
        single = [i for i, x in enumerate(sents) if not x.parts]
        windows = [i for i, x in enumerate(sents) if x.parts]
        slot = {i: k for k, i in enumerate(single)}
        base = self.pool.pooled([None if sents[i].kazakh else (sents[i].lemmas, sents[i].forms)
                                 for i in single])  # fmt: skip
        parts = [[slot[where[id(p)]] for p in sents[i].parts] for i in windows]
        joined = self.pool.joined(base, parts)
        out = []
        for a, b in zip(base, joined, strict=True):
            full = np.zeros((len(sents), *a.shape[1:]), dtype=a.dtype)
            full[single] = a
            full[windows] = b
            out.append(full)
        return tuple(out)

    def _decided(self, ex_sims: np.ndarray, neg_sims: np.ndarray | None) -> np.ndarray:
        """The team's verdict on passages like this one, per code: the similarity-weighted
        vote of its codings (+1) and refusals (−1), from −1 to 1, near 0 when nothing decided
        is close — a kernel vote, so one refusal of an almost identical sentence weighs more
        than many refusals of loosely related ones."""
        m, c = ex_sims.shape[0], len(self.profiles.codes)
        yes = np.zeros((m, c))
        if self._ex_coded.any():
            kernel = np.where(self._ex_coded[None, :], np.exp(DECIDED_SHARPNESS * (ex_sims - 1)), 0)
            yes[:, self._ex_codes] = np.add.reduceat(kernel[:, self._ex_order], self._ex_starts,
                                                     axis=1)  # fmt: skip
        no = np.zeros((m, c))
        if neg_sims is not None:
            kernel = np.exp(DECIDED_SHARPNESS * (neg_sims - 1))
            no[:, self._neg_codes] = np.add.reduceat(kernel[:, self._neg_order], self._neg_starts,
                                                     axis=1)  # fmt: skip
        return np.asarray((yes - no) / (yes + no + DECIDED_PRIOR))

    def _picks(
        self, sents: list[_Sentence], floor: float, keep: int
    ) -> tuple[_Scored, list[list[int]]]:
        """Every pair of a batch scored, and per sentence its candidate codes — lexical
        evidence or among the closest by meaning — at or above `floor`, best first (the `keep`
        best when set)."""
        f, extra = self._matrices(sents)
        semantic = extra["semantic"]
        full = self.calibrator.full.raw_many(f)
        lexical = self.calibrator.lexical.raw_many(f)
        logit = np.where(semantic[:, None], full, lexical)
        if "decided" in f:
            logit = logit + DECIDED_WEIGHT * f["decided"]
        base = sigmoid(logit)
        prob = sigmoid(logit + self.offsets) if self.learned_offsets else base
        chosen = extra["wanted"] & (prob >= floor)
        picks: list[list[int]] = []
        for i in range(len(sents)):
            idx = sorted((int(n) for n in np.nonzero(chosen[i])[0]), key=lambda n: -prob[i, n])
            picks.append(idx[:keep] if keep else idx)
        return _Scored(sents, f, extra, prob, base), picks

    def score_batch(
        self, sents: list[_Sentence], floor: float = 0.0, keep: int = 0
    ) -> list[list[Candidate]]:
        """Per sentence: its candidates at or above `floor`, best first."""
        if not sents:
            return []
        scored, picks = self._picks(sents, floor, keep)
        return [[self._candidate(scored, i, n) for n in idx] for i, idx in enumerate(picks)]

    def _candidate(
        self, scored: _Scored, i: int, n: int, span: tuple[int, int] | None = None
    ) -> Candidate:
        """One pair as a suggestion with its evidence (built only for what is kept); `span`:
        quote this instead of the unit's own text."""
        snt, f, extra = scored.sents[i], scored.features, scored.extra
        start, end = span or (snt.start, snt.end)
        code_id = self.profiles.codes[n]
        semantic = bool(extra["semantic"][i])
        example = None
        rows = self._ex_rows.get(n)
        if semantic and rows is not None and rows.size:
            best = int(rows[np.argmax(extra["ex_sims"][i, rows])])
            kind, text = self.profiles.ex_text[best]
            example = (kind, text, float(extra["ex_sims"][i, best]))
        names = list(f) if semantic else ["lex", "lex_top", "exclusion_words"]
        feats = {name: float(f[name][i, n]) for name in names}
        return Candidate(code_id, start, end, float(scored.prob[i, n]),
                         float(scored.base[i, n]), feats, extra["lexical"][i].get(code_id),
                         example, semantic, excluded(self.matcher, code_id, snt.lemmas),
                         snt.kazakh)  # fmt: skip

    def sentences_of(
        self, text: str, language: str | None = None, context: str | None = None
    ) -> list[_Sentence]:
        """`context`: the interviewer's question this turn answers («А стоимость?» makes a
        cost code likelier for «Госпошлина огромная»)."""
        kazakh = is_kazakh(text, language)
        question = None
        if context and self.embedder is not None:  # only the semantic features read it
            question = self._questions.get(context)
            if question is None:
                words = [t for t in tokens(self.ana, context) if t.is_word]
                question = ([t.lemma for t in words], [t.text for t in words])
                if len(self._questions) > 10_000:
                    self._questions.clear()
                    self._question_rows.clear()  # keyed by the id of a cleared question
                self._questions[context] = question
        out = []
        for sent in sentences(tokens(self.ana, text)):
            words = [t for t in sent if t.is_word]
            out.append(_Sentence(sent[0].start, sent[-1].end, [t.lemma for t in words],
                                 [t.text for t in words], kazakh, question))  # fmt: skip
        if WINDOW and len(out) > 1:
            # neighbouring sentences together: «Был. Специалист на больничном. Второй не может.»
            # says "nobody there" only as a whole
            out += [_Sentence(out[n].start, out[n + WINDOW - 1].end,
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
        self, texts: list[tuple[str, str | None, str | None]], floor: float, per_sentence: int = 3
    ) -> list[list[Candidate]]:
        """For each (text, language, question): the best sentence per code at or above
        `floor`."""
        sents: list[_Sentence] = []
        owner: list[int] = []
        for k, (text, language, context) in enumerate(texts):
            found = self.sentences_of(text, language, context)
            sents += found
            owner += [k] * len(found)
        if not sents:
            return [[] for _ in texts]
        scored, picks = self._picks(sents, floor, per_sentence)
        best: list[dict[int, int]] = [{} for _ in texts]  # code column → its best sentence
        for i, (k, idx) in enumerate(zip(owner, picks, strict=True)):
            for n in idx:
                old = best[k].get(n)
                if old is None or self._rank(scored, i, n) > self._rank(scored, old, n):
                    best[k][n] = i
        row = {id(x): i for i, x in enumerate(sents)}
        return [[self._candidate(scored, i, n, self._quoted(scored, row, i, n))
                 for n, i in b.items()] for b in best]  # fmt: skip

    @staticmethod
    def _quoted(scored: _Scored, row: dict[int, int], i: int, n: int) -> tuple[int, int] | None:
        """The span to quote for a window: the sentence of it that scores best for the code
        (the window's score says the context agrees; the quote stays one sentence)."""
        parts = [row[id(x)] for x in scored.sents[i].parts if id(x) in row]
        if not parts:
            return None
        k = max(parts, key=lambda k: scored.prob[k, n])
        return scored.sents[k].start, scored.sents[k].end

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

    sents: list[_Sentence]
    features: dict[str, np.ndarray]
    extra: dict[str, Any]
    prob: np.ndarray
    base: np.ndarray


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    lemmas: list[str]
    forms: list[str]
    kazakh: bool
    context: tuple[list[str], list[str]] | None = None  # the interviewer's question before it
    parts: tuple[_Sentence, ...] = ()  # a window: the sentences it joins (scored first)
