"""The hierarchical barrier codebook.

Codes are keyed by a stable id ("BUR.DELAY"): labels, definitions and the place in the tree may
change, the id may not, so codings never lose their code when the file is edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

_TERM_LIKE = re.compile(r"[A-ZА-ЯЁ0-9]")


class Polarity(StrEnum):
    NEGATIVE = "negative"  # a barrier
    POSITIVE = "positive"  # a respondent reports no barrier / praise
    NEUTRAL = "neutral"


class BarrierType(StrEnum):
    """Appendix-1 style attribute: editable per code, not part of the hierarchy."""

    ADMINISTRATIVE = "administrative"
    TECHNICAL = "technical"
    ORGANISATIONAL = "organisational"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    source: str | None = None  # where the quote comes from (report line, recording key)


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    label_ru: str
    label_en: str | None = None
    parent_id: str | None = None
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    examples: tuple[Example, ...] = ()
    keywords: tuple[str, ...] = ()
    # Kazakh words and phrases as a respondent says them: pymorphy3 has no Kazakh, so these
    # are matched by stem (autocode/kazakh.py), not lemmatised like `keywords`
    keywords_kk: tuple[str, ...] = ()
    color: str | None = None
    polarity: Polarity = Polarity.NEGATIVE
    barrier_type: BarrierType = BarrierType.ADMINISTRATIVE
    replaces: tuple[str, ...] = ()  # former ids of this code: their codings move here
    sort: int = 0

    @property
    def label(self) -> str:
        return self.label_ru


@dataclass(frozen=True, slots=True)
class Codebook:
    name: str
    codes: tuple[Code, ...] = ()
    version: str | None = None
    glossary: tuple[str, ...] = ()  # domain terms for ASR hotwords and search
    _by_id: dict[str, Code] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.codes})

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code_id: str) -> Code:
        return self._by_id[code_id]

    def children(self, code_id: str | None) -> list[Code]:
        kids = [c for c in self.codes if c.parent_id == code_id]
        return sorted(kids, key=lambda c: c.sort)

    def roots(self) -> list[Code]:
        return self.children(None)

    def walk(self) -> Iterator[tuple[int, Code]]:
        """Depth-first (depth, code), in file order: the order people read the codebook in."""

        def visit(parent: str | None, depth: int) -> Iterator[tuple[int, Code]]:
            for code in self.children(parent):
                yield depth, code
                yield from visit(code.id, depth + 1)

        yield from visit(None, 0)

    def ancestors(self, code_id: str) -> list[Code]:
        chain: list[Code] = []
        current = self._by_id[code_id].parent_id
        while current is not None:
            chain.append(self._by_id[current])
            current = self._by_id[current].parent_id
        return chain[::-1]

    def path(self, code_id: str, sep: str = " / ") -> str:
        return sep.join(c.label_ru for c in [*self.ancestors(code_id), self.get(code_id)])

    def descendants(self, code_id: str) -> list[Code]:
        out: list[Code] = []
        for child in self.children(code_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def color_of(self, code_id: str) -> str:
        """A code's own colour, else its nearest ancestor's, else neutral grey."""
        for code in [self.get(code_id), *reversed(self.ancestors(code_id))]:
            if code.color:
                return code.color
        return "#888888"

    def hotwords(self) -> list[str]:
        """What Whisper should spell right: the glossary, then term-like keywords (acronyms,
        numbers, Latin names); plain lemmas such as «ждать» only waste the prompt."""
        terms = [k for c in self.codes for k in c.keywords if _TERM_LIKE.search(k)]
        return list(dict.fromkeys([*self.glossary, *terms]))
