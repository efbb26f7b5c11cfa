"""A reason's «слова:» quotes the turn's own words. Keywords match by lemma stem, so the
codebook's «прийти еще раз» matched «Пришлось ещё раз …» (lemma «прийтись») and the reason
claimed words the coder could not find in the passage."""

from __future__ import annotations

from pathlib import Path

from qualtool.autocode import suggest as autocode
from qualtool.autocode.candidate import said_keywords
from qualtool.autocode.lexical import Evidence, Matcher, tokens
from qualtool.domain import reason as why
from qualtool.files.codebook import load_codebook as load_codebook_file
from qualtool.i18n import set_language
from qualtool.nlp import analyzer

REPO = Path(__file__).resolve().parents[2]
TURN = "Пришлось ещё раз идти в ЦОН, документы не приняли."


def test_a_suggestions_reason_quotes_the_turns_words() -> None:
    scorer = autocode.Scorer(load_codebook_file(REPO / "codebooks" / "barriers.yml"))
    found = {p.code_id: p for p in scorer.propose(1, TURN, 0.0)}
    assert "BUR.REPEAT_VISIT" in found, sorted(found)
    set_language("ru")
    shown = why.render(found["BUR.REPEAT_VISIT"].reason)
    assert "слова: Пришлось ещё раз" in shown, shown
    assert "прийти" not in shown and "еще" not in shown, shown
    for p in found.values():  # every quoted word is in the turn
        words = why.decode(p.reason)
        said = [v["words"] for part in words or [] for mid, v in part if mid == why.WORDS]
        for word in ", ".join(said).replace(" … ", ", ").split(", ") if said else []:
            assert word in TURN, (p.code_id, word)


def test_words_apart_are_joined_by_an_ellipsis_and_a_word_is_quoted_once() -> None:
    matcher = Matcher(load_codebook_file(REPO / "codebooks" / "barriers.yml"))
    text = "Пришлось, знаете, ещё раз туда."
    lemmas = [t.lemma for t in tokens(analyzer("ru"), text) if t.is_word]
    ev = matcher.score(lemmas)["BUR.REPEAT_VISIT"]
    assert "прийти еще раз" in ev.keywords and "раз" in ev.keywords
    assert said_keywords(ev, text, 0, len(text)) == ["Пришлось … ещё раз"]


def test_evidence_without_stems_or_text_shows_the_keywords() -> None:
    ev = Evidence(keywords=["очередь"])
    assert said_keywords(ev, "Стояла в очереди", 0, 16) == ["очередь"]
    assert said_keywords(Evidence(keywords=["очередь"], stems=[("очере",)]), None) == ["очередь"]
