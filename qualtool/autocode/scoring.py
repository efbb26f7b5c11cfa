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
from qualtool.autocode.lexical import Evidence, Matcher, excluded, sentences
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

    @property
    def semantic(self) -> bool:
        return self.embedder is not None

    def sentence(self, tokens: list[Token], kazakh: bool = False) -> list[Candidate]:
        words = [t for t in tokens if t.is_word]
        lemmas = [t.lemma for t in words]
        lexical = {c: ev for c, ev in self.matcher.score(lemmas).items() if c in self.leaves}
        vec = None
        if self.embedder is not None and not kazakh:
            vec = self.embedder.sentence(lemmas, [t.text for t in words])
        top_lex = max((ev.score for ev in lexical.values()), default=0.0)
        codes = dict.fromkeys(lexical)
        sims: dict[str, np.ndarray] = {}
        if vec is not None:
            sims = self.profiles.similarities(vec)
            ex = np.where(sims["example"] > -1, sims["example"], sims["definition"])
            sims["example"] = ex
            sims["soft"] = self._soft(lemmas, [t.text for t in words])
            closeness = sims["soft"] + 0.5 * sims["definition"]
            soft = np.exp(SOFTMAX_SHARPNESS * (closeness - closeness.max()))
            sims["share"] = soft / soft.sum()
            for n in np.argsort(-closeness)[:SEMANTIC_CANDIDATES]:
                codes.setdefault(self.profiles.codes[int(n)], None)
        start, end = tokens[0].start, tokens[-1].end
        out = []
        for code_id in codes:
            ev = lexical.get(code_id)
            f = {"lex": ev.score if ev else 0.0}
            excl_words = excluded(self.matcher, code_id, lemmas)
            f["exclusion_words"] = float(min(2, len(excl_words)))
            f["lex_top"] = 1.0 if ev and ev.score >= top_lex else 0.0
            example = None
            negative = 0.0
            if vec is not None:
                n = self.position[code_id]
                ex, de = sims["example"], sims["definition"]
                f["example"] = float(ex[n])
                f["definition"] = float(de[n])
                f["example_margin"] = float(ex[n] - np.max(np.delete(ex, n)))
                f["definition_margin"] = float(de[n] - np.max(np.delete(de, n)))
                f["share"] = float(sims["share"][n])
                f["soft"] = float(sims["soft"][n])
                f["soft_margin"] = float(sims["soft"][n] - np.max(np.delete(sims["soft"], n)))
                excl = float(sims["exclusion"][n])
                f["exclusion"] = max(0.0, excl - float(de[n])) if excl else 0.0
                negative = max(0.0, float(sims["negative"][n]) - float(ex[n]))
                row = int(sims["example_row"][n])
                if row >= 0:
                    kind, text = self.profiles.ex_text[row]
                    example = (kind, text, float(ex[n]))
            semantic = vec is not None
            base = self.calibrator.probability("", f, semantic, negative)
            p = self.calibrator.probability(code_id, f, semantic, negative)
            out.append(
                Candidate(code_id, start, end, p, base, f, ev, example, semantic, excl_words)
            )
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
        for sent in sentences(self.ana.tokens(text)):
            out.extend(self.sentence(sent, kazakh))
        return out

    def best(
        self, text: str, floor: float, language: str | None = None, per_sentence: int = 3
    ) -> list[Candidate]:
        """The best sentence per code in one segment, for codes at or above `floor`."""
        best: dict[str, Candidate] = {}
        kazakh = is_kazakh(text, language)
        for sent in sentences(self.ana.tokens(text)):
            ranked = sorted(self.sentence(sent, kazakh), key=lambda c: -c.probability)
            for cand in ranked[:per_sentence]:
                if cand.probability < floor:
                    continue
                old = best.get(cand.code_id)
                if old is None or cand.probability > old.probability:
                    best[cand.code_id] = cand
        return list(best.values())

    def propose(
        self, segment_id: int, text: str, floor: float, language: str | None = None
    ) -> list[Proposal]:
        return [proposal(segment_id, text, c) for c in self.best(text, floor, language)]


def proposal(segment_id: int, text: str, c: Candidate) -> Proposal:
    return Proposal(segment_id, c.code_id, c.start, c.end, text[c.start : c.end],
                    round(c.probability, 3), c.reason())  # fmt: skip
