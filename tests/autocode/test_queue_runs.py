"""What a suggestion run leaves in the queue and what it reports: only suggestions that are
new or whose content changed are counted, and the pending queue of the segments a run scored is
exactly what that run found (an earlier run's low-score rest goes; decisions stay)."""

from __future__ import annotations

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.store.search_index import Filters
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Как прошло получение услуги?"),
    ("R01", "Сначала всё хорошо. Потом потребовали дополнительные справки, которых нет в перечне."),
    ("R01", "Портал постоянно зависал, меня выбрасывало из системы."),
    ("R01", "В ЦОНе была большая очередь, ждали два часа."),
    ("R01", "Погода была дождливая."),
]


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    add_text_recording(empty_study.db, "idi-y", TURNS)
    return empty_study


def pending(ws: Workspace, recording: str | None = None) -> dict[tuple[int, str], float]:
    return {(s.segment_id, s.code_id): s.score
            for s in sug_store.queue(ws.db, recording=recording, limit=100_000)}  # fmt: skip


def test_propose_counts_only_new_or_changed_rows(ws: Workspace) -> None:
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    rows = [{"segment_id": sid, "code_id": code, "start": 0, "end": 6, "quote": "Портал",
             "score": 0.5, "reason": "words: портал"} for code in ("TECH.OUTAGE", "TECH.AUTH")]  # fmt: skip
    assert sug_store.propose(ws.db, rows) == 2
    assert sug_store.propose(ws.db, rows) == 0
    rows[1] = {**rows[1], "score": 0.6}
    assert sug_store.propose(ws.db, rows) == 1


def test_a_second_run_over_the_same_study_reports_nothing_new(ws: Workspace) -> None:
    cb = load_codebook(ws.db)
    first = autocode.suggest(ws.db, cb)
    assert first == len(pending(ws)) > 0
    assert autocode.suggest(ws.db, cb) == 0


def test_a_run_leaves_exactly_what_it_found(ws: Workspace) -> None:
    cb = load_codebook(ws.db)
    autocode.suggest(ws.db, cb, threshold=0.0)
    low = {k: v for k, v in pending(ws, "idi-x").items() if v < autocode.DEFAULT_THRESHOLD}
    assert len(low) >= 2, "the threshold-0 run must list some low scores for this test"
    decided = sorted(low)[0]
    sug = next(s for s in sug_store.queue(ws.db) if (s.segment_id, s.code_id) == decided)
    autocode.reject(ws, sug.id, "anna")
    ws.save_layers()
    files = {p: p.read_bytes() for p in (ws.study.root / "codings").glob("*.json")}
    assert files  # anna's decision is in her layer file
    other = pending(ws, "idi-y")

    autocode.suggest(ws.db, cb, Filters(recording="idi-x"))
    after = pending(ws, "idi-x")
    assert all(score >= autocode.DEFAULT_THRESHOLD for score in after.values()), after
    assert not set(low) & set(after)
    assert pending(ws, "idi-y") == other  # not covered by that run: left as it was
    assert sug_store.get_suggestion(ws.db, sug.id).status == sug_store.REJECTED
    ws.save_layers()  # pending suggestions are not in the study's files: they stay as they were
    assert {p: p.read_bytes() for p in (ws.study.root / "codings").glob("*.json")} == files
    # the same run on a fresh queue finds the same
    ws.db.execute("DELETE FROM suggestions WHERE status = 'pending'")
    autocode.suggest(ws.db, cb, Filters(recording="idi-x"))
    assert pending(ws, "idi-x") == after


def test_a_passage_scores_the_same_whatever_else_a_run_looks_at(empty_study: Workspace) -> None:
    """Word statistics, speakers and the question before a turn come from the whole study: a
    run over one recording, or over one service, scores its passages as a full run does (it used to differ, and a rerun reported unchanged suggestions as updated)."""
    ws = empty_study
    add_text_recording(ws.db, "idi-x", TURNS, service="Пособие")
    other = [("I", "А документы?")] + [
        ("R02", f"Очередь в ЦОНе и портал, справки и очередь снова, день {n}.") for n in range(8)
    ]  # a second service whose words change the study's word statistics
    add_text_recording(ws.db, "idi-z", other, service="Справка о несудимости")
    cb = load_codebook(ws.db)
    autocode.suggest(ws.db, cb, threshold=0.01)
    full = pending(ws, "idi-x")
    assert full
    for scope in (Filters(recording="idi-x"), Filters(service="Пособие")):
        ws.db.execute("DELETE FROM suggestions")
        autocode.suggest(ws.db, cb, filters=scope, threshold=0.01)
        assert pending(ws, "idi-x") == full, scope
