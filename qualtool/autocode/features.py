"""The feature matrices of a batch of sentences: lexical evidence, tone, and the semantic
features (pooled vectors, definitions, exemplars, the team's codings and refusals, the
interviewer's question, the classifier), each (sentences × codes), so numpy's per-call
overhead is paid once per batch. `Scorer` (scoring.py) builds the tables these read and turns
the features into probabilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qualtool.autocode.classifier import Classifier
from qualtool.autocode.grams import GramModel
from qualtool.autocode.lexical import STEM, Evidence, Matcher
from qualtool.autocode.polarity import denial, praise
from qualtool.autocode.pooling import Pool, Pooled
from qualtool.autocode.profiles import Profiles
from qualtool.autocode.semantic import Embedder
from qualtool.autocode.vectors import margins, remove

SHORT_ANSWER = 6  # words: an answer this short may take its subject from the question
SEMANTIC_CANDIDATES = 3  # closest codes by meaning considered even without a shared word
EXAMPLE_CANDIDATES = 2  # and the codes with the closest single exemplars
QUESTION_CANDIDATES = 2  # and the codes the question before it asks about
DECIDED_SHARPNESS = 10.0  # decided passages count e^(10·(cos−1)): 0.9 → 0.37, 0.7 → 0.05
DECIDED_PRIOR = 0.2  # "nothing decided nearby" pulls the vote towards 0
CLASSIFIER_CANDIDATES = 2  # and the codes the trained classifier ranks first
GRAMS_CANDIDATES = 2  # and the codes the n-gram reader of the bank ranks first
SOFTMAX_SHARPNESS = 20.0  # how peaked the "which code is it closest to" share is
EXAMPLE_SHARPNESS = 20.0  # the same over single exemplars (examples and team codings)


class BatchFeatures:
    """Mixed into `Scorer`, which sets these in its constructor."""

    matcher: Matcher
    embedder: Embedder | None
    profiles: Profiles
    pool: Pool | None
    classifier: Classifier | None
    grams: GramModel | None
    gram_columns: np.ndarray  # the n-gram model's class → the code's column, -1: not ours
    common: np.ndarray | None
    leaves: set[str]
    position: dict[str, int]
    positive: np.ndarray
    denial_lean: np.ndarray  # which positive codes a denial / praise speaks for
    praise_lean: np.ndarray
    excl_index: dict[str, list[int]]
    _question_rows: dict[int, tuple[np.ndarray, np.ndarray | None]]
    _question_words: dict[int, dict[int, float]]  # the question's own lexical evidence
    _ex_order: np.ndarray
    _ex_starts: np.ndarray
    _ex_codes: np.ndarray
    _ex_coded: np.ndarray
    _neg_order: np.ndarray
    _neg_starts: np.ndarray
    _neg_codes: np.ndarray

    def _matrices(self, sents: list[Unit]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
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
                said = snt.forms if snt.kazakh else None
                found = {k: ev for k, ev in self.matcher.score(snt.lemmas, said).items()
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
        asked, no = self._asked(sents)
        top = lex.max(axis=1, keepdims=True)
        f = {"lex": lex, "exclusion_words": excl_words,
             "lex_top": ((lex >= top) & (lex > 0)).astype(float),
             "praise_agree": tone_p * self.praise_lean[None, :], "praise_clash": tone_p * neg,
             "denial_agree": tone_d * self.denial_lean[None, :], "denial_clash": tone_d * neg}  # fmt: skip
        # a short answer takes its subject from the question: «Было дело, да.» after «Справку
        # лишнюю требовали?»; «Нет, не было.» denies what was asked
        said_no = np.maximum(no, tone_d[:, 0])[:, None]
        f["question_words"] = asked * neg * (1.0 - said_no)
        denied = said_no * ((asked * neg).max(axis=1, keepdims=True) > 0)
        f["question_denied"] = denied * self.denial_lean[None, :]
        # praise or a denied problem always puts the positive codes among the candidates
        wanted = (lex > 0) | (((tone_p + tone_d + denied) > 0) & (pos > 0))
        wanted |= f["question_words"] > 0
        extra: dict[str, Any] = {"lexical": lexical, "wanted": wanted,
                                 "semantic": np.zeros(m, dtype=bool)}  # fmt: skip
        if self.embedder is not None:
            self._semantic(sents, f, extra)
        # scored by the full model: a sentence with a word vector or the n-gram reader's view
        extra["full"] = extra["semantic"].copy()
        if self.grams is not None:
            self._grams(sents, f, extra)
        return f, extra

    def _asked(self, sents: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
        """For the short answers of a batch: the lexical evidence of the question they answer
        (sentences × codes), and whether the answer opens with «нет»."""
        asked = np.zeros((len(sents), len(self.profiles.codes)))
        no = np.zeros(len(sents))
        for i, x in enumerate(sents):
            if x.parts or x.context is None or not self._answers(x):
                continue
            no[i] = x.lemmas[:1] == ["нет"]
            key = id(x.context)
            if key not in self._question_words:
                found = self.matcher.score(x.context[0])
                self._question_words[key] = {self.position[k]: ev.score for k, ev in found.items()
                                             if k in self.position}  # fmt: skip
            for n, score in self._question_words[key].items():
                asked[i, n] = score
        return asked, no

    def _semantic(self, sents: list[Unit], f: dict[str, np.ndarray], extra: dict[str, Any]) -> None:
        assert self.pool is not None
        m = len(sents)
        has, v, soft, count, _, _ = self._pooled(sents)
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
            q_has, q_v, q_soft, *_ = self.pool.pooled(texts)
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
            # (before a team has coded, the masks below keep everything: they are skipped)
            ordered = ex_sims[:, self._ex_order]
            is_coded = self._ex_coded[self._ex_order][None, :]
            team = bool(is_coded.any())
            book = np.where(is_coded, -1.0, ordered) if team else ordered
            has_book = np.add.reduceat(~is_coded[0], self._ex_starts) > 0
            best_book = np.maximum.reduceat(book, self._ex_starts, axis=1)
            ex[:, self._ex_codes[has_book]] = best_book[:, has_book]
            weight = np.exp(EXAMPLE_SHARPNESS * (book - book.max(axis=1, keepdims=True)))
            if team:
                weight = np.where(is_coded, 0.0, weight)
            ex_share[:, self._ex_codes] = np.add.reduceat(weight, self._ex_starts, axis=1)
            ex_share /= np.maximum(ex_share.sum(axis=1, keepdims=True), 1e-9)
            if team:  # else no coding is close: 0
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
        brief = (count <= 3)[:, None]
        f["brief"] = np.broadcast_to(brief.astype(float), de.shape)
        # a short answer with the code's own words («Ну взятку просили, да.») is not vague
        f["brief_worded"] = (brief & (f["lex"] > 0)).astype(float)
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

    def _grams(self, sents: list[Unit], f: dict[str, np.ndarray], extra: dict[str, Any]) -> None:
        """The n-gram reader's probability of each code (grams.py), and its first codes among
        the candidates. It needs no word vector: «Нет, всё по-человечески было.» has none
        that navec knows, yet its shape says POS.NONE. Kazakh passages get none (it read
        Russian only)."""
        assert self.grams is not None
        m = len(sents)
        out = np.zeros((m, len(self.profiles.codes)))
        russian = np.array([not x.kazakh for x in sents])
        shaped = np.zeros(m, dtype=bool)
        if russian.any():
            where = np.nonzero(russian)[0]
            probs, shaped[where] = self.grams.read([sents[i].lemmas for i in where])
            ours = self.gram_columns >= 0
            out[where[:, None], self.gram_columns[ours][None, :]] = probs[:, ours]
            out[~shaped] = 0.0
            k = min(GRAMS_CANDIDATES, out.shape[1])
            near = np.argpartition(-out, k - 1, axis=1)[:, :k]
            extra["wanted"][np.arange(m)[:, None], near] |= shaped[:, None]
        f["grams"] = out
        extra["full"] = extra["full"] | shaped

    def _pooled(self, sents: list[Unit]) -> Pooled:
        """Pooled vectors of a batch: sentences from their words, windows from their
        sentences (`Pool.joined`), back in batch order."""
        assert self.pool is not None
        where = {id(x): i for i, x in enumerate(sents)}
        single = [i for i, x in enumerate(sents) if not x.parts]
        windows = [i for i, x in enumerate(sents) if x.parts]
        slot = {i: k for k, i in enumerate(single)}
        base = self.pool.pooled([None if sents[i].kazakh else (sents[i].lemmas, sents[i].forms)
                                 for i in single])  # fmt: skip
        joined = self.pool.joined(base, [[slot[where[id(p)]] for p in sents[i].parts]
                                         for i in windows])  # fmt: skip
        out = []
        for a, b in zip(base, joined, strict=True):
            full = np.zeros((len(sents), *a.shape[1:]), dtype=a.dtype)
            full[single] = a
            full[windows] = b
            out.append(full)
        return Pooled(*out)

    @staticmethod
    def _answers(x: Unit) -> bool:
        return x.context is not None and not x.kazakh and len(x.lemmas) <= SHORT_ANSWER

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


@dataclass(frozen=True, slots=True)
class Unit:
    """What gets scored: a sentence, or a window of adjacent sentences (`parts`)."""

    start: int
    end: int
    lemmas: list[str]
    forms: list[str]
    kazakh: bool
    context: tuple[list[str], list[str]] | None = None  # the interviewer's question before it
    parts: tuple[Unit, ...] = ()  # a window: the sentences it joins (scored first)
