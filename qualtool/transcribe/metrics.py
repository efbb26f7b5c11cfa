"""Word and character error rates, as the tech notes measure them: lower-case, ё→е, no
punctuation, Levenshtein distance over words and over characters."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    text = text.lower().replace("ё", "е")
    return " ".join(re.findall(r"\w+", text))


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def reference_text(path: str) -> str:
    """Text of a reference file whose lines may start with `Speaker:`."""
    with open(path, encoding="utf-8") as f:
        return " ".join(
            re.sub(r"^\s*[\w-]{1,6}:\s*", "", line).strip() for line in f if line.strip()
        )
