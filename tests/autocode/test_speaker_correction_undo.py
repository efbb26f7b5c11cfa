"""Correcting who the interviewer is (`suggest speakers KEY WHO ROLE`, the transcript's `i`)
is one undoable step: `qualtool undo` (ctrl+z) puts speakers.yml back as it was — no file when
there was none — and the pending suggestions on the turns it gave the interviewer. Those used
to stay in the queue until the next run, though the coder had just been told «no suggestions
on these turns», and the correction itself could not be undone («nothing to undo»). A
mistyped recording key said «recording nope has no transcript»."""

from __future__ import annotations

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.cli.main import main
from qualtool.coding import history
from qualtool.files.speaker_map import load_speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Расскажите, как вы получали справку?"),
    ("R01", "Портал постоянно зависал, меня выбрасывало из системы."),
    ("R02", "В ЦОНе была огромная очередь, я ждала четыре часа."),
]


@pytest.fixture
def study(empty_study: Workspace) -> Workspace:
    """A focus group with one pending suggestion on each participant's turn."""
    db = empty_study.db
    add_text_recording(db, "fg-u", TURNS)
    rows = []
    for idx, code in ((1, "TECH.OUTAGE"), (2, "ACC.QUEUE")):
        sid, text = db.execute("SELECT id, text FROM segments WHERE idx = ?", [idx]).fetchone()
        rows.append({"segment_id": sid, "code_id": code, "start": 0, "end": len(text),
                     "quote": text, "score": 0.5, "reason": "words: x"})  # fmt: skip
    sug_store.propose(db, rows)
    return empty_study


def queued(ws: Workspace) -> list[str]:
    return [s.code_id for s in sug_store.queue(ws.db)]


def run(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(["--study", str(ws.study.root), *args])
        code = 0
    except SystemExit as ended:
        code = int(ended.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_cli_correction_drops_the_new_interviewers_suggestions_and_undo_restores_them(
    study: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    root = study.study.root
    code, out = run(study, capsys, "suggest", "speakers", "fg-u", "R02", "интервьюер")
    assert code == 0, out
    assert load_speaker_map(root) == {"fg-u": {"R02": "interviewer"}}
    assert queued(study) == ["TECH.OUTAGE"]  # R02's turn is no longer offered
    code, out = run(study, capsys, "undo")
    assert code == 0, out
    assert "кто говорит: R02 — интервьюер" in out, out  # the history names it, in Russian
    assert not (root / "speakers.yml").exists()  # as before: there was no file
    assert queued(study) == ["TECH.OUTAGE", "ACC.QUEUE"]
    code, out = run(study, capsys, "redo")
    assert code == 0, out
    assert load_speaker_map(root) == {"fg-u": {"R02": "interviewer"}}
    assert queued(study) == ["TECH.OUTAGE"]


def test_a_respondent_correction_keeps_the_queue(study: Workspace) -> None:
    root = study.study.root
    autocode.correct_role(study.db, root, "fg-u", "I", "respondent")
    assert queued(study) == ["TECH.OUTAGE", "ACC.QUEUE"]
    history.undo(study)
    assert load_speaker_map(root) == {}


def test_a_mistyped_recording_is_said_as_such(
    study: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    code, out = run(study, capsys, "suggest", "speakers", "nope")
    assert code == 1
    assert out.strip() == "ошибка: нет записи 'nope' (см. `qualtool ls`)", out
