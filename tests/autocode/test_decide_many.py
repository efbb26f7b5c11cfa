"""Deciding several suggestions at once is all or nothing: one unknown or already decided id
among them changes nothing (no row, no file, no journal entry) and is named in one line; good
ids together are one journal action, so one undo brings them all back."""

from __future__ import annotations

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.cli.main import main
from qualtool.coding import undo
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Как прошло получение услуги?"),
    ("R01", "Потом потребовали дополнительные справки, которых нет в перечне."),
    ("R01", "Портал постоянно зависал, меня выбрасывало из системы."),
    ("R01", "В ЦОНе была большая очередь."),
]


@pytest.fixture
def ids(empty_study: Workspace) -> list[int]:
    """Three pending suggestions, one per respondent turn."""
    db = empty_study.db
    add_text_recording(db, "idi-x", TURNS)
    rows = []
    for idx, code in ((1, "BUR.EXTRA_DOCS"), (2, "TECH.OUTAGE"), (3, "ACC.QUEUE")):
        sid, text = db.execute("SELECT id, text FROM segments WHERE idx = ?", [idx]).fetchone()
        rows.append({"segment_id": sid, "code_id": code, "start": 0, "end": len(text) - 1,
                     "quote": text[:-1], "score": 0.5, "reason": "words: x"})  # fmt: skip
    sug_store.propose(db, rows)
    empty_study.save_layers()
    return [s.id for s in sug_store.queue(db)]


def state(ws: Workspace) -> tuple[object, ...]:
    """Everything a decision could change: statuses, codings, journal, the coder's file."""
    db = ws.db
    layer = sorted((ws.study.root / "codings").glob("*.json"))
    return (
        db.execute(
            "SELECT id, status, coder_id, coding_id FROM suggestions ORDER BY id"
        ).fetchall(),
        db.execute("SELECT count(*) FROM codings").fetchone()[0],
        db.execute("SELECT count(*) FROM journal").fetchone()[0],
        {p.name: p.read_bytes() for p in layer},
    )


def test_an_unknown_id_among_good_ones_changes_nothing(empty_study: Workspace,
                                                       ids: list[int]) -> None:  # fmt: skip
    before = state(empty_study)
    with pytest.raises(NotFound, match=r"no suggestion 999: nothing was changed"):
        autocode.reject_many(empty_study, [ids[0], ids[1], 999], "anna")
    with pytest.raises(NotFound, match="999"):
        autocode.accept_many(empty_study, [ids[0], ids[1], 999], "anna")
    assert state(empty_study) == before


def test_an_already_decided_id_among_good_ones_changes_nothing(
    empty_study: Workspace, ids: list[int]
) -> None:
    autocode.reject(empty_study, ids[2], "anna")
    before = state(empty_study)
    with pytest.raises(InvalidInput, match=rf"suggestion {ids[2]} was already rejected; no "
                                           r"suggestion 998: nothing was changed"):  # fmt: skip
        autocode.accept_many(empty_study, [ids[0], ids[2], 998], "anna")
    with pytest.raises(InvalidInput, match="span"):
        autocode.accept_many(empty_study, ids[:2], "anna", span=(0, 5))
    assert state(empty_study) == before


def test_several_good_ids_are_one_undo(empty_study: Workspace, ids: list[int]) -> None:
    journal = "SELECT count(*) FROM journal"
    n = empty_study.db.execute(journal).fetchone()[0]
    assert autocode.reject_many(empty_study, ids[:2], "anna") == 2
    assert empty_study.db.execute(journal).fetchone()[0] == n + 1
    codings = autocode.accept_many(empty_study, [ids[2], ids[2]], "anna")  # a repeat: once
    assert len(codings) == 1 and empty_study.db.execute(journal).fetchone()[0] == n + 2
    assert sug_store.counts(empty_study.db) == {"rejected": 2, "accepted": 1}
    undo(empty_study)
    undo(empty_study)
    assert sug_store.counts(empty_study.db) == {"pending": 3}


def test_cli_reject_with_a_bad_id_is_one_line_and_no_change(
    empty_study: Workspace, ids: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(empty_study.study.root)
    before = state(empty_study)
    for verb in ("reject", "accept"):
        with pytest.raises(SystemExit) as exit_:
            main(["--study", root, "suggest", verb, str(ids[0]), str(ids[1]), "999"])
        assert exit_.value.code == 1
        err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert err == ["error: no suggestion 999: nothing was changed"]
    assert state(empty_study) == before
    main(["--study", root, "suggest", "reject", str(ids[0]), str(ids[1])])
    assert "rejected 2" in capsys.readouterr().out
    assert sug_store.counts(empty_study.db) == {"rejected": 2, "pending": 1}
