"""The readable pseudonym a person's name becomes («Имя-3») and the marks the other kinds
become («[телефон]»), shared by privacy (which gives them) and the layers below it, which must
recognise an anonymised text: a study pulled from a colleague's `anonymise --apply` is
anonymised although this laptop's database never ran one."""

from __future__ import annotations

import re

PERSON_LABEL = "Имя"
NUMBERED = re.compile(rf"(?<!\w){PERSON_LABEL}-(\d+)(?!\d)")
# what each kind of finding is replaced by (a person: the label and a number)
LABEL_WORDS = {"person": PERSON_LABEL, "phone": "телефон", "iin": "ИИН", "email": "e-mail",
               "address": "адрес"}  # fmt: skip
# the text every replacement leaves, a person's without its number
MARKS = tuple(f"{w}-" if k == "person" else f"[{w}]" for k, w in LABEL_WORDS.items())
