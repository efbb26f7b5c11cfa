"""A linear classifier over sentence vectors, retrained from the code profiles every run.

Nearest-example similarity asks "which single passage is this most like"; with a handful of
examples per code it is at the mercy of one lucky or unlucky word. A ridge classifier fitted on
all of the codes' texts at once (definitions, codebook examples, the team's codings; rejected
suggestions as rows that belong to no code) learns which directions of the vector space tell
the codes apart and which every code shares — the standard one-vs-rest least-squares
classifier, solved in closed form (a 301 × 301 system: milliseconds), so every decision the
team makes changes the next run's classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qualtool.autocode.profiles import Profiles

RIDGE = 1.0  # L2 penalty; unit-length rows, so this is "about one example's worth" of prior
DEFINITION_WEIGHT = 1.0  # a code's pooled definition counts as one example
CODED_WEIGHT = 1.5  # a passage the team coded counts more than a codebook example
REJECTED_WEIGHT = 1.0
BANK_WEIGHT = 1.0  # a passage of the shipped bank (bank.py)
NONE_WEIGHT = 1.0  # a bank passage that carries no barrier: a row of zeros


@dataclass(frozen=True)
class Classifier:
    weights: np.ndarray  # (DIM, codes)
    bias: np.ndarray  # (codes,)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(sentences × codes): ≈ 1 where a sentence looks like the code's training rows, ≈ 0
        where like other codes' or like nothing; zero vectors score the bias only."""
        return np.asarray(vectors @ self.weights + self.bias)


def train(p: Profiles) -> Classifier | None:
    """Fitted on the profiles' vectors as they are (after the common component is removed);
    None when there is nothing to learn from (no navec, empty codebook). A rejected
    suggestion is a row only in its own code's regression (target 0): refusing «таймер
    очереди» for STAFF.SHORTAGE says nothing about whether it is ACC.QUEUE."""
    n_codes = len(p.codes)
    rows: list[np.ndarray] = []
    targets: list[int] = []
    weights: list[float] = []
    for n in range(n_codes):
        if np.linalg.norm(p.definition[n]) > 0:
            rows.append(p.definition[n])
            targets.append(n)
            weights.append(DEFINITION_WEIGHT)
    for vec, code, (kind, _) in zip(p.ex_vectors, p.ex_code, p.ex_text, strict=True):
        rows.append(vec)
        targets.append(int(code))
        weights.append(CODED_WEIGHT if kind == "coded" else 1.0)
    for vec, code in zip(p.bank_vectors, p.bank_code, strict=True):
        rows.append(vec)
        targets.append(int(code))
        weights.append(BANK_WEIGHT if code >= 0 else NONE_WEIGHT)
    if len(rows) < 2 or n_codes == 0:
        return None
    x = _with_bias(np.array(rows, dtype=np.float64))
    y = np.zeros((len(rows), n_codes))
    labelled = np.array(targets) >= 0
    y[np.arange(len(rows))[labelled], np.array(targets)[labelled]] = 1.0
    w = np.array(weights)[:, None]
    gram = x.T @ (x * w) + _penalty(x.shape[1])
    rhs = x.T @ (y * w)
    solved = np.linalg.solve(gram, rhs)
    if len(p.neg_code):
        neg = _with_bias(p.neg_vectors.astype(np.float64))
        for code in np.unique(p.neg_code):
            mine = neg[p.neg_code == code]
            own = gram + REJECTED_WEIGHT * mine.T @ mine
            solved[:, code] = np.linalg.solve(own, rhs[:, code])
    return Classifier(solved[:-1].astype(np.float32), solved[-1].astype(np.float32))


def _with_bias(m: np.ndarray) -> np.ndarray:
    return np.hstack([m, np.ones((len(m), 1))])


def _penalty(size: int) -> np.ndarray:
    reg = RIDGE * np.eye(size)
    reg[-1, -1] = 1e-6  # the bias is not shrunk
    return reg
