"""The classifier's ridge system is factorised in place (no copy of a 140 MB matrix): the
solution is the one a copying factorisation gives, to the bit, and the LU fallback still
solves the system as built, not the half-overwritten matrix a failed factorisation leaves."""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, cho_solve  # type: ignore[import-untyped]

from qualtool.autocode.classifier import _normal_equations, _solve


def _system() -> tuple[np.ndarray, list[frozenset[str]], dict[str, int], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    dense = rng.standard_normal((60, 8))
    words = ["окно", "очередь", "справка", "взятка", "портал"]
    stems = [frozenset(rng.choice(words, size=2, replace=False)) for _ in range(60)]
    vocab = {w: n for n, w in enumerate(sorted(words))}
    y = np.zeros((60, 3))
    y[np.arange(60), rng.integers(0, 3, 60)] = 1.0
    return dense, stems, vocab, y, rng.uniform(0.5, 1.5, 60)


def test_the_normal_equations_come_in_lapack_layout_and_solve_as_a_copy_would() -> None:
    gram, rhs = _normal_equations(*_system())
    gram[np.diag_indices_from(gram)] += 0.3
    assert gram.flags.f_contiguous  # factorised where it lies
    expected = cho_solve(cho_factor(np.ascontiguousarray(gram)), rhs)
    kept = gram.copy(order="F")
    solved = _solve(gram, rhs, lambda: kept)
    assert np.array_equal(solved, expected)


def test_an_indefinite_system_is_solved_as_built_again() -> None:
    rng = np.random.default_rng(5)
    a = rng.standard_normal((6, 6))
    indefinite = np.asfortranarray(a + a.T - 4.0 * np.eye(6))
    rhs = rng.standard_normal((6, 2))
    built = indefinite.copy(order="F")
    solved = _solve(indefinite, rhs, lambda: built.copy(order="F"))
    assert np.allclose(built @ solved, rhs)
