"""Sentence vectors from navec word embeddings (Russian, 300 d, shipped inside natasha).

A sentence is the IDF-weighted mean of its words' vectors, looked up by lemma first and by the
written form second (navec's vocabulary holds news word forms; most lemmas are among them).
Rare, specific words (портал, нотариус) dominate; stop words count for nothing. The model is
loaded once per process; each distinct word is decoded from navec's product quantisation once
and kept as a dense row.
"""

from __future__ import annotations

import importlib.resources
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np

from qualtool.autocode.glosses import GLOSSES
from qualtool.autocode.lexical import stop_words
from qualtool.autocode.rowsum import reduceat_rows

NAVEC_FILE = "navec_news_v1_1B_250K_300d_100q.tar"
DIM = 300
SENTENCE_CHUNK = 128  # passages summed at a time by `Embedder.sentences` (~2 MB: in cache)


@lru_cache(maxsize=1)
def navec_model() -> Any | None:
    """navec, loaded once per process (0.4 s, 26 MB); None when natasha's data is missing, and
    auto-coding then stays lexical. Its pieces are navec's own (the format stays its
    business); only the precomputation for similarity queries is left out."""
    try:
        # heavy optional model: imported only when vectors are needed
        from navec.navec import META, PQ_, VOCAB, Meta, Navec, Tar, Vocab
        from navec.pq import PQ

        class RowsOnly(PQ):
            """navec's quantised table without what its `sim` needs (every word's norm and
            each quantiser's centroid products: a quarter of the load): we only decode rows."""

            def precompute(self) -> None:
                self.qdims = np.arange(self.qdim)

        path = importlib.resources.files("natasha") / "data" / "emb" / NAVEC_FILE
        with importlib.resources.as_file(path) as real, Tar(str(real)) as tar:
            meta = Meta.from_file(tar.load(META))
            Meta.check_protocol(meta.protocol)
            return Navec(meta, Vocab.from_file(tar.load(VOCAB)), RowsOnly.from_file(tar.load(PQ_)))
    except (ImportError, FileNotFoundError, OSError):
        return None


