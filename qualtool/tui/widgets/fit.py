"""Text that has to fit a column or a panel: cut with «…», so a reader sees it goes on."""

from __future__ import annotations

from typing import Literal


def clip(value: str | None, width: int, keep: Literal["start", "end"] = "start") -> str:
    """`value` in at most `width` characters; a cut one ends with «…» (never a bare cut word
    that reads as the whole text, nor a closing quote mark after a half word). `keep="end"`
    keeps the end and starts with «…» instead: the context left of a search match."""
    value = value or ""
    if len(value) <= width:
        return value
    if width <= 0:
        return ""
    if keep == "end":
        return "…" + value[len(value) - width + 1 :].lstrip() if width > 1 else "…"
    return value[: width - 1].rstrip() + "…"
