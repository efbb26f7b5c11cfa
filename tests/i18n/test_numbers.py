"""Numbers with a fraction in the interface language: «0,42» in Russian, «0.42» in English,
rounded as Python rounds them (the digits earlier releases showed)."""

from __future__ import annotations

from qualtool.i18n import set_language
from qualtool.i18n.numbers import decimal, fmt


def test_russian_writes_a_comma_english_a_point() -> None:
    set_language("ru")
    assert (decimal(0.4199), decimal(91.666, 1), decimal(-0.125, 3)) == ("0,42", "91,7", "-0,125")
    assert fmt("{s:.1f}× · {k:>6.3f} · {p:.1%} · {n}", s=1.75, k=0.625, p=0.4234, n=3) == (
        "1,8× ·  0,625 · 42,3% · 3"
    )
    set_language("en")
    assert (decimal(0.4199), decimal(91.666, 1)) == ("0.42", "91.7")
    assert fmt("{s:.1f}× · {k:>6.3f} · {n}", s=1.75, k=0.625, n=3) == "1.8× ·  0.625 · 3"


def test_a_given_language_and_no_grouping() -> None:
    set_language("en")
    assert decimal(1234.5, 1, "ru") == "1234,5"  # a CLI column keeps its width: no «1 234»
    assert decimal(2.675, 2) == f"{2.675:.2f}"  # Python's rounding, not babel's half-even
