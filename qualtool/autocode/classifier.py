"""A linear classifier over sentence vectors and content words, retrained every run.

Nearest-example similarity asks "which single passage is this most like"; with a handful of
examples per code it is at the mercy of one lucky or unlucky word. A ridge classifier fitted on
all of the codes' texts at once — definitions, codebook examples, the team's codings and the
shipped bank (bank.py), whose "no barrier" passages are rows that belong to no code — learns
which directions of the vector space and which words tell the codes apart. Averaged word
vectors blur a decisive word («конверт», «табло») into the rest of the sentence, so each row
also carries its content-word stems as features (scaled by `WORD_SCALE`); a word right after
«не» is a feature of its own («не грубили» is no evidence of rudeness). One-vs-rest
least squares, solved in closed form in one step for every code: the normal equations are summed
through a sparse word matrix and solved by Cholesky (the system is symmetric positive definite),
which together cost a quarter of what dense sums and an LU solve did — the fit is the fixed part
of every run's cost, whatever the study's size.

A refused suggestion is a row whose target is 0 for its code only: refusing «окно закрыто»
for STAFF.SHORTAGE says nothing about whether it is ACC.SCHEDULE, so for every other code the
row asks for what the classifier already predicts without it (a second solve), and pulls
nothing there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import scipy.sparse as sparse  # type: ignore[import-untyped]
from scipy.linalg import LinAlgError, cho_factor, cho_solve  # type: ignore[import-untyped]

from qualtool.autocode.profiles import NEGATED, Profiles, content_stem, negated
from qualtool.autocode.vectors import add_grouped, rows_of

RIDGE = 0.3  # L2 penalty (unit-length rows); chosen on the dev split with WORD_SCALE
WORD_SCALE = 0.3  # a row's word features have this length in all (the vector part has 1)
MIN_ROWS = 2  # a word is a feature when at least this many training rows use it
DEFINITION_WEIGHT = 1.0  # a code's pooled definition counts as one passage
CODED_WEIGHT = 1.5  # a passage the team coded counts more than a codebook or bank passage
BANK_WEIGHT = 1.0
REJECTED_WEIGHT = 1.0
NONE_WEIGHT = 1.0  # a bank passage with no barrier: a row of zeros


@dataclass(frozen=True)
class Classifier:
    weights: np.ndarray  # (DIM, codes)
    word_index: dict[str, int]  # stem → row of word_weights
    word_weights: np.ndarray  # (words, codes)
    bias: np.ndarray  # (codes,)
    _columns: dict[str, int] = field(default_factory=dict)  # lemma → word row, -1: none

    def scores(self, vectors: np.ndarray, lemma_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """(sentences × codes): ≈ 1 where a sentence looks like the code's training rows, ≈ 0
        where like other codes' or like nothing."""
        out = np.asarray(vectors @ self.weights + self.bias)
        column = self._columns
        rows: list[int] = []
        owners: list[int] = []

        def add(lemmas: Sequence[str], k: int) -> None:  # a lemma's word feature, once a run
            column[lemmas[k]] = self.word_index.get(content_stem(lemmas[k]), -1)

        for i, lemmas in enumerate(lemma_lists):
            found = rows_of(column, lemmas, add)
            if "не" in lemmas:
                found = [self.word_index.get(NEGATED + content_stem(x), -1)
                         if negated(lemmas, k) else f
                         for k, (x, f) in enumerate(zip(lemmas, found, strict=True))]  # fmt: skip
            ids = set(found)
            ids.discard(-1)
            rows += ids
            owners += [i] * len(ids)
        if rows:  # grouped by sentence, in order
            add_grouped(out, np.array(owners), self.word_weights[np.array(rows)], WORD_SCALE)
        return out


