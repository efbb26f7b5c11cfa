"""Domain terms the recogniser gets wrong: post-correction of near-miss forms.

Whisper's hotwords/initial prompt make it *likelier* to write «ЦОН», «ЕНПФ», «акимат»; when it
still writes a near miss («цена» for ЦОН is not one — «ЦОНа», «енпэф», «акимад» are), the word's
probability is usually low. A low-confidence word (or run of words, for multi-word terms) whose
lemma or form is within a small edit distance of a glossary term's is replaced by the term — in
the term's spelling, keeping a case ending after an acronym (a doubtful «цон» is «ЦОН»: an
acronym's capitals are its spelling) — and the segment gets a `glossary:<heard>→<written>` flag
so the reviewer sees every change and can undo it. Confident words are never touched: «сон»
said clearly stays «сон». Only glossary terms are written: a doubtful word near an ordinary
word (a codebook keyword such as «интернет») is left for the reviewer — with the codebook's
564 keywords as targets, right words were changed («сорока» → «срок», «они» → «одни»).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from qualtool.domain import Segment, Word
from qualtool.nlp import Analyzer, analyzer, normalise

LOW_PROBABILITY = 0.5  # only words the recogniser itself doubted
MIN_SIMILARITY = 80.0  # rapidfuzz ratio over lemmas / forms, 0–100
MIN_LENGTH = 3  # shorter terms («ИП») are too easy to hit by chance


@dataclass(frozen=True, slots=True)
class Term:
    written: str
    forms: tuple[str, ...]  # normalised words as written
    lemmas: tuple[str, ...]

    @property
    def acronym(self) -> bool:
        return len(self.forms) == 1 and self.written.isupper()


def build_terms(terms: Iterable[str], ana: Analyzer) -> list[Term]:
    out: dict[str, Term] = {}
    for term in terms:
        words = [t for t in ana.tokens(term) if t.is_word]
        if not words or len(normalise(term).replace(" ", "")) < MIN_LENGTH:
            continue
        if any(ch.isdigit() for ch in term):
            continue  # «1414» is heard right or not at all
        out[term] = Term(term, tuple(normalise(t.text) for t in words),
                         tuple(t.lemma for t in words))  # fmt: skip
    return list(out.values())


class Corrector:
    """The study glossary for one transcription run. The lemmatiser (a second to load) is only
    brought in when a segment actually has a doubtful word, so clean audio costs nothing."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.raw = tuple(terms)
        self._built: tuple[list[Term], Analyzer] | None = None

    def __call__(self, seg: Segment) -> Segment:
        if not self.raw or not any(w.probability < LOW_PROBABILITY for w in seg.words):
            return seg
        if self._built is None:
            ana = analyzer("ru")
            self._built = (build_terms(self.raw, ana), ana)
        terms, ana = self._built
        return correct_segment(seg, terms, ana)


def _bare(word: Word) -> tuple[str, str, str]:
    """(leading space+punct, core, trailing punct) of a recogniser word like ' ЦОНа,'."""
    text = word.text
    start = len(text) - len(text.lstrip(" «\"'("))
    end = len(text.rstrip(".,!?;:…»\"')"))
    return text[:start], text[start:end], text[end:]


def _similar(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b)) if a and b else 0.0


def correct_segment(seg: Segment, terms: list[Term], ana: Analyzer) -> Segment:
    """The segment with near-miss glossary terms corrected in its words and text."""
    if not terms or not seg.words:
        return seg
    words = list(seg.words)
    flags: list[str] = []
    n = 0
    while n < len(words):
        best: tuple[float, Term, int] | None = None
        for term in terms:
            k = len(term.forms)
            span = words[n : n + k]
            if len(span) < k or min(w.probability for w in span) >= LOW_PROBABILITY:
                continue
            cores = [_bare(w)[1] for w in span]
            if not all(cores):
                continue
            form = " ".join(normalise(c) for c in cores)
            lemma = " ".join(ana.lemma(c) for c in cores)
            if form == " ".join(term.forms) and not (term.acronym and cores[0] != term.written):
                continue  # already right; an acronym only in its capitals («цон» is not «ЦОН»)
            score = max(
                _similar(form, " ".join(term.forms)), _similar(lemma, " ".join(term.lemmas))
            )
            if score >= MIN_SIMILARITY and (best is None or score > best[0]):
                best = (score, term, k)
        if best is None:
            n += 1
            continue
        _, term, k = best
        span = words[n : n + k]
        fixed = []
        for i, w in enumerate(span):
            lead, core, trail = _bare(w)
            if k > 1 and ana.lemma(core) == term.lemmas[i]:
                fixed.append(w)  # «справку» in «справку о несудимасти» keeps its case
                continue
            new = term.written.split()[i] if k > 1 else term.written
            if term.acronym:
                stem = term.forms[0]
                ending = core[len(stem) :] if normalise(core).startswith(stem) else ""
                if ending.isalpha() and len(ending) <= 3:
                    new += ending.lower()
            if new != core:
                flags.append(f"glossary:{core}→{new}")
            fixed.append(Word(w.start, w.end, f"{lead}{new}{trail}", w.probability))
        words[n : n + k] = fixed
        n += k
    if not flags:
        return seg
    text = " ".join("".join(w.text for w in words).split())
    return replace(seg, words=tuple(words), text=text, flags=(*seg.flags, *flags))
