"""Sentence pooling for the semantic scorer: each distinct word's weight, vector and affinity
to every code computed once per run and kept as growing tables, so a batch of sentences becomes
a few `reduceat` sums over word rows instead of a Python loop per sentence and code."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

import numpy as np

from qualtool.autocode.profiles import Profiles
from qualtool.autocode.rowsum import reduceat_rows
from qualtool.autocode.semantic import DIM, Embedder
from qualtool.autocode.vectors import rows_of


class Pooled(NamedTuple):
    """Per unit (row): whether any word counts, the IDF-weighted mean vector (unit length),
    the word-by-word affinity to each code, how many words counted, and the unnormalised sum
    and total weight that windows of adjacent units are joined from."""

    has: np.ndarray
    v: np.ndarray
    soft: np.ndarray
    counted: np.ndarray
    raw: np.ndarray
    total: np.ndarray


class Pool:
    def __init__(self, embedder: Embedder, profiles: Profiles) -> None:
        self.embedder = embedder
        self.profiles = profiles
        self._word_ids: dict[str, int] = {}
        self._word_w: list[float] = []
        self._word_vecs: list[np.ndarray] = []
        self._tables = (
            np.zeros((0, DIM), dtype=np.float32),
            np.zeros((0, len(profiles.codes)), dtype=np.float32),
            np.zeros(0, dtype=np.float32),
        )
        self._filled = 0  # rows of the tables in use

    def pooled(self, texts: list[tuple[list[str], list[str]] | None]) -> Pooled:
        """Each (lemmas, forms) pooled over its words; None rows stay empty."""
        m = len(texts)
        known = self._word_ids
        every: list[int] = []
        lengths = []
        for pair in texts:
            if pair is None:
                lengths.append(0)
                continue
            lemmas, forms = pair
            every += rows_of(known, lemmas, partial(self._new_word, forms))
            lengths.append(len(lemmas))
        all_ids = np.array(every, dtype=np.int64)
        all_owners = np.repeat(np.arange(m), lengths)
        keep = all_ids >= 0
        ids, owners = all_ids[keep], all_owners[keep]
        if not len(ids):
            empty = np.zeros((m, DIM), dtype=np.float32)
            return Pooled(np.zeros(m, dtype=bool), empty, np.zeros((m, len(self.profiles.codes))),
                          np.zeros(m), empty, np.zeros(m))  # fmt: skip
        # sums per row over its words (rows are in order): O(words × dims)
        present, starts = np.unique(owners, return_index=True)
        words, aff, weights = self._tables_now()
        has = np.zeros(m, dtype=bool)
        has[present] = True
        total = np.zeros(m)
        total[present] = np.add.reduceat(weights[ids], starts)
        raw: np.ndarray = np.zeros((m, words.shape[1]), dtype=np.float32)
        raw[present] = reduceat_rows(words[ids], starts)
        soft = np.zeros((m, aff.shape[1]))
        soft[present] = reduceat_rows(aff[ids], starts) / total[present, None]
        count = np.bincount(owners, minlength=m).astype(float)
        return Pooled(has, _unit(raw), soft, count, raw, total)

    @staticmethod
    def joined(base: Pooled, parts: list[list[int]]) -> Pooled:
        """Units made of rows of `base` (a window of adjacent sentences): sums of their
        parts, without going over the words again."""
        if not parts:
            return Pooled(*(a[:0] for a in base))
        idx = np.array(parts)  # (units, parts)
        total = base.total[idx].sum(axis=1)
        raw = base.raw[idx].sum(axis=1)
        mixed = (base.soft[idx] * base.total[idx][:, :, None]).sum(axis=1)
        return Pooled(base.has[idx].any(axis=1), _unit(raw).astype(np.float32),
                      mixed / np.where(total > 0, total, 1.0)[:, None],
                      base.counted[idx].sum(axis=1), raw, total)  # fmt: skip

    def _tables_now(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The word tables as arrays — vectors and code affinities already multiplied by the
        word's weight, so pooling is a bare sum — extended only by the rows added since the
        last batch (into spare capacity: no copy of the whole table per batch)."""
        n = len(self._word_w)
        done = self._filled
        if done != n:
            new = np.array(self._word_vecs[done:], dtype=np.float32)
            unit = new / np.maximum(np.linalg.norm(new, axis=1), 1e-6)[:, None]
            w = np.array(self._word_w[done:], dtype=np.float32)
            if n > len(self._tables[2]):
                size = max(n, 2 * len(self._tables[2]), 1024)
                self._tables = tuple(  # type: ignore[assignment]
                    np.concatenate([t[:done], np.zeros((size - done, *t.shape[1:]), t.dtype)])
                    for t in self._tables
                )
            words, aff, weights = self._tables
            words[done:n] = new * w[:, None]
            aff[done:n] = self.profiles.affinities(unit) * w[:, None]
            weights[done:n] = w
            self._filled = n
        return self._tables

    def _new_word(self, forms: list[str], lemmas: Sequence[str], k: int) -> None:
        """Give the k-th word a row in this run's word tables (weight, vector, affinity to
        each code), or -1 when it does not count (stop word, no vector); once per lemma."""
        lemma = lemmas[k]
        found = self.embedder.entry(lemma, forms[k])
        if found is None:
            self._word_ids[lemma] = -1
            return
        weight, vec = found
        self._word_ids[lemma] = len(self._word_w)
        self._word_w.append(weight)
        self._word_vecs.append(vec)


def _unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(rows, axis=1)
    return np.asarray(rows / np.where(norms > 0, norms, 1.0)[:, None])
