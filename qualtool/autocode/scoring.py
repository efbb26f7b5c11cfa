"""Lexical + semantic evidence → one calibrated score per (sentence, code), with its reasons.

Candidates for a sentence are the codes with any lexical evidence plus the few codes it is
semantically closest to; each gets the features `calibrate.FEATURES` and a probability. Only
the codebook's leaves are proposed (coders code the specific barrier, the parents group them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from qualtool.autocode.calibrate import Calibrator
from qualtool.autocode.lexical import Evidence, Matcher, excluded, sentences, stem, tokens
from qualtool.autocode.profiles import Profiles, build_profiles
from qualtool.autocode.semantic import Embedder, idf_table, is_kazakh
from qualtool.domain import Codebook, Proposal
from qualtool.nlp import Token, analyzer

SEMANTIC_CANDIDATES = 3  # closest codes by meaning considered even without a shared word
SOFTMAX_SHARPNESS = 20.0  # how peaked the "which code is it closest to" share is
KAZAKH_NOTE = "Kazakh: lexical only (no Kazakh vectors)"


@dataclass
class Candidate:
    code_id: str
    start: int
    end: int
    probability: float
    base: float  # before the code's learned offset
    features: dict[str, float]
    lexical: Evidence | None
    example: tuple[str, str, float] | None  # (kind, text, cosine)
    semantic: bool
    excluded: list[str]

    def reason(self) -> str:
        parts = []
        if self.lexical and self.lexical.keywords:
            parts.append("words: " + ", ".join(dict.fromkeys(self.lexical.keywords)))
        elif self.lexical and self.lexical.weak:
            parts.append(f"{self.lexical.weak} word(s) of its definition")
        if self.example:
            kind, text, sim = self.example
            who = "team coding" if kind == "coded" else "example"
            parts.append(f"like {who} «{text[:60]}» ({sim:.2f})")
        elif self.lexical and self.lexical.example:
            parts.append(f"like «{self.lexical.example[:60]}»")
        f = self.features
        score = f"lexical {f.get('lex', 0.0):.1f}"
        if self.semantic:
            score += f" · meaning {f.get('example', 0.0):.2f}/{f.get('definition', 0.0):.2f}"
            if f.get("exclusion", 0.0) > 0:
                score += f" · exclusion −{f['exclusion']:.2f}"
        else:
            score += " · " + KAZAKH_NOTE
        if self.excluded:
            score += " · exclusion criteria: " + ", ".join(self.excluded)
        parts.append(score)
        return "; ".join(parts)


class Scorer:
    """Built once per run: the lexical matcher, the code profiles and the calibration."""

    def __init__(
        self,
        codebook: Codebook,
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        decisions: Iterable[tuple[str, float, bool]] = (),
        idf_documents: Iterable[Iterable[str]] = (),
        calibrator: Calibrator | None = None,
        semantic: bool = True,
    ) -> None:
        self.ana = analyzer("ru")
        accepted = list(accepted)
        self.matcher = Matcher(codebook, self.ana, learned=accepted)
        docs = list(idf_documents)
        for _, code in codebook.walk():
            for text in (code.label_ru, code.definition, code.inclusion):
                if text:
                    docs.append(self.ana.lemma_text(text).split())
        self.embedder = Embedder(idf=idf_table(docs)) if semantic else None
        if self.embedder is not None and not self.embedder.available:
            self.embedder = None
        emb = self.embedder or Embedder(load=False)
        self.profiles: Profiles = build_profiles(codebook, emb, self.ana, accepted, rejected)
        self.leaves = set(self.profiles.codes)
        self.position = {cid: n for n, cid in enumerate(self.profiles.codes)}
        self._affinity: dict[str, np.ndarray] = {}
        self.calibrator = calibrator or Calibrator()
        self.calibrator.learn(decisions)
        self.offsets = np.array([self.calibrator.offsets.get(c, 0.0) for c in self.profiles.codes])
        self.learned_offsets = bool(self.offsets.any())
        self.excl_index: dict[str, list[int]] = {}
        for code_id, words in self.matcher.exclusions.items():
            if code_id in self.position:
                for st in words:
                    self.excl_index.setdefault(st, []).append(self.position[code_id])

    @property
    def semantic(self) -> bool:
        return self.embedder is not None

    def sentence(
        self, tokens: list[Token], kazakh: bool = False, floor: float = 0.0, keep: int = 0
    ) -> list[Candidate]:
        """Every code is scored at once (vectors over the codebook); only candidates — codes
        with lexical evidence or among the closest by meaning — at or above `floor` come back,
        the `keep` best of them when `keep` is set."""
        words = [t for t in tokens if t.is_word]
        lemmas = [t.lemma for t in words]
        n_codes = len(self.profiles.codes)
        lexical = {c: ev for c, ev in self.matcher.score(lemmas).items() if c in self.leaves}
        f: dict[str, np.ndarray] = {"lex": np.zeros(n_codes), "exclusion_words": np.zeros(n_codes)}
        for code_id, ev in lexical.items():
            f["lex"][self.position[code_id]] = ev.score
        for st in dict.fromkeys(stem(x) for x in lemmas):
            for n in self.excl_index.get(st, ()):
                f["exclusion_words"][n] += 1.0
        np.minimum(f["exclusion_words"], 2.0, out=f["exclusion_words"])
        f["lex_top"] = ((f["lex"] >= f["lex"].max()) & (f["lex"] > 0)).astype(float)
        wanted = f["lex"] > 0
        vec = None
        if self.embedder is not None and not kazakh:
            vec = self.embedder.sentence(lemmas, [t.text for t in words])
        negative = np.zeros(n_codes)
        sims: dict[str, np.ndarray] = {}
        if vec is not None:
            sims = self.profiles.similarities(vec)
            ex = np.where(sims["example"] > -1, sims["example"], sims["definition"])
            de = sims["definition"]
            soft = self._soft(lemmas, [t.text for t in words])
            closeness = soft + 0.5 * de
            share = np.exp(SOFTMAX_SHARPNESS * (closeness - closeness.max()))
            f["share"] = share / share.sum()
            f["soft"] = soft
            f["soft_margin"] = _margin(soft)
            f["definition_margin"] = _margin(de)
            f["example"], f["definition"] = ex, de
            excl = sims["exclusion"]
            f["exclusion"] = np.where(excl != 0, np.maximum(0.0, excl - de), 0.0)
            negative = np.maximum(0.0, sims["negative"] - ex)
            wanted[np.argsort(-closeness)[:SEMANTIC_CANDIDATES]] = True
        semantic = vec is not None
        base = self.calibrator.probabilities(f, semantic, negative)
        prob = base
        if self.learned_offsets:
            prob = self.calibrator.probabilities(f, semantic, negative, self.offsets)
        idx = [int(n) for n in np.nonzero(wanted & (prob >= floor))[0]]
        idx.sort(key=lambda n: -prob[n])
        if keep:
            idx = idx[:keep]
        start, end = tokens[0].start, tokens[-1].end
        out = []
        for n in idx:
            code_id = self.profiles.codes[n]
            example = None
            row = int(sims["example_row"][n]) if sims else -1
            if row >= 0:
                kind, text = self.profiles.ex_text[row]
                example = (kind, text, float(f["example"][n]))
            feats = {name: float(arr[n]) for name, arr in f.items()}
            out.append(Candidate(code_id, start, end, float(prob[n]), float(base[n]), feats,
                                 lexical.get(code_id), example, semantic,
                                 excluded(self.matcher, code_id, lemmas)))  # fmt: skip
        return out

    def _soft(self, lemmas: list[str], forms: list[str]) -> np.ndarray:
        """IDF-weighted mean over the sentence's words of their affinity to each code."""
        assert self.embedder is not None
        acc = np.zeros(len(self.profiles.codes), dtype=np.float32)
        total = 0.0
        for lemma, w, vec in self.embedder.weighted(lemmas, forms):
            aff = self._affinity.get(lemma)
            if aff is None:
                unit = vec / max(float(np.linalg.norm(vec)), 1e-6)
                aff = self._affinity[lemma] = self.profiles.affinity(unit)
            acc += w * aff
            total += w
        return acc / total if total else acc

    def candidates(self, text: str, language: str | None = None) -> list[Candidate]:
        kazakh = is_kazakh(text, language)
        out: list[Candidate] = []
        for sent in sentences(tokens(self.ana, text)):
            out.extend(self.sentence(sent, kazakh))
        return out

    def best(
        self, text: str, floor: float, language: str | None = None, per_sentence: int = 3
    ) -> list[Candidate]:
        """The best sentence per code in one segment, for codes at or above `floor`."""
        best: dict[str, Candidate] = {}
        kazakh = is_kazakh(text, language)
        for sent in sentences(tokens(self.ana, text)):
            for cand in self.sentence(sent, kazakh, floor, per_sentence):
                old = best.get(cand.code_id)
                if old is None or cand.probability > old.probability:
                    best[cand.code_id] = cand
        return list(best.values())

    def propose(
        self, segment_id: int, text: str, floor: float, language: str | None = None
    ) -> list[Proposal]:
        return [proposal(segment_id, text, c) for c in self.best(text, floor, language)]


def _margin(values: np.ndarray) -> np.ndarray:
    """Each code's value minus the best other code's."""
    best = int(np.argmax(values))
    out = values - values[best]
    if len(values) > 1:
        out[best] = values[best] - np.max(np.delete(values, best))
    return out


def proposal(segment_id: int, text: str, c: Candidate) -> Proposal:
    return Proposal(segment_id, c.code_id, c.start, c.end, text[c.start : c.end],
                    round(c.probability, 3), c.reason())  # fmt: skip
