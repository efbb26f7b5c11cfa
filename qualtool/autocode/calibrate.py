"""One score per suggestion that reads as "the probability a coder accepts it".

A logistic model over the lexical and semantic evidence (see `FEATURES`), fitted once on the
train split (tests/data/autocode_train.yml) plus the seed quotes of tests/data/gold_quotes.yml,
scored both from the codebook alone and with half of the train recordings coded by the team
(`python -m bench.autocode --fit` writes them to calibration.json beside this module); the dev split of
tests/data/autocode_heldout.yml chose the parameters, its test split was never used. On top of
it, each code gets an offset learned from the team's decisions on its suggestions: a code
whose suggestions are mostly rejected sinks (acceptances teach through the code's profile
instead), and the offset is shrunk towards zero while decisions are few. Kazakh segments (no
Kazakh vectors) use the lexical-only model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FEATURES = (
    "lex",  # lexical score (keywords, label words, example overlap)
    "lex_top",  # 1 when this code has the sentence's best lexical score
    "definition_margin",  # cosine with the code's pooled label/definition/criteria/keywords,
    # minus the best other code's
    "exclusion_words",  # words of the code's exclusion criteria (0–2) in the sentence
    "exclusion",  # how much more the passage resembles the exclusion criteria than the code
    "soft",  # IDF-weighted word-by-word closeness to the code's own words
    "soft_margin",
    "question",  # the interviewer's preceding question's word-by-word closeness to the code
    "question_margin",
    "share",  # softmax share of this code among all codes by closeness of meaning
    "example",  # cosine with the code's closest exemplar (codebook example or team coding)
    "definition",  # cosine with the code's pooled definition
    "example_margin",
    "ex_share",  # softmax share of this code among the closest single exemplars
    "coded",  # cosine with the closest passage the team coded with it (0: none yet)
    "coded_margin",
    "praise_agree",  # praise words, for a positive code (polarity.py)
    "praise_clash",  # praise words, for a barrier
    "denial_agree",  # «никаких проблем не было», for a positive code
    "denial_clash",  # the same, for a barrier
    "question_words",  # a short answer after a question holding the code's words
    "question_denied",  # a short «нет» / denial after a question naming a barrier
    "brief",  # at most three words with a vector («Пожалуйста, обращайтесь.»)
    "brief_worded",  # the same, holding the code's own words («Ну взятку просили, да.»)
    "question_definition_margin",  # the question's closeness to the code's definition, margin
    "classifier",  # the ridge classifier's score for the code (classifier.py)
    "classifier_margin",
    "grams",  # the n-gram reader of the bank: the code's softmax share (grams.py)
)
LEXICAL_FEATURES = ("lex", "lex_top", "exclusion_words")
PRIOR_DECISIONS = (
    10.0  # decisions before a code's own offset counts half (4 hurt on a dev-only split)
)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass
class Model:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def raw_many(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The same for many pairs at once (feature name → array, e.g. sentences × codes)."""
        out = np.full(np.shape(next(iter(features.values()))), self.bias)
        for name, w in zip(self.names, self.weights, strict=True):
            if name in features:
                out = out + w * features[name]
        return out

    def raw(self, features: dict[str, float]) -> float:
        return self.bias + sum(
            w * features.get(n, 0.0) for n, w in zip(self.names, self.weights, strict=True)
        )


FITTED = Path(__file__).with_name("calibration.json")


def _model(spec: dict[str, Any]) -> Model:
    return Model(tuple(spec["names"]), tuple(spec["weights"]), float(spec["bias"]))


def load_fitted(path: Path = FITTED) -> tuple[Model, Model, float]:
    """(full, lexical, turn gap) as `python -m bench.autocode --fit` wrote them (module doc)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return _model(spec["full"]), _model(spec["lexical"]), float(spec.get("turn_gap", 0.0))


def write_fitted(
    full: Model, lexical: Model, note: str, turn_gap: float = 0.0, path: Path = FITTED
) -> None:
    """Deterministic JSON (fixed key order; the fit already rounds the weights), so a refit
    that changes nothing changes no byte."""
    spec = {
        "note": note,
        "full": {"names": list(full.names), "weights": list(full.weights), "bias": full.bias},
        "lexical": {
            "names": list(lexical.names), "weights": list(lexical.weights), "bias": lexical.bias,
        },
        "turn_gap": turn_gap,
    }  # fmt: skip
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# How much a code's log-odds fall per unit it trails the turn's best code. Scored alone, each
# code of a turn gets the probability of a turn that holds it; but coders give most turns one
# code, and on the written splits a turn's second suggestion was right 4 times in 10 where its
# first was right 8.5 times in 10 — at the same scores. Fitted on the train split with the rest.
FULL, LEXICAL, TURN_GAP = load_fitted()


def fit_turn_gap(
    logits: Sequence[float], gaps: Sequence[float], labels: Sequence[bool],
    prior: float = 0.0, centre: float = 0.0,
) -> float:  # fmt: skip
    """β ≥ 0 of P(right) = σ(logit − β·gap), by Newton steps: `gaps` are how far each
    candidate's log-odds trail the best candidate of its turn (0 for the best). `prior`
    pulls β towards `centre` as if that many decisions (in Newton's units) had said so."""
    x, g = np.asarray(logits, dtype=float), np.asarray(gaps, dtype=float)
    y = np.asarray(labels, dtype=float)
    beta = centre
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x - beta * g, -30, 30)))
        grad = float(((p - y) * -g).sum()) + prior * (beta - centre)
        hess = float((p * (1 - p) * g * g).sum()) + prior + 1e-9
        step = grad / hess
        beta = max(0.0, beta - step)
        if abs(step) < 1e-6:
            break
    return round(beta, 3)


