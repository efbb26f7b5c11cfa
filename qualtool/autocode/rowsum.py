"""`np.add.reduceat(rows, starts, axis=0)` to the bit, in a few whole-array steps.

numpy's reduceat over the rows of a matrix calls its inner loop once per group and column —
for a batch's sentences of six words and 300 dimensions, a hundred thousand calls of six
additions each: half the time of pooling a batch. The sums here are the very same floats in
the very same order, done a column block at a time: numpy adds a group's first row to the
pairwise sum of the rest (`pairwise`: under eight rows one after the other, then eight
running sums combined as a tree, the remaining rows after them; a group of more than 129 rows
is left to numpy itself). tests/autocode/test_rowsum.py holds it to numpy's own result.
"""

from __future__ import annotations

import numpy as np

UNROLL = 8  # numpy's pairwise sum: eight running sums
BLOCK = 128  # above this many rows numpy splits the sum in two


def reduceat_rows(rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """`np.add.reduceat(rows, starts, axis=0)` for ascending `starts` beginning at 0."""
    if rows.ndim != 2 or not len(starts):
        return np.asarray(np.add.reduceat(rows, starts, axis=0))
    ends = np.append(starts[1:], len(rows))
    rest = ends - starts - 1  # rows after the group's first
    out = rows[starts]
    if not rest.any():
        return out
    long = rest > BLOCK
    rest = np.where(long, 0, rest)
    first = starts + 1
    blocks = rest // UNROLL
    res = np.full_like(out, -0.0)  # numpy's start: -0.0 + x is x, whatever x
    blocked = np.nonzero(blocks)[0]
    if len(blocked):
        sums = [rows[first[blocked] + j] for j in range(UNROLL)]
        for b in range(1, int(blocks[blocked].max())):
            more = np.nonzero(blocks[blocked] > b)[0]
            at = first[blocked[more]] + UNROLL * b
            for j in range(UNROLL):
                sums[j][more] += rows[at + j]
        res[blocked] = ((sums[0] + sums[1]) + (sums[2] + sums[3])) + (
            (sums[4] + sums[5]) + (sums[6] + sums[7])
        )
    tail_at = first + UNROLL * blocks
    tail = rest % UNROLL
    for t in range(UNROLL - 1):
        more = np.nonzero(tail > t)[0]
        if not len(more):
            break
        res[more] += rows[tail_at[more] + t]
    out += res  # a group of one row: its row + -0.0, the row itself
    for k in np.nonzero(long)[0]:
        out[k] = np.add.reduceat(rows[starts[k] : ends[k]], [0], axis=0)[0]
    return out
