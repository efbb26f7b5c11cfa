"""The n-gram reader of the bank (qualtool/autocode/grams.py): the shipped model, its fast
path against its definition, and what it adds to a run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qualtool.autocode import grams as G
from qualtool.autocode.bank import shipped_bank
from qualtool.autocode.lexical import tokens
from qualtool.autocode.scoring import Scorer
from qualtool.domain import Codebook
from qualtool.domain import reason as why
from qualtool.files.codebook import load_codebook
from qualtool.i18n import set_language
from qualtool.nlp import analyzer

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "codebooks" / "barriers.yml"


def _lemmas(text: str) -> list[str]:
    return [t.lemma for t in tokens(analyzer("ru"), text) if t.is_word]


@pytest.fixture(scope="module")
def model() -> G.GramModel:
    m = G.shipped_model()
    assert m is not None, "qualtool/autocode/data/barriers.grams.npz is missing"
    return m


def test_the_shipped_model_reads_every_code_of_the_bank(model: G.GramModel) -> None:
    assert set(model.codes) == set(shipped_bank().passages)
    classes = len(model.codes) + 1  # and "no barrier"
    assert model.gram_weights.shape == (len(model.grams), classes)
    assert model.stem_weights.shape == (len(model.stems), classes)
    assert model.bias.shape == (classes,)
    assert len(model.grams) > 5000 and len(model.stems) > 1000


def test_the_fast_path_is_the_definition(model: G.GramModel) -> None:
    """`probabilities` sums cached per-lemma rows; the fit reads `passage_features`. Both must
    be the same model, or the shipped weights are read against other inputs."""
    texts = ["Очередь была на весь коридор, стояли три часа.",
             "Нет, всё по-человечески было.",
             "Портал опять не работал, ЭЦП не принимал, не принимал.",
             "Ок."]  # fmt: skip
    lemma_lists = [_lemmas(t) for t in texts]
    fast = model.probabilities(lemma_lists)
    weights = np.vstack([model.gram_weights, model.stem_weights]).astype(np.float64)
    for row, lemmas in zip(fast, lemma_lists, strict=True):
        feats = G.passage_features(lemmas, model.grams, model.idf, model.stems)
        logits = model.bias.astype(np.float64).copy()
        for col, value in feats.items():
            logits += value * weights[col]
        p = np.exp(logits - logits.max())
        p /= p.sum()
        np.testing.assert_allclose(row, p[: len(model.codes)], atol=1e-5)
    # the per-run lemma cache gives the same answer one passage at a time, in another order
    again = np.vstack([model.probabilities([x]) for x in reversed(lemma_lists)])[::-1]
    np.testing.assert_allclose(again, fast, atol=1e-6)


def test_a_word_form_no_bank_passage_has_still_counts(model: G.GramModel) -> None:
    """«очередище», «портальчик»: no bank writer used them; their n-grams did."""
    known = {x for lemmas in shipped_bank().lemmas.values() for x in lemmas}
    for text, code in (("Очередища была на весь коридор.", "ACC.QUEUE"),
                       ("Портальчик опять лежал весь день.", "TECH.OUTAGE")):  # fmt: skip
        lemmas = _lemmas(text)
        assert lemmas[0] not in known
        p = model.probabilities([lemmas])[0]
        assert model.codes[int(np.argmax(p))] == code
        assert p.max() > 0.5


def test_word_grams_cut_like_char_wb() -> None:
    assert G.word_grams("ход") == [" хо", "ход", "од ", " ход", "ход ", " ход "]
    assert G.shaped_words(["не", "за", "очередь", "очередь"]) == ["очередь", "очередь"]


def test_a_sentence_without_a_word_vector_is_still_read() -> None:
    """«Нет, всё по-человечески было.» holds no word navec knows, so the run used to score it by
    the codebook's words alone and never found POS.NONE; the n-gram reader does."""
    set_language("en")
    scorer = Scorer(load_codebook(SHIPPED))
    units = scorer.sentences_of("Нет, всё по-человечески было.", "ru",
                                "А с деньгами вас не обманывали?")  # fmt: skip
    [found] = scorer.score_batch(units, floor=0.10)[:1]
    codes = [c.code_id for c in found]
    assert codes and codes[0] == "POS.NONE"
    best = found[0]
    assert not best.semantic and best.features["grams"] > 0.3
    text = why.render(best.reason_data())
    assert "word forms" in text and "lexical only" not in text


def test_a_study_that_reuses_an_id_for_another_meaning_gets_nothing_from_it() -> None:
    shipped = load_codebook(SHIPPED)
    medicines = replace(shipped.get("ACC.QUEUE"), label_ru="Нет лекарств в аптеке",
                        definition="Нужного лекарства не было в наличии.")  # fmt: skip
    codes = tuple(medicines if c.id == "ACC.QUEUE" else c for c in shipped.codes)
    scorer = Scorer(Codebook(shipped.name, codes))
    assert scorer.grams is not None
    column = dict(zip(scorer.grams.codes, scorer.gram_columns.tolist(), strict=True))
    assert column["ACC.QUEUE"] == -1
    assert column["TECH.OUTAGE"] == scorer.position["TECH.OUTAGE"]
    units = scorer.sentences_of("Очередища была на весь коридор.", "ru")
    f, _ = scorer._matrices(units)
    assert f["grams"][0, scorer.position["ACC.QUEUE"]] == 0.0


def test_the_model_file_is_written_the_same_every_time(model: G.GramModel) -> None:
    """Refitting an unchanged bank must not show as a change in git."""
    shipped = (REPO / "qualtool" / "autocode" / "data" / G.MODEL_FILE).read_bytes()
    assert G.save(G.load(shipped)) == shipped
    assert G.save(model) == shipped
