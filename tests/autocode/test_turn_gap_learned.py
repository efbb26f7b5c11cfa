"""A team's own habit with a turn's trailing codes: rejecting them makes the study's turn gap
steeper than the shipped one, accepting them flatter, and a few decisions move it less than
many (calibrate.Calibrator.learn_turn_gap, fed from the suggestions table by suggest's
scorer)."""

from __future__ import annotations

from collections import defaultdict

from qualtool.autocode import calibrate
from qualtool.autocode import suggest as autocode
from qualtool.autocode.calibrate import Calibrator
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace

SHIPPED = 0.2
# (score, the turn's best score, accepted?): trailing codes 0.4–0.6 behind a 0.95 best
TRAILING = [(0.4, 0.95), (0.5, 0.95), (0.3, 0.9), (0.6, 0.97), (0.45, 0.92)]


def _learned(decided: list[tuple[float, float, bool]]) -> float:
    cal = Calibrator(turn_gap=SHIPPED)
    cal.learn_turn_gap(decided)
    return cal.turn_gap


def test_rejected_trailing_codes_steepen_and_accepted_ones_flatten_the_gap() -> None:
    assert _learned([(s, top, False) for s, top in TRAILING * 6]) > SHIPPED + 0.2
    assert _learned([(s, top, True) for s, top in TRAILING * 6]) < SHIPPED - 0.1
    assert _learned([]) == SHIPPED
    # a turn's best code says nothing about trailing ones, whatever the coder did with it
    assert _learned([(0.95, 0.95, False), (0.9, 0.9, True)]) == SHIPPED


def test_few_decisions_move_it_less_than_many() -> None:
    few = _learned([(s, top, False) for s, top in TRAILING[:2]])
    many = _learned([(s, top, False) for s, top in TRAILING * 10])
    assert SHIPPED < few < many


TURNS = [
    ("I", "Расскажите, как вы получали справку."),
    ("R01", "Очередь была огромная, часа три стояли. Ну и пошлину там заплатил, немного."),
    ("I", "А с порталом как?"),
    ("R01", "Портал висел весь вечер, ключ ЭЦП не видел. Пришлось ехать в ЦОН."),
    ("I", "Как с вами разговаривали?"),
    ("R01", "Нагрубили, сказали не мешать. Ещё и справку лишнюю потребовали, которой в "
            "списке нет."),
    ("I", "Сроки соблюдали?"),
    ("R01", "Обещали за пять дней, сделали за месяц. И три раза ходил за одним и тем же."),
]  # fmt: skip


def _decide_trailing(ws: Workspace, accept: bool) -> int:
    """The coder decides every turn's trailing suggestions; returns how many."""
    codebook = load_codebook(ws.db)
    autocode.suggest(ws.db, codebook, threshold=0.0)
    by_turn: dict[int, list[sug_store.Suggestion]] = defaultdict(list)
    for s in sug_store.queue(ws.db, limit=100_000):
        by_turn[s.segment_id].append(s)
    trailing = [s.id for turn in by_turn.values()
                for s in sorted(turn, key=lambda s: -s.score)[1:]]  # fmt: skip
    if accept:
        autocode.accept_many(ws, trailing, "anna")
    else:
        autocode.reject_many(ws, trailing, "anna")
    return len(trailing)


def _study_gap(ws: Workspace) -> float:
    scorer = autocode.build_scorer(ws.db, load_codebook(ws.db), [], semantic=False)
    return scorer.calibrator.turn_gap


def test_a_study_whose_coder_rejects_second_codes_gets_a_steeper_gap(
    empty_study: Workspace,
) -> None:
    add_text_recording(empty_study.db, "idi-1", TURNS)
    assert _study_gap(empty_study) == calibrate.TURN_GAP  # nothing decided yet
    assert _decide_trailing(empty_study, accept=False) >= 2
    assert _study_gap(empty_study) > calibrate.TURN_GAP


def test_a_study_whose_coder_accepts_second_codes_gets_a_flatter_gap(
    empty_study: Workspace,
) -> None:
    add_text_recording(empty_study.db, "idi-1", TURNS)
    assert _decide_trailing(empty_study, accept=True) >= 2
    assert _study_gap(empty_study) < calibrate.TURN_GAP