class Embedder:
    """Sentence vectors for one run: an IDF table and a cache of decoded word vectors."""

    def __init__(self, idf: dict[str, float] | None = None, load: bool = True) -> None:
        self.model = navec_model() if load else None
        self.idf = idf or {}
        self.default_idf = max(self.idf.values(), default=1.0)
        self.stop = stop_words()
        self._cache: dict[str, np.ndarray | None] = {}
        self._entries: dict[str, tuple[float, np.ndarray] | None] = {}
        self._row: dict[str, int] = {}  # lemma → row of the `sentences` table, -1: none
        self._row_entries: list[tuple[float, np.ndarray]] = []
        self._table_vecs = np.zeros((0, DIM), dtype=np.float32)
        self._table_w = np.zeros(0, dtype=np.float32)

    @property
    def available(self) -> bool:
        return self.model is not None

    def word(self, lemma: str, form: str = "") -> np.ndarray | None:
        key = lemma
        vec = self._cache.get(key, False)
        if vec is not False:
            return vec  # type: ignore[return-value]
        found = None
        if self.model is not None:
            for w in (lemma, form.lower()):
                if w and w in self.model:
                    found = np.asarray(self.model[w], dtype=np.float32)
                    break
            else:
                found = self._glossed(GLOSSES.get(lemma) or GLOSSES.get(form.lower()))
        self._cache[key] = found
        return found

    def _glossed(self, gloss: str | None) -> np.ndarray | None:
        """The mean vector of a gloss's words (glosses.py), for a term navec lacks."""
        if not gloss or self.model is None:
            return None
        vecs = [
            np.asarray(self.model[w], dtype=np.float32) for w in gloss.split() if w in self.model
        ]
        return np.mean(vecs, axis=0) if vecs else None

    def weight(self, lemma: str) -> float:
        if lemma in self.stop or len(lemma) < 3 or not lemma.isalpha():
            return 0.0
        return self.idf.get(lemma, self.default_idf)

    def entry(self, lemma: str, form: str = "") -> tuple[float, np.ndarray] | None:
        """(IDF weight, vector) of a word that counts, else None; one dictionary probe once
        the word has been seen."""
        found = self._entries.get(lemma, False)
        if found is not False:
            return found  # type: ignore[return-value]
        w = self.weight(lemma)
        vec = self.word(lemma, form) if w > 0 else None
        result = (w, vec) if vec is not None else None
        self._entries[lemma] = result
        return result

    def weighted(
        self, lemmas: Sequence[str], forms: Sequence[str] = ()
    ) -> list[tuple[str, float, np.ndarray]]:
        """(lemma, IDF weight, vector) of the words that count."""
        out = []
        for n, lemma in enumerate(lemmas):
            w = self.weight(lemma)
            if w > 0:
                vec = self.word(lemma, forms[n] if n < len(forms) else "")
                if vec is not None:
                    out.append((lemma, w, vec))
        return out

    def sentence(self, lemmas: Sequence[str], forms: Sequence[str] = ()) -> np.ndarray | None:
        """Unit-length IDF-weighted mean, or None when no word has a vector."""
        acc = np.zeros(DIM, dtype=np.float32)
        total = 0.0
        for n, lemma in enumerate(lemmas):
            w = self.weight(lemma)
            if w <= 0:
                continue
            vec = self.word(lemma, forms[n] if n < len(forms) else "")
            if vec is None:
                continue
            acc += w * vec
            total += w
        if total == 0:
            return None
        norm = float(np.linalg.norm(acc))
        return acc / norm if norm > 0 else None

    def sentences(
        self, texts: Sequence[tuple[Sequence[str], Sequence[str]]]
    ) -> list[np.ndarray | None]:
        """`sentence` of many (lemmas, forms) at once: the shipped bank's ten thousand passages
        are embedded on every run, so each word is looked up by a dictionary map in C (its row
        in a table of the words seen, `entry` once per lemma) and each chunk of passages is
        one gathered sum — the same products summed in the same order as a Python sum."""
        out: list[np.ndarray | None] = [None] * len(texts)
        ids = [self._rows_of(lemmas, forms) for lemmas, forms in texts]
        vectors, weights = self._table()
        for start in range(0, len(texts), SENTENCE_CHUNK):
            chunk = ids[start : start + SENTENCE_CHUNK]
            lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
            rows = np.fromiter(chain.from_iterable(chunk), dtype=np.int64, count=int(lengths.sum()))
            owners = np.repeat(np.arange(len(chunk)), lengths)
            counted = rows >= 0
            rows, owners = rows[counted], owners[counted]
            if not len(rows):
                continue
            present, starts = np.unique(owners, return_index=True)
            weighted = vectors[rows]
            weighted *= weights[rows][:, None]
            sums = reduceat_rows(weighted, starts)
            norms = np.linalg.norm(sums, axis=1)
            for i, row, norm in zip(present.tolist(), sums, norms.tolist(), strict=True):
                if norm > 0:
                    out[start + i] = row / norm
        return out

    def _rows_of(self, lemmas: Sequence[str], forms: Sequence[str]) -> list[int]:
        """Each word's row in `_table` (-1: it does not count); a lemma met for the first time
        is looked up with the form it has there, as `sentence` does."""
        known = self._row
        try:
            return list(map(known.__getitem__, lemmas))
        except KeyError:
            for n, lemma in enumerate(lemmas):
                if lemma not in known:
                    found = self.entry(lemma, forms[n] if n < len(forms) else "")
                    known[lemma] = -1 if found is None else len(self._row_entries)
                    if found is not None:
                        self._row_entries.append(found)
            return list(map(known.__getitem__, lemmas))

    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """The vectors and weights (float32, as `sentence` sums them) of the rows so far."""
        if len(self._table_w) != len(self._row_entries):
            self._table_vecs = np.array([v for _, v in self._row_entries], dtype=np.float32)
            self._table_w = np.array([w for w, _ in self._row_entries], dtype=np.float32)
        return self._table_vecs.reshape(-1, DIM), self._table_w

    def text(self, lemma_lists: Iterable[Sequence[str]]) -> np.ndarray | None:
        """One vector for several texts (a code's definition and criteria) pooled together."""
        pooled: list[str] = []
        for lemmas in lemma_lists:
            pooled.extend(lemmas)
        return self.sentence(pooled)


def idf_table(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Smoothed IDF over lemma documents (the study's segments plus the codebook's texts)."""
    docs = [doc if isinstance(doc, set) else set(doc) for doc in documents]
    df = Counter(chain.from_iterable(docs))  # counted in C: a million-word study in 0.2 s
    n = len(docs)
    return {lemma: math.log((n + 1) / (k + 0.5)) for lemma, k in df.items()}
