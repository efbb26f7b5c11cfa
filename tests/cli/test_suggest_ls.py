"""`qualtool suggest ls` shows each reason in the reader's language, whoever ran auto-coding;
a reason stored as text by an older version is shown as it is."""

from __future__ import annotations

import pytest

from qualtool.autocode.candidate import Candidate
from qualtool.autocode.lexical import Evidence
from qualtool.cli.main import main
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace


def test_ls_renders_reasons_in_the_readers_language(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = empty_study.db
    add_text_recording(db, "idi-x", [("R01", "В ЦОНе была очередь."), ("R01", "Справку не дали.")])
    ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY idx")]
    set_language("en")  # auto-coding ran in English
    cand = Candidate("ACC.QUEUE", 9, 19, 0.7, 0.7, {"lex": 1.0, "example": 0.5, "definition": 0.4},
                     Evidence(keywords=["очередь"]), None, semantic=True, excluded=[])  # fmt: skip
    sug_store.propose(db, [
        {"segment_id": ids[0], "code_id": "ACC.QUEUE", "start": 9, "end": 19,
         "quote": "была очередь", "score": 0.7, "reason": cand.reason_data()},
        {"segment_id": ids[1], "code_id": "BUR.EXTRA_DOCS", "start": 0, "end": 15,
         "quote": "Справку не дали", "score": 0.5, "reason": "words: справка; lexical 1.0"},
    ])  # fmt: skip
    root = str(empty_study.study.root)
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    main(["--study", root, "suggest", "ls"])
    out = capsys.readouterr().out
    assert (
        "почему: слова: очередь; совпадение слов 1,0 · смысл: пример 0,50, определение 0,40" in out
    ), out
    assert "почему: words: справка; lexical 1.0" in out  # stored as text before: as it is
    monkeypatch.setenv("QUALTOOL_LANG", "en")
    main(["--study", root, "suggest", "ls"])
    assert "why: words: очередь; lexical 1.0 · meaning 0.50/0.40" in capsys.readouterr().out
