"""A suggestion's reason is stored without a language and read in the viewer's: auto-coding run
by an English-speaking colleague reads in Russian for a Russian coder (and back); reasons
stored as text before keep showing as they are."""

from __future__ import annotations

import json

import pytest

from qualtool.autocode.candidate import Candidate
from qualtool.autocode.lexical import Evidence
from qualtool.domain import reason as why
from qualtool.i18n import set_language


def candidate(**kw: object) -> Candidate:
    args: dict[str, object] = dict(
        code_id="ACC.QUEUE", start=0, end=10, probability=0.7, base=0.7,
        features={"lex": 1.04, "example": 0.6149, "definition": 0.4, "exclusion": 0.125,
                  "decided": 0.5},
        lexical=Evidence(keywords=["очередь", "очередь", "ждать"], weak=2),
        example=("coded", "стояла в очереди " * 6, 0.605), semantic=True, excluded=["запись"],
    )  # fmt: skip
    args.update(kw)
    return Candidate(**args)  # type: ignore[arg-type]


def test_stored_without_a_language_read_in_the_viewers() -> None:
    set_language("ru")  # the colleague who ran auto-coding speaks Russian…
    stored = candidate().reason_data()
    assert not any(w in stored for w in ("слова", "похоже", "смысл", "команда"))
    assert json.loads(stored)[0] == [["words: {words}", {"words": "очередь, ждать"}]]
    set_language("en")  # …the coder reading it English
    en = why.render(stored)
    assert en == (
        "words: очередь, ждать; like team coding «" + why.excerpt("стояла в очереди " * 6)
        + "» (0.60); the team coded passages like this with this code; lexical 1.0 · "
        "meaning 0.61/0.40 · exclusion −0.12 · exclusion criteria: запись"
    )  # fmt: skip
    set_language("ru")
    ru = why.render(stored)
    assert ru.startswith("слова: очередь, ждать; похоже на кодировку команды «стояла")
    assert "смысл: пример 0,61, определение 0,40" in ru


@pytest.mark.parametrize("weak", [1, 2, 5])
def test_counted_and_plain_pieces(weak: int) -> None:
    c = candidate(lexical=Evidence(keywords=[], weak=weak), example=None, semantic=False,
                  excluded=[], features={"lex": 0.3})  # fmt: skip
    set_language("ru")
    forms = {1: "1 слово", 2: "2 слова", 5: "5 слов"}
    assert why.render(c.reason_data()) == (
        f"{forms[weak]} из его определения; совпадение слов 0,3 · только по словам (ни у одного слова нет "
        "вектора)"
    )
    set_language("en")
    assert c.reason() == why.render(c.reason_data())
    assert c.reason().startswith(f"{weak} word")


def test_old_and_damaged_reasons_show_as_they_are() -> None:
    set_language("ru")
    for stored in ("words: справка; lexical 1.0", "слова: справка", "[[oops", "[[1, 2]]", ""):
        assert why.render(stored) == stored
    unknown = why.encode([[why.piece("a newer part {x}", x=3)], [why.piece("{missing}")]])
    assert why.render(unknown) == "a newer part 3; {missing}"


def test_map_text_reaches_only_the_quoted_text() -> None:
    stored = candidate().reason_data()
    out = why.map_text(stored, lambda t: t.replace("очеред", "X"))
    assert "очеред" not in out and "words: {words}" in out and why.decode(out) is not None
    assert why.map_text("Ерлан: words", str.upper) == "ЕРЛАН: WORDS"


def test_a_quoted_passage_is_cut_after_a_whole_word() -> None:
    text = "Каждый раз я вынуждена предоставлять справку, что я многодетная мать и документы"
    cut = why.excerpt(text)
    assert cut.endswith("…") and len(cut) <= why.EXCERPT + 1
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "  # ends at a word's end
    assert why.excerpt("Коротко.") == "Коротко."
