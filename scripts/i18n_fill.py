"""Fill a catalogue from a Python mapping {msgid: msgstr} (a translator's bulk helper):
    python scripts/i18n_fill.py ru translations.py     # the file defines T = {...}
Plural entries use (singular, plural) keys and a tuple of forms as the value."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "qualtool" / "i18n" / "locale"


def main(lang: str, source: str) -> int:
    table = runpy.run_path(source)["T"]
    path = LOCALE / lang / "LC_MESSAGES" / "qualtool.po"
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    filled = 0
    for m in po:
        if m.id and m.id in table:
            m.string = table[m.id]
            m.flags.discard("fuzzy")
            filled += 1
    po.fuzzy = False
    with path.open("wb") as fh:
        write_po(fh, po, width=100, no_location=True, sort_output=True)
    print(f"{lang}: {filled} filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
