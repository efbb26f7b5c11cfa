"""The readable pseudonym a person's name becomes («Имя-3»), shared by privacy (which gives
them) and the layers below it, which must recognise an anonymised text: a study pulled from a
colleague's `anonymise --apply` is anonymised although this laptop's database never ran one."""

from __future__ import annotations

import re

PERSON_LABEL = "Имя"
NUMBERED = re.compile(rf"(?<!\w){PERSON_LABEL}-(\d+)(?!\d)")
