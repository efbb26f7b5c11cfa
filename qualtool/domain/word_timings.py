"""Word timings kept across a text edit made outside qualtool.

A transcript exported as .txt (or .md, .srt …), corrected in an editor and imported again comes
back without word timings — the format has none — and the import used to drop every word's
timing with it: playback could no longer follow the words, the TUI no longer marked the words
the model was unsure of, a split fell back to a proportional guess. The words the edit did not
touch are the same words at the same moments, so they keep their timing; only the changed ones
lose it (a timing for a word the model never heard would be made up).

The old words and the new text are aligned as two sequences of words (difflib, the same on
every machine), compared without letter case and punctuation: «ЦОН,» and «ЦОН.» are one word.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from qualtool.domain.transcript import Segment, Word

_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^\W+|\W+$")


def _norm(word: str) -> str:
    return _EDGE.sub("", word.strip()).casefold()


def keep_word_timings(old: list[Segment], new: list[Segment]) -> list[Segment]:
    """`new` (no words of its own) with the timing of each word the edit left as it was: a
    word's text is the new text's (its spacing and punctuation), its moments and probability
    the old word's. A segment whose words are all kept reads exactly like its text again."""
    timed = [w for s in old for w in s.words]
    if not timed or any(s.words for s in new):
        return new
    tokens: list[tuple[int, str]] = []  # (new segment position, the word as the text has it)
    for pos, seg in enumerate(new):
        last = 0
        for m in _TOKEN.finditer(seg.text):
            space = seg.text[last : m.start()] or " "
            tokens.append((pos, space + m.group()))
            last = m.end()
    matcher = SequenceMatcher(None, [_norm(w.text) for w in timed],
                              [_norm(t) for _p, t in tokens], autojunk=False)  # fmt: skip
    kept: dict[int, list[Word]] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            pos, text = tokens[b + k]
            w = timed[a + k]
            kept.setdefault(pos, []).append(Word(w.start, w.end, text, w.probability))
    return [replace(s, words=tuple(kept.get(pos, ()))) for pos, s in enumerate(new)]
