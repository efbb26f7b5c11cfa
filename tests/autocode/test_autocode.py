"""Auto-coding: suggestions with reasons, the review queue, and quality on the gold fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from qualtool.autocode import suggest as autocode
from qualtool.domain import Provenance
from qualtool.domain.errors import InvalidInput
from qualtool.files.codebook import load_codebook as load_codebook_file
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import codings_for_segment
from qualtool.workspace.study import Workspace

REPO = Path(__file__).resolve().parents[2]
TURNS = [
    ("I", "Как прошло получение услуги?"),
    ("R01", "Сначала всё хорошо. Потом потребовали дополнительные справки, которых нет в перечне."),
    ("R01", "Портал постоянно зависал, меня выбрасывало из системы."),
    ("R01", "Погода была дождливая."),
]


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    return empty_study


def pending(ws: Workspace) -> dict[tuple[int, str], sug_store.Suggestion]:
    return {(s.segment_id, s.code_id): s for s in sug_store.queue(ws.db)}


def test_suggestions_point_at_the_sentence_with_reasons(ws: Workspace) -> None:
    n = autocode.suggest(ws.db, load_codebook(ws.db))
    queue = sug_store.queue(ws.db)
    assert n == len(queue) > 0
    codes = {s.code_id for s in queue}
    assert {"BUR.EXTRA_DOCS", "TECH.OUTAGE"} <= codes
    extra = next(s for s in queue if s.code_id == "BUR.EXTRA_DOCS")
    assert extra.quote.startswith("Потом потребовали") and "Сначала" not in extra.quote
    assert extra.text[extra.start : extra.end] == extra.quote
    # the keyword «справка» quoted as the passage says it
    assert "words:" in extra.why and "справки" in extra.why and "meaning" in extra.why
    assert "справки" in extra.quote
    assert not any("Погода" in s.quote for s in queue)
    # nothing was coded behind the coder's back
    assert ws.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0


def test_review_queue_accept_reject_edit(ws: Workspace) -> None:
    autocode.suggest(ws.db, load_codebook(ws.db))
    queue = sug_store.queue(ws.db)
    first, second = queue[0], queue[1]
    coding = autocode.accept(ws.db, first.id, "anna", span=(first.start, first.start + 12))
    assert coding.provenance == Provenance.SUGGESTED and coding.coder_id == "anna"
    # the chosen span, widened to whole words
    picked = first.text[first.start : first.start + 12].strip()
    assert coding.quote.startswith(picked) and len(coding.quote) <= len(picked) + 20
    after = first.text[first.start + len(coding.quote) : first.start + len(coding.quote) + 1]
    assert not after.isalnum()
    assert codings_for_segment(ws.db, first.segment_id)[0].id == coding.id
    autocode.reject(ws.db, second.id, "anna")
    with pytest.raises(InvalidInput):
        autocode.accept(ws.db, second.id, "anna")
    # a re-run neither re-proposes the rejected one nor duplicates the accepted one
    autocode.suggest(ws.db, load_codebook(ws.db))
    again = pending(ws)
    assert (second.segment_id, second.code_id) not in again
    assert (first.segment_id, first.code_id) not in again
    counts = sug_store.counts(ws.db)
    assert (counts["accepted"], counts["rejected"], counts.get("pending", 0)) == (1, 1, len(again))


def test_accept_all_only_above_the_score(ws: Workspace) -> None:
    autocode.suggest(ws.db, load_codebook(ws.db))
    scores = sorted(s.score for s in sug_store.queue(ws.db))
    cut = scores[len(scores) // 2]
    n = autocode.accept_all(ws.db, "anna", cut)
    assert n == sum(1 for s in scores if s >= cut)
    assert all(s.score < cut for s in sug_store.queue(ws.db))


def test_gold_fixture_recall_and_precision() -> None:
    """Real respondents' quotes from the seed reports, none of them a codebook example: the
    right code is among the suggestions for at least 65 % of them, and at the accept threshold
    most suggestions are right. A regression guard on real speech (the training bank and the
    interview splits are written), not a held-out figure: some of these quotes are in the
    calibration fit. 0.72 / 0.70 when written (session 5); 0.68 / 0.66 since the bank's
    field-recording passages doubled (session 11: two borderline quotes fell under the queue
    floor while the blind written splits gained); bench/autocode.py has the rest."""
    scorer = autocode.Scorer(load_codebook_file(REPO / "codebooks" / "barriers.yml"))
    doc = YAML().load((REPO / "tests" / "data" / "gold_quotes.yml").read_text())
    gold = [*doc["quotes"], *doc["heldout"]]
    hit = wrong = 0
    for n, q in enumerate(gold):
        codes = {p.code_id for p in autocode.propose_for_text(scorer, n, q["text"])}
        hit += q["code"] in codes
        wrong += len(codes - {q["code"]})
    recall = hit / len(gold)
    assert recall >= 0.65, recall
    hit = wrong = 0
    for n, q in enumerate(gold):
        codes = {p.code_id for p in scorer.propose(n, q["text"], autocode.DEFAULT_ACCEPT)}
        hit += q["code"] in codes
        wrong += len(codes - {q["code"]})
    assert hit / max(hit + wrong, 1) >= 0.6, (hit, wrong)


def test_suggestions_learn_from_the_teams_codings(empty_study: Workspace) -> None:
    from qualtool.domain import Coding
    from qualtool.store.codings import add_coding

    ws = empty_study
    odd = "Флешку для подписи пришлось покупать за свои деньги, бюджет пострадал."
    add_text_recording(ws.db, "idi-a", [("R01", "Флешку для подписи купила за свои деньги.")])
    add_text_recording(ws.db, "idi-b", [("R02", odd)])
    autocode.suggest(ws.db, load_codebook(ws.db))
    before = {s.recording: s.score for s in sug_store.queue(ws.db) if s.code_id == "COST.HIDDEN"}
    sid = ws.db.execute("SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
                        "JOIN recordings r ON r.id = t.recording_id WHERE r.key = 'idi-a'").fetchone()[0]  # fmt: skip
    add_coding(ws.db, Coding(sid, "COST.HIDDEN", "anna", 0, 40, ""))
    autocode.suggest(ws.db, load_codebook(ws.db))
    learned = [s for s in sug_store.queue(ws.db) if s.code_id == "COST.HIDDEN"]
    assert [s.recording for s in learned] == ["idi-b"]
    assert learned[0].score > before.get("idi-b", 0.0)
    assert "team coding «Флешку" in learned[0].why
