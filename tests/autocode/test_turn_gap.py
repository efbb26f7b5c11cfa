"""A turn's trailing codes: their score falls with how far they trail the turn's best code
(calibrate.TURN_GAP), and the reason says so; the fit recovers the factor from labels."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from qualtool.autocode import calibrate
from qualtool.autocode.calibrate import Calibrator, fit_turn_gap
from qualtool.autocode.scoring import Scorer
from qualtool.domain import reason as why
from qualtool.files.codebook import load_codebook

REPO = Path(__file__).resolve().parents[2]
# a turn that names two barriers, one far more plainly than the other
TURN = ("Очередь была огромная, часа три стояли в зале ожидания. "
        "Ну и пошлину там заплатил, немного.")  # fmt: skip


def _scores(scorer: Scorer) -> dict[str, tuple[float, dict[str, float], str]]:
    return {c.code_id: (c.probability, c.features, c.reason_data())
            for c in scorer.best(TURN, floor=0.0)}  # fmt: skip


def test_a_code_trailing_the_turns_best_loses_what_it_trails_by() -> None:
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    plain = _scores(Scorer(codebook, calibrator=Calibrator(turn_gap=0.0)))
    gap = Scorer(codebook, calibrator=Calibrator(turn_gap=0.5))
    scored = _scores(gap)
    best = max(plain, key=lambda c: plain[c][0])
    assert scored[best][0] == plain[best][0]  # the turn's best code keeps its score
    assert scored[best][1]["second_choice"] == 0.0
    odds = {c: calibrate.logit(p) for c, (p, _, _) in plain.items()}
    for code, (p, features, stored) in scored.items():
        if code == best or code not in plain:
            continue
        expected = calibrate.sigmoid(odds[code] - 0.5 * (odds[best] - odds[code]))
        assert math.isclose(p, expected, rel_tol=1e-6, abs_tol=1e-9)
        said = why.SECOND in stored
        assert said == (features["second_choice"] >= 0.5)
    assert any(why.SECOND in stored for code, (_, _, stored) in scored.items() if code != best)


def test_the_floor_applies_after_the_loss() -> None:
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    scorer = Scorer(codebook, calibrator=Calibrator(turn_gap=2.0))
    kept = scorer.best(TURN, floor=0.2)
    assert kept and all(c.probability >= 0.2 for c in kept)


def test_the_fit_recovers_the_factor() -> None:
    rng = np.random.default_rng(7)
    logits, gaps = rng.normal(0, 2, 4000), rng.exponential(2, 4000)
    right = rng.random(4000) < 1 / (1 + np.exp(-(logits - 0.7 * gaps)))
    assert abs(fit_turn_gap(logits.tolist(), gaps.tolist(), right.tolist()) - 0.7) < 0.1
    # trailing codes as good as the best: no loss, never a gain
    fair = rng.random(4000) < 1 / (1 + np.exp(-logits))
    assert fit_turn_gap(logits.tolist(), gaps.tolist(), fair.tolist()) < 0.1


def test_a_run_uses_the_fitted_factor() -> None:
    """calibration.json carries it; a fit that found none would write 0 and change nothing."""
    assert calibrate.load_fitted()[2] == calibrate.TURN_GAP > 0
    assert Calibrator().turn_gap == calibrate.TURN_GAP
