"""A full name written in lower case: «я говорила с жанар сапаровой», «у айгуль сериковны».

A transcriber or a researcher typing fast writes names in lower case, and the detector's rules
(and natasha) read capitalised words only, so a person the study names nowhere else stayed
after `--apply`. A lone lower-case word is never taken here: «вера», «роза», «дана», «марат»
in lower case are words or too unsure. Only a pair is: a listed first name (`names.listed`,
in any case form, not one that is also a common word unless a patronymic follows — «вера
ивановна») followed by a patronymic («сериковны») or a word with a surname's ending that no
dictionary knows as a common word («сапаровой»: `names.only_a_name`).
"""

from __future__ import annotations

from collections.abc import Sequence

from qualtool.nlp.analyzer import Token
from qualtool.privacy import names


def _lower(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.islower()


def pairs(tokens: Sequence[Token], flags: Sequence[tuple[bool, str, str]]) -> list[int]:
    """The indexes i where tokens i and i + 1 are a lower-case first name and family name
    (see the module's docstring), neither flagged yet."""
    out = []
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if flags[i][0] or flags[i + 1][0] or flags[i][2] == "place" or b.start - a.end != 1:
            continue
        if not (_lower(a.text) and _lower(b.text)):
            continue
        second = names.normalise_word(b.text)
        patronymic = bool(names.PATRONYMIC.search(second))
        if not patronymic and not names.SURNAME.search(second):
            continue  # cheap first: most lower-case pairs end here
        base = names.listed(a.text.capitalize())
        if not base or (names.common_word(base) and not patronymic):
            continue
        if patronymic or (
            names.only_a_name(second) and names.name_part(b.text.capitalize(), False)[0]
        ):
            out.append(i)
    return out
