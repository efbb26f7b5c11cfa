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
        ids: list[int] = []
        owners: list[int] = []
        known = self._word_ids
        for i, pair in enumerate(texts):
            if pair is None:
                continue
            lemmas, forms = pair
            found = [known.get(x, -2) for x in lemmas]
            if -2 in found:
                found = [self._word_id(x, f) if k == -2 else k
                         for x, f, k in zip(lemmas, forms, found, strict=True)]  # fmt: skip
            found = [k for k in found if k >= 0]
            ids += found
            owners += [i] * len(found)
        n_codes = len(self.profiles.codes)
        if not ids:
            return (
                np.zeros(m, dtype=bool),
                np.zeros((m, DIM), dtype=np.float32),
                np.zeros((m, n_codes)),
                np.zeros(m),
            )
        # sums per row over its words (rows are in order): O(words × dims)
        col_ids = np.array(ids)
        present, starts = np.unique(np.array(owners), return_index=True)
        words, aff, weights = self._tables_now()
        w = weights[col_ids]
        has = np.zeros(m, dtype=bool)
        has[present] = True
        total = np.zeros(m)
        total[present] = np.add.reduceat(w, starts)
        v: np.ndarray = np.zeros((m, words.shape[1]), dtype=np.float32)
        v[present] = np.add.reduceat(words[col_ids] * w[:, None], starts)
        norms = np.linalg.norm(v, axis=1)
        v = v / np.where(norms > 0, norms, 1.0)[:, None]
        soft = np.zeros((m, aff.shape[1]))
        soft[present] = np.add.reduceat(aff[col_ids] * w[:, None], starts) / total[present, None]
        count = np.bincount(np.array(owners), minlength=m).astype(float)
        return has, v, soft, count

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
