"""What the semantic scorer reads beyond averaged word vectors: negation and praise, the
direction all sentences share, the team's own codings, and one best sentence per code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qualtool.autocode.polarity import denial, leanings, praise
from qualtool.autocode.scoring import WINDOW_MARGIN, Scorer
from qualtool.domain import Codebook
from qualtool.files.codebook import load_codebook
from qualtool.nlp import analyzer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(REPO / "codebooks" / "barriers.yml")


@pytest.fixture(scope="module")
def scorer(codebook: Codebook) -> Scorer:
    return Scorer(codebook)


def lemmas(text: str) -> list[str]:
    return [t.lemma for t in analyzer("ru").tokens(text) if t.is_word]


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("Никаких проблем с порталом не было.", True),
        ("Трудностей не возникло, всё прошло гладко.", True),
        ("Оформили без всякой бюрократии.", True),
        ("Очередь почти не двигается.", False),  # «не» near a queue is no denial
        ("Проблема так и не решилась.", False),
        ("Проблемы были с самого начала.", False),
        ("Ни разу не было, чтобы ЭЦП не срабатывала.", True),  # it never happened that…
        ("Не было такого, чтобы нам отказали.", True),
        ("Не было возможности, чтобы прийти утром.", False),  # a complaint, not a denial
        ("Нужно было, чтобы все документы были заверены.", False),
        ("Ни разу не было, чтоб не доплатили.", True),  # «чтоб» is «чтобы»
        ("Нет, всё по-человечески было.", True),
        ("Тут уж не жалуюсь.", True),
        ("С пенсией никаких вопросов.", True),
        ("Этого нет.", True),
        ("Нет, не было.", True),  # a bare answer to «а взятку просили?»
        ("Нет.", False),  # to «удобно было?» it is a complaint: the question decides
        ("Этого нет в перечне, а требуют.", False),
        ("Не всё хорошо было.", False),
        ("Проблем не было, но очередь огромная.", False),  # a complaint follows
        ("Всё хорошо, только ждать долго.", False),
        ("У меня вопрос по справке.", False),
    ],
)
def test_denied_problems(text: str, denied: bool) -> None:
    assert denial(lemmas(text)) == (1.0 if denied else 0.0)


def test_praise_unless_negated() -> None:
    assert praise(lemmas("Очень удобно и быстро, сотрудники вежливые.")) == 1.0
    assert praise(lemmas("Было не очень удобно.")) == 0.0
    assert praise(lemmas("Какое там удобно, стульев не хватает.")) == 0.0
    assert praise(lemmas("Документы лежали месяцами.")) == 0.0
    assert praise(lemmas("В акимате ребята хорошие, помогли.")) > 0
    assert praise(lemmas("Там не очень хорошие условия.")) == 0.0


def test_a_denial_speaks_for_no_barrier_and_praise_for_praise(scorer: Scorer) -> None:
    """The barrier codebook keeps «no barrier» apart from «praise»: each positive code's own
    texts say which tone it takes."""
    n, p = scorer.position["POS.NONE"], scorer.position["POS.PRAISE"]
    assert (scorer.denial_lean[n], scorer.praise_lean[n]) == (1.0, 0.0)
    assert (scorer.denial_lean[p], scorer.praise_lean[p]) == (0.0, 1.0)
    barrier = scorer.position["ACC.QUEUE"]
    assert scorer.denial_lean[barrier] == scorer.praise_lean[barrier] == 0.0


def test_a_positive_code_without_tone_in_its_texts_takes_both() -> None:
    assert leanings([lemmas("Услуга оказана.")]) == (1.0, 1.0)
    assert leanings([lemmas("Никаких проблем не было.")]) == (1.0, 0.0)


def top(scorer: Scorer, text: str) -> str:
    return max(scorer.candidates(text), key=lambda c: c.probability).code_id


def test_a_denied_barrier_is_no_barrier(scorer: Scorer) -> None:
    """«препятствие» is a barrier word; «никаких препятствий не было» is POS.NONE."""
    text = "Лично у меня никаких препятствий и бюрократии не было, всё прошло спокойно."
    cands = {c.code_id: c.probability for c in scorer.candidates(text)}
    assert top(scorer, text) == "POS.NONE"
    barriers = [p for code, p in cands.items() if not code.startswith("POS.")]
    assert max(barriers, default=0.0) < cands["POS.NONE"] / 2


def test_praise_goes_to_the_positive_code(scorer: Scorer) -> None:
    assert top(scorer, "Сотрудница была очень вежливая, всё сделали быстро, спасибо ей.") == (
        "POS.PRAISE"
    )


def test_common_component_is_taken_out_of_every_vector(scorer: Scorer) -> None:
    u = scorer.common
    assert u is not None and abs(float(np.linalg.norm(u)) - 1.0) < 1e-4
    p = scorer.profiles
    for m in (p.definition, p.ex_vectors):
        assert np.abs(m @ u).max() < 1e-4


def test_team_codings_are_a_feature_of_their_own(codebook: Codebook) -> None:
    text = "Бабушка не понимает, что нажимать в телефоне, всё делает внучка."
    cold = Scorer(codebook)
    taught = Scorer(codebook, accepted=[
        ("ACC.DIGITAL_DIVIDE", "Дедушка с телефоном не дружит, заявку за него подаёт сын.")])  # fmt: skip

    def feature(s: Scorer, name: str) -> float:
        cand = next(c for c in s.candidates(text) if c.code_id == "ACC.DIGITAL_DIVIDE")
        return cand.features[name]

    assert feature(cold, "coded") == 0.0
    assert feature(taught, "coded") > 0.3
    best = next(c for c in taught.candidates(text) if c.code_id == "ACC.DIGITAL_DIVIDE")
    assert "like team coding «Дедушка с телефоном" in best.reason()


def test_best_keeps_each_codes_best_sentence(scorer: Scorer) -> None:
    text = ("Сначала всё было нормально. Потом портал завис и выбросил меня из системы. "
            "А в ЦОНе очередь на три часа.")  # fmt: skip
    every = scorer.candidates(text)
    best = {c.code_id: c for c in scorer.best(text, 0.0)}
    for code in {c.code_id for c in every}:
        top_p = max(c.probability for c in every if c.code_id == code)
        if code in best and top_p >= 0.15:  # below the queue floor, a sentence keeps only
            # its three best codes; a window is preferred only when clearly likelier
            assert best[code].probability >= top_p - WINDOW_MARGIN - 1e-9
    outage = best["TECH.OUTAGE"]
    assert text[outage.start : outage.end].startswith("Потом портал завис")
    assert text[best["ACC.QUEUE"].start : best["ACC.QUEUE"].end].startswith("А в ЦОНе")


def test_word_affinities_for_a_batch_of_new_words(scorer: Scorer) -> None:
    """One matrix product per batch: a code's own word is 1 for that code, an unrelated word
    0 for it."""
    assert scorer.embedder is not None
    words = [scorer.embedder.word(w) for w in ("взятка", "погода")]
    assert all(w is not None for w in words)
    unit = np.array([w / np.linalg.norm(w) for w in words if w is not None])
    aff = scorer.profiles.affinities(unit)
    bribe = scorer.profiles.codes.index("CORR.INFORMAL_PAYMENT")
    assert aff.shape == (2, len(scorer.profiles.codes))
    assert aff[0, bribe] == pytest.approx(1.0, abs=1e-4)
    assert aff[1, bribe] < 0.5


def test_a_short_answer_takes_its_subject_from_the_question(scorer: Scorer) -> None:
    """«Да, часа три.» names no barrier; after «А очереди были?» it is about the queue, and the
    reason says so."""
    question = "А очереди в ЦОНе были?"
    best = max(scorer.candidates("Да, часа три.", context=question), key=lambda c: c.probability)
    assert best.code_id == "ACC.QUEUE"
    assert best.features["question_words"] > 0
    assert "a short answer to a question about it" in best.reason()
    alone = {c.code_id: c.probability for c in scorer.candidates("Да, часа три.")}
    assert best.probability > alone.get("ACC.QUEUE", 0.0) + 0.1


def test_a_short_no_to_a_barrier_question_denies_it(scorer: Scorer) -> None:
    found = {c.code_id: c for c in scorer.candidates("Нет, взятку не просили.",
                                                     context="А взятку просили?")}  # fmt: skip
    assert found["POS.NONE"].features["question_denied"] == 1.0
    assert "a short «no» to a question about a barrier" in found["POS.NONE"].reason()
    bribe = found.get("CORR.INFORMAL_PAYMENT")
    assert bribe is None or bribe.probability < found["POS.NONE"].probability
