"""Each code's semantic profile: what passages of this code look like, as vectors.

A profile pools the code's label, definition, inclusion criteria and keywords into one
"definition" vector, keeps each codebook example and — above all — each passage the team coded
with it (manual codings and accepted suggestions) as an exemplar, each rejected suggestion as a
counter-example, and the exclusion criteria (minus the other codes' ids) as a vector that pulls
the score down. Profiles are rebuilt at the start of every run, so every decision counts in the
next one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from qualtool.autocode.bank import Bank
from qualtool.autocode.lexical import STEM, stop_words, tokens
from qualtool.autocode.lexical import words as word_forms
from qualtool.autocode.semantic import DIM, Embedder
from qualtool.domain import Codebook
from qualtool.nlp import Analyzer

SOFT_FLOOR = 0.45  # word cosines below this say nothing about a code
_CODE_ID = re.compile(r"\b[A-Z]{2,}(?:\.[A-Z_]+)?\b")


@dataclass
class Profile:
    code_id: str
    definition: np.ndarray | None
    exclusion: np.ndarray | None
    exemplars: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    negatives: list[str] = field(default_factory=list)


@dataclass
class Profiles:
    """All codes' profiles as matrices, so one sentence is compared with every code at once."""

    codes: list[str]
    definition: np.ndarray  # (codes, DIM), zero rows where the code has no text
    exclusion: np.ndarray  # (codes, DIM)
    ex_vectors: np.ndarray  # (exemplars, DIM)
    ex_code: np.ndarray  # (exemplars,) index into codes
    ex_text: list[tuple[str, str]]  # (kind, text) per exemplar row
    neg_vectors: np.ndarray
    neg_code: np.ndarray
    neg_text: list[str]
    vocab_vectors: np.ndarray  # (words, DIM): each code's own words (keywords, criteria, examples)
    vocab_code: np.ndarray  # (words,) index into codes
    bank_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), np.float32))
    bank_code: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # -1: no barrier
    # each row's content-word stems, for the classifier's word features
    definition_stems: list[frozenset[str]] = field(default_factory=list)
    ex_stems: list[frozenset[str]] = field(default_factory=list)
    bank_stems: list[frozenset[str]] = field(default_factory=list)
    neg_stems: list[frozenset[str]] = field(default_factory=list)

    def affinities(self, words: np.ndarray) -> np.ndarray:
        """Per word (unit vectors, words × codes): how close it comes to any of each code's own
        words (0 below `SOFT_FLOOR`, 1 for the same word) — lets «беготня» count for «ходить
        по инстанциям». Computed once per batch for the words not seen before."""
        out = np.zeros((len(words), len(self.codes)), dtype=np.float32)
        if len(self.vocab_code) and len(words):
            order = np.argsort(self.vocab_code, kind="stable")
            codes = self.vocab_code[order]
            starts = np.concatenate([[0], np.nonzero(np.diff(codes))[0] + 1])
            sims = words @ self.vocab_vectors[order].T
            out[:, codes[starts]] = np.maximum.reduceat(sims, starts, axis=1)
        return np.clip((out - SOFT_FLOOR) / (1.0 - SOFT_FLOOR), 0.0, 1.0)


def _lemmas(
    ana: Analyzer, text: str, known: tuple[str, ...] | None = None
) -> tuple[list[str], list[str]]:
    """(lemmas, written forms) of the words; `known`: the lemmas stored with a bank passage,
    used when they still match its words one for one."""
    if known is not None:
        forms = word_forms(text)
        if len(forms) == len(known):
            return list(known), forms
    toks = [t for t in tokens(ana, text) if t.is_word]  # the fast tokenizer scoring uses
    return [t.lemma for t in toks], [t.text for t in toks]


def content_stem(lemma: str) -> str:
    """A word that can tell codes apart, as the lexical matcher's stem; '' for a stop word or a
    one- or two-letter word."""
    return lemma[:STEM] if len(lemma) > 2 and lemma not in stop_words() else ""


NEGATED = "не_"  # prefix of a stem right after «не»: «не грубили» is not «грубили»


def negated(lemmas: Sequence[str], k: int) -> bool:
    """Is the k-th word right after «не»? Then its feature is `NEGATED` + its stem."""
    return k > 0 and lemmas[k - 1] == "не"


def content_stems(lemmas: Iterable[str]) -> frozenset[str]:
    """A text's content stems (`content_stem`), for the classifier's word features; a word
    right after «не» is its own feature (`negated`)."""
    seq = list(lemmas)
    if "не" not in seq:
        return frozenset(filter(None, map(content_stem, seq)))
    out = set()
    for k, lemma in enumerate(seq):
        stem = content_stem(lemma)
        if stem:
            out.add(NEGATED + stem if negated(seq, k) else stem)
    return frozenset(out)


