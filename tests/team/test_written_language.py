"""Text qualtool writes into a Russian study is not English: a conflict's problem from
`import-coder` is stored without a language (its message id) and printed in the viewer's; the
consensus memo («adjudicated by X: all coders agreed») is written in the study's language,
whoever builds it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import child_env
from test_team import TURNS, code, seg

from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import codings_for_segment
from qualtool.team import agreement as agr
from qualtool.team.exchange import QUOTE_GONE, export_coder, problem_text
from qualtool.workspace.study import Workspace


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    add_text_recording(empty_study.db, "idi-x", TURNS)
    code(empty_study, 2, "STAFF.CONDUCT", "anna", "грубо разговаривали")
    code(empty_study, 2, "STAFF.CONDUCT", "boris", "Сотрудники грубо разговаривали.")
    return empty_study


def test_conflict_problem_stored_without_language_printed_in_russian(
    ws: Workspace, tmp_path: Path
) -> None:
    layer = tmp_path / "anna.json"
    export_coder(ws, "anna", layer)
    doc = json.loads(layer.read_text("utf-8"))  # a coding on words this study no longer has
    doc["codings"][0].update(segment_text="Всё прошло спокойно.", segment_sha="0",
                             quote="Всё прошло спокойно", start=0, end=19)  # fmt: skip
    layer.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    ws.save_layers()
    ws.close()
    env = child_env(tmp_path, QUALTOOL_LANG="ru")
    out = subprocess.run([sys.executable, "-m", "qualtool", "-s", str(ws.study.root),
                          "import-coder", str(layer)], capture_output=True, text=True, env=env)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "цитаты нет в транскрипте этого исследования" in out.stderr, out.stderr
    assert "the quote is not" not in out.stdout + out.stderr
    saved = next((ws.study.root / "conflicts").glob("anna-*.json"))
    conflict = json.loads(saved.read_text("utf-8"))["conflicts"][0]
    assert conflict["problem"] == QUOTE_GONE  # the message id: read in any language
    set_language("ru")
    assert problem_text(conflict).startswith("цитаты нет в транскрипте")
    set_language("en")
    assert problem_text(conflict) == QUOTE_GONE
    assert problem_text({"problem": "цитата пропала"}) == "цитата пропала"  # an older file


def test_consensus_memo_in_the_studys_language(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    set_language("ru")
    assert agr.build_consensus(ws, by="lead") == 1
    memos = [c.memo for c in codings_for_segment(ws.db, seg(ws, 2), "consensus")]
    assert memos == ["решение принял(а) lead: все кодировщики согласны"]
    set_language("en")  # another machine, English interface: the study's words all the same
    agr.adjudicate(ws, seg(ws, 1), "TECH.OUTAGE", True, "vera", (0, 12))
    memos = [c.memo for c in codings_for_segment(ws.db, seg(ws, 1), "consensus")]
    assert memos == ["решение принял(а) vera"]
