"""Names that become file names (recording keys, coder names, export names).

They are checked against one safe pattern so that no name can point outside its folder
(`../README`), hide a file (`.x`), or differ between systems (slashes, colons, spaces).
"""

from __future__ import annotations

import re

from qualtool.domain.errors import InvalidInput

SAFE = re.compile(r"^[\w][\w.-]{0,63}$")


def check_name(name: str, what: str) -> str:
    if not SAFE.fullmatch(name) or ".." in name or name.endswith("."):
        raise InvalidInput(
            f"{what} {name!r} cannot be used as a file name: use letters, digits, '-', '_' "
            "or '.' (up to 64, starting with a letter or digit)"
        )
    return name