def build_profiles(
    codebook: Codebook,
    embedder: Embedder,
    ana: Analyzer,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    codes: Iterable[str] | None = None,
    bank: Bank | None = None,
) -> Profiles:
    """`accepted`: (code, quote) the team coded; `rejected`: (code, quote) suggestions it
    refused. `codes`: which codes may be suggested (default: the codebook's leaves). `bank`:
    labelled passages for the classifier only (bank.py)."""
    wanted = (
        list(codes)
        if codes is not None
        else [c.id for _, c in codebook.walk() if not codebook.children(c.id)]
    )
    index = {cid: n for n, cid in enumerate(wanted)}
    definition = np.zeros((len(wanted), DIM), dtype=np.float32)
    exclusion = np.zeros((len(wanted), DIM), dtype=np.float32)
    ex_rows: list[np.ndarray] = []
    ex_code: list[int] = []
    ex_text: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    vocab: dict[tuple[int, str], np.ndarray] = {}
    ex_stems: list[frozenset[str]] = []
    definition_stems: list[frozenset[str]] = []

    def words(code_id: str, text: str) -> None:
        lemmas, forms = _lemmas(ana, text)
        for lemma, form in zip(lemmas, forms, strict=True):
            if embedder.weight(lemma) > 0 and (index[code_id], lemma) not in vocab:
                vec = embedder.word(lemma, form)
                if vec is not None:
                    vocab[(index[code_id], lemma)] = vec / max(float(np.linalg.norm(vec)), 1e-6)

    def add(code_id: str, kind: str, text: str) -> None:
        if code_id not in index or (code_id, text) in seen:
            return
        seen.add((code_id, text))
        lemmas, forms = _lemmas(ana, text)
        vec = embedder.sentence(lemmas, forms)
        if kind == "example":  # a team coding's everyday words («человек», «пять») would
            words(code_id, text)  # make every sentence sound like the code
        if vec is not None:
            ex_rows.append(vec)
            ex_code.append(index[code_id])
            ex_text.append((kind, text))
            ex_stems.append(content_stems(lemmas))

    for cid in wanted:
        code = codebook.get(cid)
        texts = [
            code.label_ru,
            code.definition or "",
            code.inclusion or "",
            " ".join(code.keywords),
        ]
        lemma_lists = [_lemmas(ana, t)[0] for t in texts]
        vec = embedder.text(lemma_lists)
        definition_stems.append(content_stems(x for lemmas in lemma_lists for x in lemmas))
        for t in texts:
            words(cid, t)
        if vec is not None:
            definition[index[cid]] = vec
        if code.exclusion:
            excl = embedder.text([_lemmas(ana, _CODE_ID.sub(" ", code.exclusion))[0]])
            if excl is not None:
                exclusion[index[cid]] = excl
        for ex in code.examples:
            add(cid, "example", ex.text)
    for cid, quote in accepted:
        add(cid, "coded", quote)
    neg_rows: list[np.ndarray] = []
    neg_code: list[int] = []
    neg_text: list[str] = []
    neg_stems: list[frozenset[str]] = []
    for cid, quote in rejected:
        if cid not in index:
            continue
        lemmas, forms = _lemmas(ana, quote)
        vec = embedder.sentence(lemmas, forms)
        if vec is not None:
            neg_rows.append(vec)
            neg_code.append(index[cid])
            neg_text.append(quote)
            neg_stems.append(content_stems(lemmas))
    bank_rows: list[np.ndarray] = []
    bank_code: list[int] = []
    bank_stems: list[frozenset[str]] = []
    if bank is not None:
        meanings = {cid: (codebook.get(cid).label_ru, codebook.get(cid).definition or "")
                    for cid in index}  # fmt: skip
        labelled = bank.for_codes(meanings) + [("", text) for text in bank.none]
        words_of = [_lemmas(ana, text, bank.lemmas.get(text)) for _, text in labelled]
        for (cid, _), (lemmas, _), vec in zip(labelled, words_of, embedder.sentences(words_of),
                                              strict=True):  # fmt: skip
            if vec is not None:
                bank_rows.append(vec)
                bank_code.append(index.get(cid, -1))
                bank_stems.append(content_stems(lemmas))
    return Profiles(
        wanted,
        definition,
        exclusion,
        np.array(ex_rows, dtype=np.float32).reshape(-1, DIM),
        np.array(ex_code, dtype=np.int64),
        ex_text,
        np.array(neg_rows, dtype=np.float32).reshape(-1, DIM),
        np.array(neg_code, dtype=np.int64),
        neg_text,
        np.array(list(vocab.values()), dtype=np.float32).reshape(-1, DIM),
        np.array([k[0] for k in vocab], dtype=np.int64),
        np.array(bank_rows, dtype=np.float32).reshape(-1, DIM),
        np.array(bank_code, dtype=np.int64),
        definition_stems,
        ex_stems,
        bank_stems,
        neg_stems,
    )
