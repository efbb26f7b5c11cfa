"""Where a coded quote starts and ends: whole words, without stray punctuation.

A selection made with the mouse or shift+arrows easily starts mid-word or takes the comma
before the next word; quotes in reports must read as clean extracts of the transcript.
"""

from __future__ import annotations

LEADING_JUNK = " \t\n,.;:!?…-–—)]}»“”\"'"
TRAILING_JUNK = " \t\n,;:-–—([{«„"
JOINERS = "-'’"


def _in_word(text: str, i: int) -> bool:
    """Is the character at i part of a word (letters, digits, a hyphen inside «из-за»)?"""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if ch.isalnum() or ch == "_":
        return True
    return (
        ch in JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
    )


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole words and trimmed of spaces and stray punctuation; an
    empty result (only punctuation selected) comes back as (start, start)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    while start > 0 and _in_word(text, start) and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and end > 0 and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    while start < end and text[start] in LEADING_JUNK:
        start += 1
    while end > start and text[end - 1] in TRAILING_JUNK:
        end -= 1
    if not any(_in_word(text, i) for i in range(start, end)):
        return start, start
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
