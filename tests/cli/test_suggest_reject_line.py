"""`suggest reject` said «отклонено: 2» — the id, or how many? Each rejected suggestion is now
one line naming it, the passage (KEY#INDEX), the code and the words, and what follows: it is
not suggested there again, and `qualtool undo` takes it back — which it does."""

from __future__ import annotations

import pytest

from qualtool.cli.main import main
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace


def run(root: str, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["--study", root, *args])
    return capsys.readouterr().out


def test_each_rejection_is_one_russian_line_naming_passage_code_and_words(
    empty_study: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = empty_study.db
    add_text_recording(db, "idi-x", [("I", "Как прошло?"), ("R01", "Ждали месяц."),
                                     ("R01", "В ЦОНе была очередь.")])  # fmt: skip
    segs = list(db.execute("SELECT id, text FROM segments WHERE idx > 0 ORDER BY idx"))
    sug_store.propose(db, [
        {"segment_id": sid, "code_id": code, "start": 0, "end": len(text), "quote": text,
         "score": 0.6, "reason": "words: x"}
        for (sid, text), code in zip(segs, ("BUR.DELAY", "ACC.QUEUE"), strict=True)])  # fmt: skip
    ids = {s.code_id: s.id for s in sug_store.queue(db)}
    root = str(empty_study.study.root)
    empty_study.close()
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    out = run(root, capsys, "suggest", "reject", str(ids["BUR.DELAY"]), str(ids["ACC.QUEUE"]))
    assert out.splitlines() == [
        f"отклонено {ids['BUR.DELAY']}: BUR.DELAY для idi-x#1 «Ждали месяц.» — здесь больше "
        "не предлагается (`qualtool undo` вернёт)",
        f"отклонено {ids['ACC.QUEUE']}: ACC.QUEUE для idi-x#2 «В ЦОНе была очередь.» — здесь "
        "больше не предлагается (`qualtool undo` вернёт)",
    ], out
    assert "idi-x#1" not in run(root, capsys, "suggest", "ls")  # the queue is empty now
    run(root, capsys, "undo")  # what the line promises
    listed = run(root, capsys, "suggest", "ls")
    assert "BUR.DELAY" in listed and "ACC.QUEUE" in listed, listed