PRIOR_TURN_GAP = PRIOR_DECISIONS  # the shipped turn gap counts as this much evidence


@dataclass
class Calibrator:
    full: Model = field(default_factory=lambda: FULL)
    lexical: Model = field(default_factory=lambda: LEXICAL)
    offsets: dict[str, float] = field(default_factory=dict)
    turn_gap: float = field(default_factory=lambda: TURN_GAP)

    def probability(self, code_id: str, features: dict[str, float], semantic: bool) -> float:
        model = self.full if semantic else self.lexical
        x = model.raw(features) + self.offsets.get(code_id, 0.0)
        return sigmoid(x)

    def learn(self, decisions: Iterable[tuple[str, float, bool]]) -> None:
        """`decisions`: (code, score shown, accepted?) for every decided suggestion. The offset
        is how far the code's acceptance rate fell below what its scores promised."""
        by_code: dict[str, list[tuple[float, bool]]] = {}
        for code_id, score, accepted in decisions:
            by_code.setdefault(code_id, []).append((score, accepted))
        for code_id, rows in by_code.items():
            n = len(rows)
            promised = sum(s for s, _ in rows) / n
            observed = (sum(a for _, a in rows) + PRIOR_DECISIONS * promised) / (
                n + PRIOR_DECISIONS
            )
            # only downwards: what the team accepted already lifts the code through its codings
            # (the `coded` features); raising the offset too counted it twice (dev: P 0.77
            # instead of 0.73 at the default threshold after learning)
            self.offsets[code_id] = min(0.0, logit(observed) - logit(promised))

    def learn_turn_gap(self, decided: Iterable[tuple[float, float, bool]]) -> None:
        """`decided`: (score, the best score of its turn, accepted?) for every decided
        suggestion. Teams differ in how often a turn gets two codes: one that codes one barrier
        per turn rejects the trailing codes, one that codes two accepts them. The study's own
        `turn_gap`, fitted on its decisions about trailing codes, replaces the shipped one,
        pulled towards it while they are few (`PRIOR_TURN_GAP`)."""
        shipped = self.turn_gap
        logits: list[float] = []
        gaps: list[float] = []
        labels: list[bool] = []
        for score, top, accepted in decided:
            # the stored scores already trail by (1 + shipped)·gap: the gap itself, undone
            gap = (logit(top) - logit(score)) / (1.0 + shipped)
            if gap > 1e-6:  # a turn's best code says nothing about trailing ones
                logits.append(logit(score) + shipped * gap)
                gaps.append(gap)
                labels.append(accepted)
        if logits:
            self.turn_gap = fit_turn_gap(logits, gaps, labels, PRIOR_TURN_GAP, shipped)

    def threshold(self, code_id: str, default: float) -> float:
        """The code's own accept threshold on the uncorrected score: where its corrected
        probability reaches the study default."""
        return sigmoid(logit(default) - self.offsets.get(code_id, 0.0))


# Evidence whose direction is known: a fit on a few hundred passages may flip the sign of a
# feature that is collinear with others («exclusion words raise the score»); such a weight is
# held at 0 instead, so that what the reasons say always pushes the score the way it says.
SIGNS = {
    "lex": 1, "brief_worded": 1, "coded": 1, "classifier": 1, "example": 1, "share": 1,
    "praise_agree": 1, "denial_agree": 1, "question_words": 1, "question_denied": 1, "definition_margin": 1, "coded_margin": 1, "classifier_margin": 1,
    "grams": 1,
    "exclusion_words": -1, "exclusion": -1, "praise_clash": -1, "denial_clash": -1,
}  # fmt: skip

# The codebook's exclusion criteria are the coders' own rule ("overdue by the regulation is
# TIME.BREACH"): each of their words in a sentence costs a fixed 1.0 of log-odds (the score
# falls by about a third to a half) rather than whatever a small fit makes of it.
FIXED = {"exclusion_words": -1.0}


def fit(
    rows: Sequence[dict[str, float]], labels: Sequence[bool], names: Sequence[str],
    l2: float = 0.05, steps: int = 50,
) -> Model:  # fmt: skip
    """Logistic regression with the `SIGNS` constraints: fitted, then refitted without the
    features whose weight came out the wrong way, until none does."""
    fixed = {n: w for n, w in FIXED.items() if n in names}
    offset = np.array([sum(w * r.get(n, 0.0) for n, w in fixed.items()) for r in rows])
    held: set[str] = set(fixed)
    while True:
        free = [n for n in names if n not in held]
        model = _fit(rows, labels, free, l2, steps, offset)
        wrong = {n for n, w in zip(free, model.weights, strict=True) if SIGNS.get(n, 0) * w < 0}
        if not wrong:
            weights = {**dict(zip(free, model.weights, strict=True)), **fixed}
            return Model(tuple(names), tuple(weights.get(n, 0.0) for n in names), model.bias)
        held |= wrong


def _fit(
    rows: Sequence[dict[str, float]], labels: Sequence[bool], names: Sequence[str],
    l2: float, steps: int, offset: np.ndarray,
) -> Model:  # fmt: skip
    """L2-regularised logistic regression by Newton steps (no scikit-learn needed); `offset`
    is each row's fixed part of the log-odds."""
    x = np.array([[1.0, *(r.get(n, 0.0) for n in names)] for r in rows])
    y = np.array(labels, dtype=float)
    w = np.zeros(x.shape[1])
    reg = np.eye(x.shape[1]) * l2
    reg[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w + offset, -30, 30)))
        grad = x.T @ (p - y) + reg @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + reg
        step = np.linalg.solve(hess + 1e-6 * np.eye(len(w)), grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return Model(tuple(names), tuple(round(float(v), 3) for v in w[1:]), round(float(w[0]), 3))
