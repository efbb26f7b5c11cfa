"""Fit the n-gram reader of the bank (qualtool/autocode/grams.py) and ship it:
    python scripts/fit_grams.py
Run it after editing the bank (and after scripts/bank_lemmas.py). Needs scikit-learn (the
`dev` extra); qualtool itself only reads the written file with numpy. Deterministic: the same
bank gives the same bytes. Trains on the bank's passages and the shipped codebook's examples;
from tests/data only what scripts/bank_from_splits.py moved into the bank (the read test
splits its `about` names, which bench/autocode.py marks as not held out).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from qualtool.autocode import grams as G
from qualtool.autocode.bank import shipped_bank
from qualtool.autocode.lexical import tokens
from qualtool.autocode.profiles import content_stems
from qualtool.files.codebook import load_codebook
from qualtool.files.study import SHIPPED_CODEBOOK
from qualtool.nlp import analyzer

OUT = Path(__file__).resolve().parent.parent / "qualtool" / "autocode" / "data" / G.MODEL_FILE
C = 10.0  # inverse L2 penalty; chosen with the dev split (3 and 30 gave the same within 0.01)
MIN_WORDS = (
    2  # an n-gram or stem is a feature when at least this many distinct words / passages use it
)


def training() -> tuple[list[list[str]], list[int], list[str]]:
    bank = shipped_bank()
    codes = sorted(bank.passages)
    index = {c: n for n, c in enumerate(codes)}
    ana = analyzer("ru")
    book = load_codebook(SHIPPED_CODEBOOK)

    def lemmas(text: str) -> list[str]:
        known = bank.lemmas.get(text)
        return list(known) if known else [t.lemma for t in tokens(ana, text) if t.is_word]

    rows: list[list[str]] = []
    labels: list[int] = []
    for cid in codes:
        for text in [ex.text for ex in book.get(cid).examples] + list(bank.passages[cid]):
            rows.append(lemmas(text))
            labels.append(index[cid])
    for text in bank.none:
        rows.append(lemmas(text))
        labels.append(len(codes))
    return rows, labels, codes


def design(rows: list[list[str]], grams: dict[str, int], idf: np.ndarray,
           stems: dict[str, int]) -> sp.csr_matrix:  # fmt: skip
    """`grams.passage_features` of every passage as one sparse matrix."""
    r: list[int] = []
    c: list[int] = []
    v: list[float] = []
    for i, lemmas in enumerate(rows):
        feats = G.passage_features(lemmas, grams, idf, stems)
        r += [i] * len(feats)
        c += list(feats)
        v += list(feats.values())
    return sp.csr_matrix((v, (r, c)), shape=(len(rows), len(grams) + len(stems)))


def main() -> None:
    rows, labels, codes = training()
    words = sorted({x for lemmas in rows for x in G.shaped_words(lemmas)})
    df = Counter(g for x in words for g in G.word_grams(x))
    gram_list = sorted(g for g, k in df.items() if k >= MIN_WORDS)
    grams = {g: n for n, g in enumerate(gram_list)}
    # scikit-learn's smooth IDF over the distinct words
    idf = np.array(
        [np.log((1 + len(words)) / (1 + df[g])) + 1 for g in gram_list], dtype=np.float32
    )
    used = Counter(s for lemmas in rows for s in content_stems(lemmas))
    stems = {s: n for n, s in enumerate(sorted(s for s, k in used.items() if k >= MIN_WORDS))}
    x = design(rows, grams, idf, stems)
    model = LogisticRegression(C=C, max_iter=500, tol=1e-5)
    model.fit(x, np.array(labels))
    w = model.coef_.T.astype(np.float32)  # (features, classes); classes 0..len(codes), in order
    fitted = G.GramModel(tuple(codes), grams, idf, w[: len(grams)], stems, w[len(grams) :],
                         model.intercept_.astype(np.float32))  # fmt: skip
    OUT.write_bytes(G.save(fitted))
    right = (model.predict(x) == np.array(labels)).mean()
    print(f"{OUT.name}: {len(rows)} passages, {len(codes)} codes + none, {len(grams)} n-grams, "
          f"{len(stems)} stems, {OUT.stat().st_size // 1024} KiB; training accuracy {right:.3f}",
          file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
