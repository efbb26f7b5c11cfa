"""One suggestion before it is stored: its code, sentence, calibrated score and the evidence
behind it, which `reason()` turns into the "why" a coder reads in the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass

from qualtool.autocode.lexical import Evidence
from qualtool.domain import Proposal
from qualtool.i18n import N_, _, ngettext

KAZAKH_NOTE = N_("Kazakh: lexical only (no Kazakh vectors)")
DECIDED_NOTE = 0.3  # the team's vote on similar passages (scoring._decided) worth a mention


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
            parts.append(_("words: {words}").format(
                words=", ".join(dict.fromkeys(self.lexical.keywords))))  # fmt: skip
        elif self.lexical and self.lexical.weak:
            n = self.lexical.weak
            parts.append(ngettext("{n} word of its definition", "{n} words of its definition",
                                  n).format(n=n))  # fmt: skip
        if self.example:
            kind, text, sim = self.example
            like = (_("like team coding «{text}» ({similarity:.2f})") if kind == "coded"
                    else _("like example «{text}» ({similarity:.2f})"))  # fmt: skip
            parts.append(like.format(text=text[:60], similarity=sim))
        elif self.lexical and self.lexical.example:
            parts.append(_("like «{text}»").format(text=self.lexical.example[:60]))
        f = self.features
        verdict = f.get("decided", 0.0)
        if verdict <= -DECIDED_NOTE:
            parts.append(_("the team refused passages like this for this code"))
        elif verdict >= DECIDED_NOTE:
            parts.append(_("the team coded passages like this with this code"))
        score = _("lexical {score:.1f}").format(score=f.get("lex", 0.0))
        if self.semantic:
            score += " · " + _("meaning {example:.2f}/{definition:.2f}").format(
                example=f.get("example", 0.0), definition=f.get("definition", 0.0))  # fmt: skip
            if f.get("exclusion", 0.0) > 0:
                score += " · " + _("exclusion −{value:.2f}").format(value=f["exclusion"])
        elif self.kazakh:
            score += " · " + _(KAZAKH_NOTE)
        else:
            score += " · " + _("lexical only (no word with a vector)")
        if self.excluded:
            score += " · " + _("exclusion criteria: {words}").format(words=", ".join(self.excluded))
        parts.append(score)
        return "; ".join(parts)


def proposal(segment_id: int, text: str, c: Candidate) -> Proposal:
    return Proposal(segment_id, c.code_id, c.start, c.end, text[c.start : c.end],
                    round(c.probability, 3), c.reason())  # fmt: skip
