"""`rowsum.reduceat_rows` is numpy's `add.reduceat` over rows to the bit: the pooled sentence
vectors, the bank's passages and the classifier's word features are summed by it, and a
speed change must not move a single score."""

from __future__ import annotations

import numpy as np
import pytest

from qualtool.autocode.rowsum import reduceat_rows


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_same_floats_as_numpy_for_every_group_length(dtype: type) -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        lengths = rng.integers(1, 300, size=25)
        lengths[rng.integers(0, 25, size=8)] = rng.integers(1, 9, size=8)  # short ones too
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        scale = 10.0 ** rng.integers(-4, 4, size=(int(lengths.sum()), 1))
        rows = (rng.standard_normal((int(lengths.sum()), 9)) * scale).astype(dtype)
        rows[rng.random(rows.shape) < 0.2] = 0.0
        rows[rng.random(rows.shape) < 0.05] = -0.0
        expected = np.add.reduceat(rows, starts, axis=0)
        got = reduceat_rows(rows, starts)
        assert got.dtype == expected.dtype
        assert np.array_equal(got.view(np.uint8), expected.view(np.uint8))  # signs of zero too


def test_groups_of_one_row_and_empty_input() -> None:
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    assert np.array_equal(reduceat_rows(rows, np.arange(4)), rows)
    assert reduceat_rows(rows[:0], np.zeros(0, dtype=np.int64)).shape == (0, 3)
