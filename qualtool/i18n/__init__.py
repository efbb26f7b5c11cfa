"""One message catalogue for everything a user reads (TUI and CLI), through gettext.

Source strings are English; the Russian catalogue is the default for Russian studies. A
translator adds a language (Kazakh …) as a new `.po` file under `locale/`, with no code change.
Every module that shows text imports `_` from here and wraps its literals: `_("Codebook")`.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str) -> None:
    """Switch the catalogue; an unknown language falls back to the English source strings."""
    global _translations
    _translations = gettext.NullTranslations() if language == "en" else _load(language)


def _load(language: str) -> gettext.NullTranslations:
    # filled in by the catalogue work (#15): compiled from locale/<lang>/LC_MESSAGES/qualtool.po
    return gettext.NullTranslations()


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)
