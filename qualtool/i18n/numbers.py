"""Numbers with a fraction as the interface language writes them: «0,42» in Russian, «0.42» in
English — a suggestion's «why», agreement's % and κ, a transcription's speed, seconds.

Rounded as Python rounds them (`f"{x:.2f}"`, the digits every earlier release showed and the
tests pin), then written by babel with the locale's decimal sign and no grouping, so a column of
the CLI's tables keeps its width. Messages keep their `{x:.2f}` placeholders (the catalogue is
unchanged): `fmt` fills them through a formatter that writes floats so.
"""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from qualtool.i18n import SOURCE_LANGUAGE, current_language

_SPEC = re.compile(r"^(?P<align>[<>^]?)(?P<width>\d*)\.(?P<digits>\d+)(?P<kind>[f%])$")


def _locale(language: str | None) -> Locale:
    try:
        return Locale.parse(language or current_language())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def decimal(x: float, digits: int = 2, language: str | None = None) -> str:
    """`x` with `digits` after the decimal sign of `language` (default: the interface's)."""
    rounded = Decimal(f"{x:.{digits}f}")  # Python's rounding: the same digits as before
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(rounded, format=pattern, locale=_locale(language))


class _Localised(string.Formatter):
    """`str.format` whose `{x:.2f}` / `{x:5.1f}` / `{x:.1%}` write a float in the interface's
    language; every other field as `str.format` does."""

    def format_field(self, value: Any, format_spec: str) -> str:
        m = _SPEC.match(format_spec)
        if m is None or not isinstance(value, float | int) or isinstance(value, bool):
            return super().format_field(value, format_spec)
        percent = m["kind"] == "%"
        text = decimal(value * 100 if percent else value, int(m["digits"])) + (
            "%" if percent else ""
        )
        width = int(m["width"] or 0)
        align = m["align"] or ">"
        return {"<": text.ljust, ">": text.rjust, "^": text.center}[align](width)


_FORMATTER = _Localised()


def fmt(message: str, /, **values: Any) -> str:
    """`message.format(**values)`, its fractional numbers in the interface language."""
    return _FORMATTER.format(message, **values)