def train(p: Profiles) -> Classifier | None:
    """Fitted on the profiles' vectors as they are (after the common component is removed);
    None when there is nothing to learn from (no navec, empty codebook)."""
    n_codes = len(p.codes)
    vecs: list[np.ndarray] = []
    stems: list[frozenset[str]] = []
    targets: list[int] = []  # code index, or -1: belongs to no code
    weights: list[float] = []
    for n in range(n_codes):
        if np.linalg.norm(p.definition[n]) > 0:
            vecs.append(p.definition[n])
            stems.append(p.definition_stems[n] if n < len(p.definition_stems) else frozenset())
            targets.append(n)
            weights.append(DEFINITION_WEIGHT)
    for k, (vec, code, (kind, _)) in enumerate(zip(p.ex_vectors, p.ex_code, p.ex_text,
                                                   strict=True)):  # fmt: skip
        vecs.append(vec)
        stems.append(p.ex_stems[k] if k < len(p.ex_stems) else frozenset())
        targets.append(int(code))
        weights.append(CODED_WEIGHT if kind == "coded" else 1.0)
    for k, (vec, code) in enumerate(zip(p.bank_vectors, p.bank_code, strict=True)):
        vecs.append(vec)
        stems.append(p.bank_stems[k] if k < len(p.bank_stems) else frozenset())
        targets.append(int(code))
        weights.append(BANK_WEIGHT if code >= 0 else NONE_WEIGHT)
    if len(vecs) < 2 or n_codes == 0:
        return None
    used = Counter(s for row in stems for s in row)
    vocab = {s: j for j, s in enumerate(sorted(s for s, k in used.items() if k >= MIN_ROWS))}
    dim = len(vecs[0])
    y = np.zeros((len(vecs), n_codes))
    labelled = np.array(targets) >= 0
    y[np.arange(len(vecs))[labelled], np.array(targets)[labelled]] = 1.0
    dense, w = np.array(vecs, dtype=np.float64), np.array(weights)

    def system() -> tuple[np.ndarray, np.ndarray]:
        gram, rhs = _normal_equations(dense, stems, vocab, y, w)
        reg = np.full(gram.shape[0], RIDGE)
        reg[-1] = 1e-6  # the bias is not shrunk
        gram[np.diag_indices_from(gram)] += reg
        return gram, rhs

    gram, rhs = system()
    if not len(p.neg_code):
        solved = _solve(gram, rhs, lambda: system()[0])
    else:
        neg = _design(list(p.neg_vectors), p.neg_stems, vocab)

        def refused(gram: np.ndarray) -> np.ndarray:
            return np.add(gram, REJECTED_WEIGHT * neg.T @ neg, order="F")

        second = refused(gram)  # before `gram` is factorised in place
        solved = _solve(gram, rhs, lambda: system()[0])
        wanted = neg @ solved  # "as you were" for the codes a refusal says nothing about
        wanted[np.arange(len(neg)), p.neg_code] = 0.0
        solved = _solve(second, rhs + REJECTED_WEIGHT * neg.T @ wanted,
                        lambda: refused(system()[0]))  # fmt: skip
    return Classifier(solved[:dim].astype(np.float32), vocab,
                      solved[dim:-1].astype(np.float32), solved[-1].astype(np.float32))  # fmt: skip


def _design(
    vecs: Sequence[np.ndarray], stems: Sequence[frozenset[str]], vocab: dict[str, int]
) -> np.ndarray:
    """Rows: the sentence vector, its content words (length `WORD_SCALE` in all), 1."""
    dim = len(vecs[0])
    x = np.zeros((len(vecs), dim + len(vocab) + 1))
    x[:, :dim] = np.array(vecs, dtype=np.float64)
    for i, row in enumerate(stems):
        ids = [dim + vocab[s] for s in row if s in vocab]
        if ids:
            x[i, ids] = WORD_SCALE / np.sqrt(len(ids))
    x[:, -1] = 1.0
    return x


def _solve(gram: np.ndarray, rhs: np.ndarray, again: Callable[[], np.ndarray]) -> np.ndarray:
    """Cholesky, half the work of LU on a ridge system; LU only if rounding ever made the
    matrix look indefinite (the ridge on the diagonal forbids it in exact arithmetic), on the
    matrix built `again`. `gram` (column-major, as `_normal_equations` makes it) is factorised
    in place: LAPACK's copy of a row-major matrix, a transposing pass over 140 MB, cost half
    as much CPU as the factorisation itself, and gave the same factor."""
    try:
        factor = cho_factor(gram, check_finite=False, overwrite_a=gram.flags.f_contiguous)
    except LinAlgError:
        return np.linalg.solve(again(), rhs)
    return np.asarray(cho_solve(factor, rhs, check_finite=False))


def _normal_equations(
    dense: np.ndarray, stems: Sequence[frozenset[str]], vocab: dict[str, int], y: np.ndarray,
    w: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """XᵀWX and XᵀWY for the `_design` rows without building X: the word part is a sparse
    matrix (a dozen words in a row of thousands), so its blocks are sparse products."""
    n, dim = dense.shape
    size = dim + len(vocab) + 1
    per_row = [[vocab[s] for s in row if s in vocab] for row in stems]
    counts = np.array([len(ids) for ids in per_row], dtype=np.int64)
    c = np.fromiter(chain.from_iterable(per_row), dtype=np.int64, count=int(counts.sum()))
    v = np.repeat(WORD_SCALE / np.sqrt(np.maximum(counts, 1)), counts)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    words_t = sparse.csr_matrix((v, c, indptr), shape=(n, len(vocab))).T.tocsr()  # words × rows
    dw = dense * w[:, None]
    yw = y * w[:, None]
    gram = np.zeros((size, size), order="F")  # LAPACK's own layout: factorised in place
    rhs = np.empty((size, y.shape[1]))
    gram[:dim, :dim] = dense.T @ dw
    gram[:dim, -1] = gram[-1, :dim] = dw.sum(axis=0)
    gram[-1, -1] = w.sum()
    rhs[:dim] = dense.T @ yw
    rhs[-1] = yw.sum(axis=0)
    cross = np.asarray(words_t @ dw)  # words × vector dims
    gram[dim:-1, :dim] = cross
    gram[:dim, dim:-1] = cross.T
    gram[dim:-1, -1] = gram[-1, dim:-1] = words_t @ w
    pairs = (words_t @ sparse.diags(w) @ words_t.T).tocoo()  # a few percent of the block
    gram[dim + pairs.row, dim + pairs.col] = pairs.data
    rhs[dim:-1] = words_t @ yw
    return gram, rhs
