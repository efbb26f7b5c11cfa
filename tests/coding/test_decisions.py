"""Suggestion decisions and adjudication are journaled services too: one undo takes each back
(the suggestion returns to the queue, the consensus coding or ruling goes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.coding import apply_codes, history
from qualtool.files import layer_format
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import load_codebook
from qualtool.team import agreement as agr
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Как вы получали услугу?"),
    ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
    ("R01", "Портал постоянно зависал, электронная подпись не срабатывала."),
]


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    return empty_study


def count(ws: Workspace, sql: str) -> int:
    return int(ws.db.execute(sql).fetchone()[0])


def test_accept_and_reject_are_undone(ws: Workspace) -> None:
    autocode.suggest(ws.db, load_codebook(ws.db))
    first, second = sug_store.queue(ws.db)[:2]
    autocode.accept(ws, first.id, "anna")
    assert count(ws, "SELECT count(*) FROM codings WHERE provenance = 'suggested'") == 1
    assert (ws.study.root / "codings" / "anna.json").exists()
    autocode.reject(ws, second.id, "anna")
    assert "reject" in history.undo(ws)
    assert sug_store.get_suggestion(ws.db, second.id).status == sug_store.PENDING
    assert "accept" in history.undo(ws)  # one entry: the coding and the decision
    assert sug_store.get_suggestion(ws.db, first.id).status == sug_store.PENDING
    assert count(ws, "SELECT count(*) FROM codings") == 0
    assert _empty_layer(ws.study.root / "codings" / "anna.json")  # kept, empty (git merges it)
    history.redo(ws)
    assert sug_store.get_suggestion(ws.db, first.id).status == sug_store.ACCEPTED
    assert count(ws, f"SELECT coding_id FROM suggestions WHERE id = {first.id}") > 0


def test_adjudication_and_consensus_are_undone(ws: Workspace) -> None:
    s1, s2 = [r[0] for r in ws.db.execute("SELECT id FROM segments WHERE idx > 0 ORDER BY idx")]
    apply_codes(ws, s1, (0, 38), ["BUR.REPEAT_VISIT"], "anna")
    apply_codes(ws, s1, (0, 38), ["BUR.REPEAT_VISIT"], "boris")
    apply_codes(ws, s2, (0, 24), ["TECH.OUTAGE"], "anna")
    apply_codes(ws, s1, (40, 74), ["BUR.EXTRA_DOCS"], "boris")
    assert agr.build_consensus(ws, by="lead") == 1
    assert "consensus" in history.undo(ws)  # the whole run is one action
    assert count(ws, "SELECT count(*) FROM codings WHERE coder_id = 'consensus'") == 0
    agr.adjudicate(ws, s2, "TECH.OUTAGE", True, "lead")
    agr.adjudicate(ws, s1, "BUR.EXTRA_DOCS", False, "lead", note="не то")
    assert count(ws, "SELECT count(*) FROM adjudications") == 1
    history.undo(ws)
    assert count(ws, "SELECT count(*) FROM adjudications") == 0
    history.undo(ws)
    assert count(ws, "SELECT count(*) FROM codings WHERE coder_id = 'consensus'") == 0
    assert _empty_layer(ws.study.root / "codings" / "consensus.json")
    history.redo(ws)
    history.redo(ws)
    assert count(ws, "SELECT count(*) FROM adjudications") == 1
    assert (ws.study.root / "codings" / "consensus.json").exists()


def _empty_layer(path: Path) -> bool:
    """A layer file left with no record stays, valid and empty: deleting it gave git a
    modify/delete conflict with a laptop that changed it."""
    return layer_format.parse(path.read_text(encoding="utf-8"), path.name).records == {}
