"""How a segment reads in a table row: its words (low confidence highlighted, coded words in
their code's colour), the coding margin beside it, and the row height a wrap will take."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from qualtool.domain import Codebook, Coding, Segment
from qualtool.transcribe.postprocess import DEFAULT

STRIPES = 3  # columns of the coding margin


def stripes(codings: list[Coding], cb: Any, height: int) -> Text:
    """The coding margin beside a segment: one coloured bar per code on every line of the row
    (MAXQDA/NVivo style), readable at 80 columns; «+» when more codes than fit."""
    codes = list(dict.fromkeys(c.code_id for c in codings))
    out = Text()
    if not codes:
        return out
    for line in range(max(1, height)):
        if line:
            out.append("\n")
        for code in codes[: STRIPES - 1] if len(codes) > STRIPES else codes:
            out.append("▌", style=f"bold {cb.color_of(code) if code in cb else 'white'}")
        if len(codes) > STRIPES:
            out.append("+", style="bold")
    return out


def render_text(seg: Segment, codings: list[Coding], cb: Codebook) -> Text:
    """Low-confidence words in reverse yellow (listen again); coded words underlined in the
    code's colour, with the code ids after the text."""
    if seg.words and "".join(w.text for w in seg.words).strip() == seg.text:
        out = Text()
        for n, w in enumerate(seg.words):
            style = "reverse yellow" if w.probability < DEFAULT.low_word_probability else ""
            out.append(w.text.lstrip() if n == 0 else w.text, style=style)
    else:
        out = Text(seg.text)
    for c in codings:
        out.stylize(f"underline {cb.color_of(c.code_id)}", c.start, c.end)
    if codings:
        out.append("  ")
        for c in codings:
            out.append(f"[{c.code_id}]", style=f"bold {cb.color_of(c.code_id)}")
    return out


def wrapped_lines(text: str, width: int) -> int:
    """Lines `text` takes when word-wrapped at `width` cells. Computed here because asking
    DataTable to measure (height=None) renders every row: 6 s for a 2-hour transcript."""
    lines, col = 1, 0
    for word in text.split(" "):
        n = len(word)
        if col and col + 1 + n > width:
            lines += 1
            col = 0
        while n > width:  # a word longer than the column is folded
            lines += 1
            n -= width
        col = col + (1 if col else 0) + n
    return lines
