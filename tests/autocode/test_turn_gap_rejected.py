"""A turn's second code loses log-odds to the turn's best code (calibrate.TURN_GAP), and its
reason says «another code fits this turn better». A code the coder rejected on that turn is
not that better code: it is never proposed there again, so it must not push the turn's other
codes down nor be named as the reason they trail."""

from __future__ import annotations

from qualtool.autocode import suggest as autocode
from qualtool.domain import reason as why
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Как с вами обошлись в ЦОНе?"),
    ("R01", "Пошёл в ЦОН. Там огромная очередь, я простоял почти три часа. "
            "Окон много, а работают только два."),
]  # fmt: skip


def turn_queue(ws: Workspace, segment: int) -> list[sug_store.Suggestion]:
    return [s for s in sug_store.queue(ws.db, limit=100_000) if s.segment_id == segment]


def test_a_rejected_code_does_not_make_the_others_second(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-x", TURNS)
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    codebook = load_codebook(ws.db)
    autocode.suggest(ws.db, codebook, threshold=0.0)
    top = max(turn_queue(ws, seg), key=lambda s: s.score)
    autocode.reject(ws.db, top.id, "anna")
    autocode.suggest(ws.db, codebook, threshold=0.0)
    rest = turn_queue(ws, seg)
    assert rest and top.code_id not in {s.code_id for s in rest}
    best = max(rest, key=lambda s: s.score)
    # the best code the coder has not refused is now the turn's best: nothing fits it better
    assert why.SECOND not in best.reason, (top.code_id, best.code_id, best.why)
