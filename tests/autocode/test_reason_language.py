"""The "why" of a suggestion is read by coders in their interface language."""

from __future__ import annotations

from qualtool.autocode.candidate import Candidate
from qualtool.autocode.lexical import Evidence
from qualtool.i18n import set_language


def _candidate() -> Candidate:
    return Candidate("ACC.QUEUE", 0, 10, 0.7, 0.7, {"lex": 1.0, "example": 0.61, "definition": 0.4},
                     Evidence(keywords=["очередь"], weak=2), ("coded", "стояла в очереди", 0.61),
                     semantic=True, excluded=[])  # fmt: skip


def test_reason_in_russian_and_english() -> None:
    set_language("ru")
    ru = _candidate().reason()
    assert ru.startswith("слова: очередь; похоже на кодировку команды «стояла в очереди» (0,61)")
    assert "смысл: пример 0,61, определение 0,40" in ru
    set_language("en")
    en = _candidate().reason()
    assert en.startswith("words: очередь; like team coding «стояла в очереди» (0.61)")
