"""Names that become file names (recording keys, coder names, export names).

They are checked against one safe pattern so that no name can point outside its folder
(`../README`), hide a file (`.x`), or differ between systems (slashes, colons, spaces).
"""

from __future__ import annotations

import re

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import N_, _

SAFE = re.compile(r"^[\w][\w.-]{0,63}$")
# what a name is for, as callers pass it; translated when the message is shown
KINDS = (N_("coder"), N_("recording key"), N_("decisions file"))


def check_name(name: str, what: str) -> str:
    if not SAFE.fullmatch(name) or ".." in name or name.endswith("."):
        raise InvalidInput(
            _(
                "{what} {name!r} cannot be used as a file name: use letters, digits, '-', '_' "
                "or '.' (up to 64, starting with a letter or digit)"
            ).format(what=_(what), name=name)
        )
    return name
