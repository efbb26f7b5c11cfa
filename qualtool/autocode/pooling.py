"""Sentence pooling for the semantic scorer: each distinct word's weight, vector and affinity
to every code computed once per run and kept as growing tables, so a batch of sentences becomes
a few `reduceat` sums over word rows instead of a Python loop per sentence and code."""

from __future__ import annotations

import numpy as np

from qualtool.autocode.profiles import Profiles
from qualtool.autocode.semantic import DIM, Embedder


class Pool:
    def __init__(self, embedder: Embedder, profiles: Profiles) -> None:
        self.embedder = embedder
        self.profiles = profiles
        self.raw = np.zeros((0, DIM), dtype=np.float32)  # the last call's unnormalised sums
        self.total = np.zeros(0)  # and weights
        self._word_ids: dict[str, int] = {}
        self._word_w: list[float] = []
        self._word_vecs: list[np.ndarray] = []
        self._tables = (
            np.zeros((0, DIM), dtype=np.float32),
            np.zeros((0, len(profiles.codes)), dtype=np.float32),
            np.zeros(0),
        )

    def pooled(
        self, texts: list[tuple[list[str], list[str]] | None]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each (lemmas, forms): whether any word counts, the IDF-weighted mean vector
        (unit length), the word-by-word affinity to each code and how many words counted;
        None rows stay empty."""
        m = len(texts)
        known = self._word_ids
        for pair in texts:  # words not seen in this run yet get their rows first
            if pair is not None and any(x not in known for x in pair[0]):
                for x, f in zip(*pair, strict=True):
                    if x not in known:
                        self._word_id(x, f)
        # then every word of the batch in one pass: row ids and whose sentence they are
        lengths = [0 if pair is None else len(pair[0]) for pair in texts]
        every = [known[x] for pair in texts if pair is not None for x in pair[0]]
        all_ids = np.array(every, dtype=np.int64)
        all_owners = np.repeat(np.arange(m), lengths)
        keep = all_ids >= 0
        ids, owners = all_ids[keep], all_owners[keep]
        n_codes = len(self.profiles.codes)
        if not len(ids):
            self.raw, self.total = np.zeros((m, DIM), dtype=np.float32), np.zeros(m)
            return (
                np.zeros(m, dtype=bool),
                np.zeros((m, DIM), dtype=np.float32),
                np.zeros((m, n_codes)),
                np.zeros(m),
            )
        # sums per row over its words (rows are in order): O(words × dims)
        col_ids = ids
        present, starts = np.unique(owners, return_index=True)
        words, aff, weights = self._tables_now()
        w = weights[col_ids]
        has = np.zeros(m, dtype=bool)
        has[present] = True
        total = np.zeros(m)
        total[present] = np.add.reduceat(w, starts)
        raw: np.ndarray = np.zeros((m, words.shape[1]), dtype=np.float32)
        raw[present] = np.add.reduceat(words[col_ids] * w[:, None], starts)
        norms = np.linalg.norm(raw, axis=1)
        v = raw / np.where(norms > 0, norms, 1.0)[:, None]
        soft = np.zeros((m, aff.shape[1]))
        soft[present] = np.add.reduceat(aff[col_ids] * w[:, None], starts) / total[present, None]
        count = np.bincount(owners, minlength=m).astype(float)
        self.raw, self.total = raw, total
        return has, v, soft, count

    def joined(
        self, pooled: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        parts: list[list[int]],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
        """The same for units made of rows of the last `pooled` call (a window of adjacent
        sentences): sums of their parts, without going over the words again."""
        has, _, soft, count = pooled
        k = len(parts)
        if not k:
            return has[:0], pooled[1][:0], soft[:0], count[:0]
        idx = np.array(parts)  # (units, parts)
        total = self.total[idx].sum(axis=1)
        raw = self.raw[idx].sum(axis=1)
        norms = np.linalg.norm(raw, axis=1)
        v = raw / np.where(norms > 0, norms, 1.0)[:, None]
        mixed = (soft[idx] * self.total[idx][:, :, None]).sum(axis=1)
        return (has[idx].any(axis=1), v.astype(np.float32),
                mixed / np.where(total > 0, total, 1.0)[:, None], count[idx].sum(axis=1))  # fmt: skip

    def _tables_now(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The word tables as arrays, extended only by the rows added since the last batch."""
        n = len(self._word_w)
        if self._tables[0].shape[0] != n:
            done = self._tables[0].shape[0]
            new = np.array(self._word_vecs[done:], dtype=np.float32)
            unit = new / np.maximum(np.linalg.norm(new, axis=1), 1e-6)[:, None]
            self._tables = (
                np.vstack([self._tables[0], new]),
                np.vstack([self._tables[1], self.profiles.affinities(unit)]),
                np.array(self._word_w, dtype=np.float32),
            )
        return self._tables

    def _word_id(self, lemma: str, form: str) -> int:
        """A word's row in this run's word tables (weight, vector, affinity to each code), or
        -1 when it does not count (stop word, no vector); computed once per distinct lemma."""
        found = self.embedder.entry(lemma, form)
        if found is None:
            self._word_ids[lemma] = -1
            return -1
        weight, vec = found
        self._word_ids[lemma] = len(self._word_w)
        self._word_w.append(weight)
        self._word_vecs.append(vec)
        return self._word_ids[lemma]
