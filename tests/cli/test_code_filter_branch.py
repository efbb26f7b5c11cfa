"""A parent code stands for its branch wherever a code filter exists: `suggest ls --code BUR`
listed only suggestions of BUR itself — none, as coders code the leaves — though search and
the reports take BUR to mean BUR and its sub-codes; `suggest accept-all --code` and
`agreement --code` did the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from qualtool.cli.main import cli, main
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace


def queued(ws: Workspace) -> Workspace:
    """Three pending suggestions: two of BUR's sub-codes, one of ACC's."""
    db = ws.db
    add_text_recording(db, "idi-x", [("R01", "Попросили ещё одну справку."),
                                     ("R01", "Ждали месяц."), ("R01", "В ЦОНе была очередь.")])  # fmt: skip
    segs = [(r[0], r[1]) for r in db.execute("SELECT id, text FROM segments ORDER BY idx")]
    rows = [{"segment_id": sid, "code_id": code, "start": 0, "end": len(text), "quote": text,
             "score": 0.9, "reason": "words: x"}
            for (sid, text), code in zip(segs, ("BUR.EXTRA_DOCS", "BUR.DELAY", "ACC.QUEUE"),
                                         strict=True)]  # fmt: skip
    sug_store.propose(db, rows)
    return ws


def test_suggest_ls_and_accept_all_take_a_parent_code_as_its_branch(
    empty_study: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = queued(empty_study)
    root = str(ws.study.root)
    ws.close()
    main(["--study", root, "suggest", "ls", "--code", "BUR"])
    out = capsys.readouterr().out
    assert "BUR.EXTRA_DOCS" in out and "BUR.DELAY" in out, out
    assert "ACC.QUEUE" not in out
    main(["--study", root, "suggest", "accept-all", "--code", "BUR", "--min-score", "0.5",
          "--yes"])  # fmt: skip
    assert "accepted 2 suggestion(s)" in capsys.readouterr().out
    main(["--study", root, "suggest", "ls"])
    left = capsys.readouterr().out
    assert "ACC.QUEUE" in left and "BUR." not in left


def test_agreement_takes_a_parent_code_as_its_branch(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "study.toml", root / "study.toml")
    result = CliRunner().invoke(cli, ["--study", str(root), "agreement", "--coders",
                                      "aigerim,dana", "--code", "BUR"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.output.splitlines() if line[:1].isupper()]
    assert {"BUR.DELAY", "BUR.EXTRA_DOCS", "BUR.RESUBMIT"} <= set(rows), result.output
    assert not any(r.startswith(("ACC.", "TECH.")) for r in rows), result.output
