"""Rejecting a suggestion as «another code» names the code (the CLI's --other-code, the TUI's
`o` and its picker): the words are coded with it, its memo records the suggested code it
replaces — in the study's language, whoever decides — and the rejection and the coding are one
undo. Before, a rejection said nothing of why, and coding the right code was a second step."""

from __future__ import annotations

import json

import pytest

from qualtool.autocode import suggest as autocode
from qualtool.cli.main import main
from qualtool.coding import history
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

TEXT = "Попросили ещё одну справку из ЦОНа, которой нет в перечне."


@pytest.fixture
def study(empty_study: Workspace) -> Workspace:
    """One turn with two pending suggestions: BUR.DELAY (wrong) and BUR.EXTRA_DOCS (right)."""
    db = empty_study.db
    add_text_recording(db, "idi-x", [("I", "Что было дальше?"), ("R01", TEXT)])
    sid = db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    sug_store.propose(db, [
        {"segment_id": sid, "code_id": code, "start": 0, "end": 26, "quote": TEXT[:26],
         "score": score, "reason": "words: x"}
        for code, score in (("BUR.DELAY", 0.6), ("BUR.EXTRA_DOCS", 0.4))])  # fmt: skip
    return empty_study


def ids(ws: Workspace) -> dict[str, int]:
    return {s.code_id: s.id for s in sug_store.queue(ws.db)}


def layer(ws: Workspace, coder: str) -> list[dict[str, object]]:
    path = ws.study.root / "codings" / f"{coder}.json"
    records = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    return [r for r in records if "kind" in r]  # not the header


def test_reject_for_codes_the_other_code_and_undoes_as_one(study: Workspace) -> None:
    set_language("en")  # the coder reads English; the study is Russian: so is the memo
    c = autocode.reject_for(study, ids(study)["BUR.DELAY"], "anna", "BUR.EXTRA_DOCS")
    assert (c.code_id, c.coder_id, c.quote) == ("BUR.EXTRA_DOCS", "anna", TEXT[:26])
    assert c.memo == "вместо предложенного BUR.DELAY"
    assert ids(study) == {}  # the other code's own suggestion is the same choice: accepted
    rejected = sug_store.queue(study.db, status=sug_store.REJECTED)
    accepted = sug_store.queue(study.db, status=sug_store.ACCEPTED)
    assert [s.code_id for s in rejected] == ["BUR.DELAY"]
    assert [s.code_id for s in accepted] == ["BUR.EXTRA_DOCS"]
    records = layer(study, "anna")  # the team sees it: the coding and its memo, the decisions
    coded = [r for r in records if r["kind"] == "coding"]
    assert [(r["code"], r.get("memo")) for r in coded] == [
        ("BUR.EXTRA_DOCS", "вместо предложенного BUR.DELAY")]  # fmt: skip
    assert {(r["code"], r["status"]) for r in records if r["kind"] == "suggestion"} == {
        ("BUR.DELAY", "rejected"), ("BUR.EXTRA_DOCS", "accepted")}  # fmt: skip
    history.undo(study)  # one step takes all of it back
    assert set(ids(study)) == {"BUR.DELAY", "BUR.EXTRA_DOCS"}
    assert not [r for r in layer(study, "anna") if r["kind"] in ("coding", "suggestion")]


def test_the_suggested_code_itself_or_an_unknown_one_changes_nothing(study: Workspace) -> None:
    sid = ids(study)["BUR.DELAY"]
    with pytest.raises(InvalidInput, match="suggested code itself"):
        autocode.reject_for(study, sid, "anna", "BUR.DELAY")
    with pytest.raises(QualtoolError, match=r"NO\.SUCH"):
        autocode.reject_for(study, sid, "anna", "NO.SUCH")
    assert set(ids(study)) == {"BUR.DELAY", "BUR.EXTRA_DOCS"}


def test_the_cli_option_says_it_in_one_russian_line(
    study: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = ids(study)["BUR.DELAY"]
    root = str(study.study.root)
    study.close()
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    main(["--study", root, "suggest", "reject", str(sid), "--other-code", "BUR.EXTRA_DOCS",
          "--coder", "anna"])  # fmt: skip
    assert capsys.readouterr().out.splitlines() == [
        f"отклонено {sid}: BUR.DELAY для idi-x#1 «{TEXT[:26]}» — вместо него закодировано "
        "BUR.EXTRA_DOCS (`qualtool undo` вернёт и то, и другое)"]  # fmt: skip
    with pytest.raises(SystemExit):  # several ids: which one was it?
        main(["--study", root, "suggest", "reject", "1", "2", "--other-code", "BUR.DELAY"])
    assert "--other-code" in capsys.readouterr().err
