"""One suggestion before it is stored: its code, sentence, calibrated score and the evidence
behind it, which `reason()` turns into the "why" a coder reads in the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass

from qualtool.autocode.lexical import Evidence
from qualtool.domain import Proposal

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
    kazakh: bool = False

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
        elif self.kazakh:
            score += " · " + KAZAKH_NOTE
        else:
            score += " · lexical only (no word with a vector)"
        if self.excluded:
            score += " · exclusion criteria: " + ", ".join(self.excluded)
        parts.append(score)
        return "; ".join(parts)


def proposal(segment_id: int, text: str, c: Candidate) -> Proposal:
    return Proposal(segment_id, c.code_id, c.start, c.end, text[c.start : c.end],
                    round(c.probability, 3), c.reason())  # fmt: skip
