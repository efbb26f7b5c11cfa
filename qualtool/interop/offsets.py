"""Which tool wrote a REFI-QDA project, and how that tool counts character positions.

The standard counts Unicode code points in the source's plain text. NVivo counts UTF-16 code
units (a character outside the BMP, such as an emoji, is two) on the text exactly as stored,
where `\r\n` is two units. Taguette (which has no QDPX export) counts UTF-8 bytes of its HTML
document's text nodes, tags not counted (`taguette/extract.py`, `describePos` in taguette.js):
a Cyrillic letter is two, an emoji four. Some exports count on text whose `\r\n` was read as one newline.
Positions are always mapped onto the *raw* text first; only the mapped slice is normalised
afterwards, so a wrong model can never be hidden by the normalisation.

The import checks itself: a selection that starts or ends inside a word is almost always an
offset error, so it counts those under the producer's model and, when another model places
clearly more selections on word boundaries, says so and uses that one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate


class Producer(StrEnum):
    NVIVO = "NVivo"
    MAXQDA = "MAXQDA"
    ATLAS = "ATLAS.ti"
    QUALCODER = "QualCoder"
    TAGUETTE = "Taguette"
    QUALTOOL = "qualtool"
    OTHER = "other"


class OffsetModel(StrEnum):
    CODE_POINTS = "code points"  # the standard
    UTF16 = "UTF-16 units"  # NVivo
    LF_CODE_POINTS = "code points with \\r\\n as one"  # exports that counted on read-in text
    UTF8 = "UTF-8 bytes"  # Taguette (bytes of the HTML's text nodes)


_ORIGINS = [
    (re.compile(r"nvivo", re.I), Producer.NVIVO),
    (re.compile(r"maxqda", re.I), Producer.MAXQDA),
    (re.compile(r"atlas", re.I), Producer.ATLAS),
    (re.compile(r"qualcoder", re.I), Producer.QUALCODER),
    (re.compile(r"taguette", re.I), Producer.TAGUETTE),
    (re.compile(r"qualtool", re.I), Producer.QUALTOOL),
]


def producer(origin: str | None) -> Producer:
    for pattern, who in _ORIGINS:
        if origin and pattern.search(origin):
            return who
    return Producer.OTHER


def default_model(who: Producer) -> OffsetModel:
    if who == Producer.NVIVO:
        return OffsetModel.UTF16
    if who == Producer.TAGUETTE:
        return OffsetModel.UTF8
    return OffsetModel.CODE_POINTS


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class PositionMap:
    """Position in a model's units → index into the raw text (a str of code points)."""

    model: OffsetModel
    units: int  # the text's length in the model's units
    bounds: tuple[int, ...] | None  # units before raw char i; None: one unit a character

    @classmethod
    def build(cls, raw: str, model: OffsetModel) -> PositionMap:
        return _build(raw, model)

    def index(self, position: int) -> int | None:
        """Raw index of a position; None when it lies beyond the text."""
        if position < 0 or position > self.units:
            return None
        return position if self.bounds is None else bisect_left(self.bounds, position)


@lru_cache(maxsize=16)
def _build(raw: str, model: OffsetModel) -> PositionMap:
    """Cached: the import asks for the same text's map several times. Texts without astral
    characters (or without `\r\n`) map one to one and need no table."""
    if model == OffsetModel.UTF16 and _ASTRAL.search(raw):
        units: Iterable[int] = (2 if ord(ch) > 0xFFFF else 1 for ch in raw)
    elif model == OffsetModel.UTF8 and not raw.isascii():
        units = (len(ch.encode("utf-8", "surrogatepass")) for ch in raw)
    elif model == OffsetModel.LF_CODE_POINTS and "\r\n" in raw:
        units = (0 if ch == "\r" and raw[i + 1 : i + 2] == "\n" else 1 for i, ch in enumerate(raw))
    else:
        return PositionMap(model, len(raw), None)
    bounds = tuple(accumulate(units, initial=0))
    return PositionMap(model, bounds[-1], bounds)


def mid_word(raw: str, start: int, end: int) -> int:
    """0, 1 or 2: how many ends of raw[start:end] cut a word in two."""
    cuts = 0
    if 0 < start < len(raw) and raw[start - 1].isalnum() and raw[start].isalnum():
        cuts += 1
    if 0 < end < len(raw) and raw[end - 1].isalnum() and raw[end].isalnum():
        cuts += 1
    return cuts


@dataclass(frozen=True, slots=True)
class ModelChoice:
    model: OffsetModel
    mid_word: int  # selection ends inside a word under the chosen model
    expected_mid_word: int  # ... under the producer's own model
    switched: bool


def choose_model(
    texts: list[tuple[str, list[tuple[int, int]]]], expected: OffsetModel
) -> ModelChoice:
    """The producer's model unless another one puts clearly more ends on word boundaries
    (at least half as many cuts, and at least two fewer), across all text sources."""
    scores: dict[OffsetModel, int] = {}
    for model in OffsetModel:
        total = 0
        for raw, spans in texts:
            pm = PositionMap.build(raw, model)
            for a, b in spans:
                ia, ib = pm.index(a), pm.index(b)
                total += 2 if ia is None or ib is None else mid_word(raw, ia, ib)
        scores[model] = total
    best = min(scores, key=lambda m: (scores[m], m != expected))
    own = scores[expected]
    if best != expected and scores[best] * 2 <= own and own - scores[best] >= 2:
        return ModelChoice(best, scores[best], own, True)
    return ModelChoice(expected, own, own, False)
