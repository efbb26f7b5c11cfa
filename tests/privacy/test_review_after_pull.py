"""A review decision made after a pull in another terminal (session-16 review, finding 4): the
review screen or `anonymise review` is open, a colleague's work is pulled, then a finding is
decided. The decision used to be written without reading the pull: onto words the colleague's
`--apply` had replaced — a reject's keyed hash of a name no longer in the study, in the shared
privacy/decisions.yml — while the open database kept the old text. Now the pull is read first
and a decision whose words it changed is refused; one on words it left alone goes on top."""

from __future__ import annotations

from pathlib import Path

import pytest
from laptops import apply_and_pull, git, named_study, share

from qualtool.domain.errors import InvalidInput
from qualtool.privacy import review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.store import privacy as privacy_store
from qualtool.workspace.study import Workspace, open_workspace

TURNS = ["Меня принимала Айгерим Нурлановна в ЦОНе.", "Потом пришёл оператор Бахыт Жумабаев."]


def _finding(ws: Workspace, words: str) -> review.Finding:
    pseud = Pseudonymiser(study_vault(ws).secret)
    return next(f for f in review.segment_findings(ws, pseud) if f.entity.text == words)


def _decisions(study: Path) -> str:
    path = study / "privacy" / "decisions.yml"
    return path.read_text(encoding="utf-8").split("decisions:")[1] if path.exists() else ""


def test_a_decision_on_words_a_pulled_apply_replaced_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "idi-01", TURNS))
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-a"))
    ws = open_workspace(a)
    try:
        found = _finding(ws, "Бахыт Жумабаев")
        apply_and_pull(b, a, tmp_path / "vault-b")  # B anonymises; A pulls under the open study
        with pytest.raises(InvalidInput, match="changed on disk"):
            review.decide(ws, found, "reject")
        texts = " ".join(s["text"] for s in privacy_store.segments(ws.db))
        assert "Жумабаев" not in texts  # the open database read the colleague's text
    finally:
        ws.close()
    assert "reject" not in _decisions(a)
    assert git(a, "status", "--porcelain") == ""


def test_a_decision_the_pull_left_alone_goes_on_top_of_the_colleagues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "idi-01", TURNS))
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-a"))
    ws = open_workspace(a)
    try:
        mine = _finding(ws, "Бахыт Жумабаев")
        wb = open_workspace(b)
        try:
            review.decide(wb, _finding(wb, "Айгерим Нурлановна"), "accept")
        finally:
            wb.close()
        git(b, "add", "-A")
        git(b, "commit", "-qm", "b")
        git(b, "push", "-q")
        git(a, "pull", "-q", "--no-rebase")
        review.decide(ws, mine, "reject")
        statuses = {f.entity.text: f.status for f in review.segment_findings(
            ws, Pseudonymiser(study_vault(ws).secret))}  # fmt: skip
    finally:
        ws.close()
    assert statuses["Айгерим Нурлановна"] == "accept" and statuses["Бахыт Жумабаев"] == "reject"
    left = _decisions(a)
    assert "accept" in left and "reject" in left, left
