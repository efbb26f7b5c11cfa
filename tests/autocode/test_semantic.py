"""Semantic suggestions: navec sentence vectors, code profiles taught by the team's decisions,
exclusion criteria, calibrated scores with reasons, and the Kazakh fallback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qualtool.autocode import semantic
from qualtool.autocode.calibrate import Calibrator, fit, sigmoid
from qualtool.autocode.candidate import KAZAKH_NOTE
from qualtool.autocode.lexical import Matcher, specificity, stem, word_spread
from qualtool.autocode.profiles import NEGATED, content_stems
from qualtool.autocode.scoring import Scorer
from qualtool.domain import Codebook
from qualtool.files.codebook import load_codebook

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(REPO / "codebooks" / "barriers.yml")


def prob(scorer: Scorer, text: str, code: str) -> float:
    return max((c.probability for c in scorer.candidates(text) if c.code_id == code), default=0.0)


def test_navec_comes_from_natasha_and_loads_once(codebook: Codebook) -> None:
    Scorer(codebook)
    Scorer(codebook)
    assert semantic.navec_model() is not None
    assert semantic.navec_model.cache_info().currsize == 1
    emb = semantic.Embedder()
    near = emb.sentence(["портал", "зависать"])
    far = emb.sentence(["погода", "дождливый"])
    close = emb.sentence(["сайт", "тормозить"])
    assert near is not None and far is not None and close is not None
    assert float(near @ close) > float(near @ far)
    assert abs(float(np.linalg.norm(near)) - 1.0) < 1e-4


def test_service_terms_navec_lacks_get_the_meaning_of_their_gloss() -> None:
    emb = semantic.Embedder()
    assert emb.model is not None and "цон" not in emb.model  # the gap the glosses fill
    con, centre, weather = emb.word("цон", "ЦОН"), emb.word("центр"), emb.word("погода")
    assert con is not None and centre is not None and weather is not None
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    assert cos(con, centre) > cos(con, weather)
    assert emb.word("ЦОН".lower(), "ЦОН") is con  # looked up once, then cached
    assert emb.word("кракозябра") is None  # an unknown word with no gloss still has none


def test_a_word_after_ne_is_its_own_feature() -> None:
    plain = content_stems(["врач", "грубить"])
    denied = content_stems(["врач", "не", "грубить"])
    assert stem("грубить") in plain and stem("грубить") not in denied
    assert NEGATED + stem("грубить") in denied and stem("врач") in denied


def test_score_is_a_probability_with_its_reasons(codebook: Codebook) -> None:
    scorer = Scorer(codebook)
    cands = sorted(scorer.candidates("Портал постоянно зависал, меня выбрасывало из системы."),
                   key=lambda c: -c.probability)  # fmt: skip
    top = cands[0]
    assert top.code_id == "TECH.OUTAGE" and 0.5 < top.probability < 1.0
    reason = top.reason()
    assert "words: " in reason and "like example «" in reason and "meaning" in reason
    assert all(0.0 <= c.probability <= 1.0 for c in cands)
    # only the codebook's leaves are proposed, never the grouping parents
    assert not {c.code_id for c in cands} & {"TECH", "BUR", "ACC"}


def test_team_codings_teach_by_example_and_rejections_push_away(codebook: Codebook) -> None:
    text = "Мама в свои семьдесят не понимает, куда нажимать в приложении."
    base = Scorer(codebook)
    taught = Scorer(codebook, accepted=[
        ("ACC.DIGITAL_DIVIDE", "Бабушке восемьдесят лет, с телефоном она еле справляется.")])  # fmt: skip
    assert prob(taught, text, "ACC.DIGITAL_DIVIDE") > prob(base, text, "ACC.DIGITAL_DIVIDE")
    near = "Окно работает только до обеда, а после обеда всё закрыто."
    refused = Scorer(codebook, rejected=[
        ("STAFF.SHORTAGE", "Окно работает только до обеда, потом закрыто.")])  # fmt: skip
    assert prob(refused, near, "STAFF.SHORTAGE") < prob(base, near, "STAFF.SHORTAGE") / 2
    assert prob(refused, near, "ACC.SCHEDULE") == pytest.approx(prob(base, near, "ACC.SCHEDULE"))
    why = next(c for c in refused.candidates(near) if c.code_id == "STAFF.SHORTAGE").reason()
    assert "the team refused passages like this for this code" in why


def test_a_refused_keyword_loses_weight_for_its_code_only(codebook: Codebook) -> None:
    """Refusing «район» for remote areas three times stops that false alarm elsewhere too,
    while the same word keeps its weight for the codes nobody refused."""
    refusals = [("ACC.TERRITORIAL", f"В нашем районе {x}.") for x in
                ("новый парк открыли", "дороги отремонтировали", "школу построили")]  # fmt: skip
    plain, taught = Matcher(codebook), Matcher(codebook, rejected=refusals)
    lemmas = [t.lemma for t in plain.ana.tokens("Живу в районе возле рынка.") if t.is_word]
    before, after = plain.score(lemmas), taught.score(lemmas)
    assert after["ACC.TERRITORIAL"].score < 0.5 * before["ACC.TERRITORIAL"].score
    assert {k: v.score for k, v in after.items() if k != "ACC.TERRITORIAL"} == {
        k: v.score for k, v in before.items() if k != "ACC.TERRITORIAL"}  # fmt: skip


def test_keywords_everybody_says_count_for_little(codebook: Codebook) -> None:
    """In a study where «год» is in every other segment, it is weak evidence for re-supplying
    documents «every year»; a specific word («ежегодно») keeps its full weight."""
    docs = [["год", "работать"]] * 150 + [["ежегодно"]] * 2 + [["справка"]] * 148
    spread = word_spread(docs)
    assert specificity((stem("год"),), spread) < 0.4
    assert specificity((stem("ежегодно"),), spread) == 1.0
    assert word_spread(docs[:50]) == {}  # a small study says nothing about spread


def test_exclusion_criteria_lower_the_score(codebook: Codebook) -> None:
    text = "Регламентный срок превысили на две недели."
    plain = tuple(replace(c, exclusion=None) if c.id == "TIME.LONG_NORM" else c
                  for c in codebook.codes)  # fmt: skip
    without = Scorer(replace(codebook, codes=plain))
    with_excl = Scorer(codebook)
    assert prob(with_excl, text, "TIME.LONG_NORM") < prob(without, text, "TIME.LONG_NORM")
    cand = next(c for c in with_excl.candidates(text) if c.code_id == "TIME.LONG_NORM")
    assert "exclusion criteria: превышение" in cand.reason()


def test_kazakh_turns_fall_back_to_lexical_and_say_so(codebook: Codebook) -> None:
    scorer = Scorer(codebook)
    cands = scorer.candidates("Порталда өтінішім жүктелмеді, ЭЦП қате берді.")
    assert cands and all(not c.semantic for c in cands)
    assert all(KAZAKH_NOTE in c.reason() for c in cands)
    assert any(c.code_id == "TECH.AUTH" for c in cands)
    # a Russian turn of a recording marked Kazakh is treated as Kazakh too
    assert all(not c.semantic for c in scorer.candidates("Портал завис.", "kk"))


def test_per_code_offsets_learned_from_decisions_only_sink_a_code() -> None:
    cal = Calibrator()
    cal.learn(
        [("A", 0.7, False)] * 8 + [("B", 0.3, True)] * 8 + [("C", 0.6, True), ("C", 0.6, False)]
    )
    # a mostly rejected code sinks; a mostly accepted one is lifted by its codings (the
    # `coded` features), not by an offset as well
    assert cal.offsets["A"] < 0
    assert cal.offsets["B"] == 0.0
    assert cal.threshold("A", 0.5) > 0.5 == cal.threshold("B", 0.5)
    feats = {"lex": 1.0, "lex_top": 1.0}
    assert cal.probability("A", feats, False) < cal.probability("Z", feats, False)
    assert cal.probability("B", feats, False) == cal.probability("Z", feats, False)
    # few decisions move a code less than many
    few = Calibrator()
    few.learn([("A", 0.7, False)] * 2)
    assert cal.offsets["A"] < few.offsets["A"] < 0


def test_fit_recovers_a_separating_weight() -> None:
    rows = [{"x": v} for v in np.linspace(-2, 2, 40)]
    labels = [r["x"] > 0 for r in rows]
    model = fit(rows, labels, ("x",))
    assert model.weights[0] > 1.0
    assert sigmoid(model.raw({"x": 1.5})) > 0.8 > 0.2 > sigmoid(model.raw({"x": -1.5}))


def test_many_passages_at_once_are_each_passage_alone() -> None:
    """`Embedder.sentences` (the bank's ten thousand passages, by a table of word rows) gives
    what `sentence` gives one passage at a time: a word navec knows only by its written form
    is found by the form it has where it is first met, a passage of stop words has none."""
    emb = semantic.Embedder(idf={"справка": 2.0, "цон": 3.0})
    texts = [
        (["справка", "в", "цон"], ["справки", "в", "ЦОНе"]),
        (["и", "в", "на"], ["и", "в", "на"]),
        (["справка", "нотариус", "справка"], ["справку", "нотариуса", "справке"]),
        (["портал", "егов"], []),  # no written forms: lemmas alone
    ]
    many = emb.sentences(texts * 100)
    assert many[1] is None
    for k, (lemmas, forms) in enumerate(texts * 100):
        alone = semantic.Embedder(idf=emb.idf).sentence(lemmas, forms)
        if alone is None:
            assert many[k] is None
        else:
            assert many[k] is not None and np.allclose(many[k], alone, atol=1e-6)
