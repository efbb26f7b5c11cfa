"""The readable pseudonym a person's name becomes («Имя-3») and the marks the other kinds
become («[телефон]»), shared by privacy (which gives them) and the layers below it, which must
recognise an anonymised text: a study pulled from a colleague's `anonymise --apply` is
anonymised although this laptop's database never ran one."""

from __future__ import annotations

import re
from collections.abc import Iterable

PERSON_LABEL = "Имя"
NUMBERED = re.compile(rf"(?<!\w){PERSON_LABEL}-(\d+)(?!\d)")
# what each kind of finding is replaced by (a person: the label and a number)
LABEL_WORDS = {"person": PERSON_LABEL, "phone": "телефон", "iin": "ИИН", "email": "e-mail",
               "address": "адрес"}  # fmt: skip
# the text every replacement leaves, a person's without its number
MARKS = tuple(f"{w}-" if k == "person" else f"[{w}]" for k, w in LABEL_WORDS.items())

# a replacement's mark anywhere in a text: a person's numbered pseudonym or another kind's mark
_ANY_MARK = re.compile("|".join([NUMBERED.pattern, *(re.escape(m) for m in MARKS[1:])]))


def anonymised_from(pulled: Iterable[str], local: Iterable[str]) -> bool:
    """The `pulled` segments are the `local` ones with some words replaced by pseudonyms or
    marks, and nothing else changed (spacing aside): a colleague's `anonymise --apply`, which
    also renamed a text source whose key was made from a name — its words and its key both
    changed, so neither tells it; this does, the same on every laptop. At least one mark."""
    a = [" ".join(t.split()) for t in pulled if t.strip()]
    b = [" ".join(t.split()) for t in local if t.strip()]
    if len(a) != len(b):
        return False
    marked = False
    for new, old in zip(a, b, strict=True):
        pieces, pos = [], 0
        for m in _ANY_MARK.finditer(new):
            pieces += [re.escape(new[pos : m.start()]), ".+?"]
            pos, marked = m.end(), True
        if not re.fullmatch("".join([*pieces, re.escape(new[pos:])]), old, re.S):
            return False
    return marked
