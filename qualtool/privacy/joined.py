"""Names written together: «Askar_Nurlanov», «Айгуль_Серикова» (a chat handle, a file name quoted
in a turn), «AskarNurlanov», «#АйгульСерикова» (a hashtag).

The detector reads words, and such a token is one word no dictionary knows: «Askar_Nurlanov»
was not found at all and stayed after `--apply`, «AskarNurlanov» was found keyed as a word of
its own («ник askarnurlanov», NER's guess taking in the word before it), so it got a number
of its own. Here a token is split at its underscores and where a lower-case letter meets a
capital, read as the words it is made of («Askar Nurlanov»), and what the detector finds in
them is the span of the token those words cover, keyed as the spaced name is: the same person,
the same pseudonym. An e-mail's local part («aigul.serikova@…») is the e-mail's already.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qualtool.privacy.entity import Entity, Kind

_U = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_L = "a-zа-яёәғқңөұүһі"
# a run of word characters with an underscore between letters, or a lower-case letter
# followed by a capital («AskarNurlanov»); not an e-mail's or a path's inner part
TOKEN = re.compile(r"(?<![\w@])\w+(?![\w@])")
_JOIN = re.compile(rf"[^\W\d_]_+[^\W\d_]|[{_L}][{_U}]")
_PART = re.compile(rf"[{_U}]?[{_L}]+|[{_U}]+(?![{_L}])")
_ALPHA = re.compile(r"[^\W\d_]+")


def maybe(text: str) -> bool:
    """Cheap first: `text` has a joined token at all."""
    return bool(_JOIN.search(text))


def parts(token: str) -> list[tuple[int, int]]:
    """The words a joined token is made of, as (start, end) in it."""
    out = []
    for run in _ALPHA.finditer(token):
        out += [
            (run.start() + m.start(), run.start() + m.end()) for m in _PART.finditer(run.group())
        ]
    return out


def find(text: str, detect: Callable[[str], list[Entity]],
         taken: list[bool]) -> list[Entity]:  # fmt: skip
    """The people in `text`'s joined tokens (not where `taken`: an e-mail found already),
    `detect` reading each token's words spaced."""
    out: list[Entity] = []
    for m in TOKEN.finditer(text):
        token = m.group()
        if not _JOIN.search(token) or any(taken[m.start() : m.end()]):
            continue
        words = parts(token)
        if len(words) < 2:
            continue
        spaced, starts = "", []
        for a, b in words:
            starts.append(len(spaced) + (1 if spaced else 0))
            spaced += (" " if spaced else "") + token[a:b]
        people = [e for e in detect(spaced) if e.kind is Kind.PERSON]
        if not people:
            continue

        base = [m.start() + a for a, _b in words]
        a, b = _at(people[0].start, starts, base), _at(people[-1].end, starts, base, end=True)
        key = " ".join(e.key for e in people)
        legacy = " ".join(e.legacy for e in people if e.legacy)
        out.append(Entity(Kind.PERSON, a, b, text[a:b], key, "joined", legacy))
    return out


def _at(pos: int, starts: list[int], base: list[int], end: bool = False) -> int:
    """The offset in the text of the spaced words' `pos` (`starts`: each word's offset there;
    `base`: in the text)."""
    k = max(i for i, s in enumerate(starts) if s <= (pos - 1 if end else pos))
    return base[k] + pos - starts[k]
