"""Text that has to fit a column or a panel: cut with «…», so a reader sees it goes on."""

from __future__ import annotations


def clip(value: str | None, width: int) -> str:
    """`value` in at most `width` characters; a cut one ends with «…» (never a bare cut word
    that reads as the whole text, nor a closing quote mark after a half word)."""
    value = value or ""
    if len(value) <= width:
        return value
    return value[: max(width - 1, 0)].rstrip() + "…" if width > 0 else ""
