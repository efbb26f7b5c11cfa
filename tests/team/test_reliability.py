"""Agreement statistics against published worked examples."""

from __future__ import annotations

import pytest

from qualtool.team.reliability import cohen_kappa, krippendorff_alpha, percent_agreement

N = None


def test_cohen_kappa_wikipedia_example() -> None:
    """Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, two readers;
    both yes 20, A yes/B no 5, A no/B yes 10, both no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4."""
    units = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert percent_agreement(units) == pytest.approx(0.7)
    assert cohen_kappa(units) == pytest.approx(0.4)


def test_krippendorff_binary_two_coders() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A:
    binary data, two observers, ten units, no missing data → α = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha(list(zip(a, b, strict=True))) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_nominal_four_coders_missing_values() -> None:
    """Krippendorff (2011), section C: nominal data, four observers, twelve units, missing
    values (unit 12 has a single value and is not pairable) → α = 0.743."""
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3]
    c = [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]
    assert krippendorff_alpha(list(zip(a, b, c, d, strict=True))) == pytest.approx(0.743, abs=5e-4)


def test_degenerate_cases() -> None:
    assert krippendorff_alpha([(1, 1), (1, 1)]) is None  # no variation: α undefined
    assert cohen_kappa([(1, 1), (1, 1)]) is None
    assert percent_agreement([(1, N), (N, 2)]) is None  # nothing pairable
    assert krippendorff_alpha([(1, 1), (0, 0)]) == pytest.approx(1.0)
    assert cohen_kappa([(1, 0), (0, 1)]) == pytest.approx(-1.0)
