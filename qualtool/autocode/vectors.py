"""Matrix helpers of the semantic scorer: margins between codes, the common component of
averaged word vectors, grouping exemplar rows by code for `reduceat`, adding rows grouped by
passage (the classifier's and the n-gram reader's word features), and word → row lookups in
the per-run word tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from qualtool.autocode.profiles import Profiles
from qualtool.autocode.rowsum import reduceat_rows


def margins(values: np.ndarray) -> np.ndarray:
    """Each code's value minus the best other code's, row by row."""
    if values.shape[1] < 2:
        return np.zeros_like(values)
    top2 = np.partition(values, -2, axis=1)[:, -2:]
    first, second = top2[:, 1:2], top2[:, 0:1]
    return np.where(values >= first, values - second, values - first)


def common_component(p: Profiles) -> np.ndarray | None:
    """The direction every averaged sentence shares (Arora et al.'s SIF "common component"):
    the first singular vector of the codes' definition and exemplar vectors. Taking it out of
    every vector leaves what tells one code's passages from another's."""
    rows = np.vstack([p.definition, p.ex_vectors])
    rows = rows[np.linalg.norm(rows, axis=1) > 0].astype(np.float64)
    if len(rows) < 3:
        return None
    u = rows.mean(axis=0)  # power iteration: a full SVD costs more than the rest of a run
    for _ in range(50):
        u = rows.T @ (rows @ u)
        u /= max(float(np.linalg.norm(u)), 1e-12)
    return u.astype(np.float32)


def remove(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Rows without their component along `u`, unit length again (zero rows stay zero)."""
    if not len(m):
        return m
    nz = np.linalg.norm(m, axis=1) > 0
    out = m - np.outer(m @ u, u)
    norms = np.linalg.norm(out, axis=1)
    out = out / np.where(norms > 0, norms, 1.0)[:, None]
    out[~nz] = 0.0
    return out.astype(np.float32)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def groups(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column order grouping rows by code, each group's start, and the code of each group:
    what `np.maximum.reduceat` needs for "best exemplar per code"."""
    if not codes.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.concatenate([[0], np.nonzero(np.diff(ordered))[0] + 1])
    return order, starts, ordered[starts]


def add_grouped(out: np.ndarray, owner: np.ndarray, rows: np.ndarray, scale: float) -> None:
    """out[i] += scale · Σ of passage i's rows / √(their count), in place; `owner` (each row's
    passage) ascending. The rows come grouped by passage, in order, so one `np.add.reduceat`
    sums them instead of `np.add.at` row by row — the classifier and the n-gram reader both
    add every word of the study this way."""
    if not len(owner):
        return
    present, starts, counts = np.unique(owner, return_index=True, return_counts=True)
    sums = reduceat_rows(rows, starts)
    out[present] += sums * (scale / np.sqrt(counts))[:, None]


def rows_of(
    table: dict[str, int], words: Sequence[str], fill: Callable[[Sequence[str], int], object]
) -> list[int]:
    """Each word's row in a per-run `table`; `fill(words, k)` first adds the k-th word when
    the run has not seen it yet. The lookup is mapped in C: it runs over every word of the study."""
    try:
        return list(map(table.__getitem__, words))
    except KeyError:
        for k, x in enumerate(words):
            if x not in table:
                fill(words, k)
        return list(map(table.__getitem__, words))
