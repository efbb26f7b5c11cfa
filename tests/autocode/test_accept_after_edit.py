"""A segment edited after the run keeps its suggestions' old offsets. Accepting one used to code
whatever words now stood there («Да, и ещё потому что каждый раз требовали дополнительные»
for «потому что каждый раз требовали дополнительные справки.»); the quote is found again now,
as a coding's is, and a suggestion whose words were edited away is refused, changing nothing.
An edited span outside the passage said «select some words first (shift+arrows …)», the TUI's
words, in the command line."""

from __future__ import annotations

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.cli.main import main
from qualtool.coding.editing import edit_segment_text
from qualtool.domain.errors import InvalidInput
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

SAID = "потому что каждый раз требовали дополнительные справки."


@pytest.fixture
def suggestion(empty_study: Workspace) -> tuple[int, int]:
    """(segment id, suggestion id): one pending suggestion on the whole of a respondent turn."""
    db = empty_study.db
    add_text_recording(db, "idi-e", [("I", "Как вы получали услугу?"), ("R01", SAID)])
    seg = db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    sug_store.propose(db, [{"segment_id": seg, "code_id": "BUR.EXTRA_DOCS", "start": 0,
                            "end": len(SAID), "quote": SAID, "score": 0.5,
                            "reason": "words: справки"}])  # fmt: skip
    return seg, sug_store.queue(db)[0].id


def test_accept_codes_the_suggested_words_after_an_edit_before_them(
    empty_study: Workspace, suggestion: tuple[int, int]
) -> None:
    seg, sid = suggestion
    edit_segment_text(empty_study, seg, "Да, и ещё " + SAID)
    coding = autocode.accept(empty_study, sid, "anna")
    assert coding.quote == SAID
    assert coding.start == len("Да, и ещё ")


def test_accept_refuses_when_the_words_were_edited_away(
    empty_study: Workspace, suggestion: tuple[int, int]
) -> None:
    seg, sid = suggestion
    edit_segment_text(empty_study, seg, "Всё прошло хорошо, претензий нет.")
    with pytest.raises(InvalidInput, match="no longer in its passage"):
        autocode.accept(empty_study, sid, "anna")
    assert empty_study.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
    assert sug_store.queue(empty_study.db)[0].status == sug_store.PENDING


def test_a_span_outside_the_passage_is_said_in_the_command_lines_words(
    empty_study: Workspace, suggestion: tuple[int, int], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _seg, sid = suggestion
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    root = str(empty_study.study.root)
    with pytest.raises(SystemExit) as ended:
        main(["--study", root, "suggest", "accept", str(sid), "--span", "500:600"])
    err = capsys.readouterr().err
    assert ended.value.code == 1
    assert err.strip() == "ошибка: фрагмент 500:600 выходит за пределы текста сегмента", err
