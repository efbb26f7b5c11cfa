"""A study made before `init` wrote `privacy/decisions.yml merge=union` into .gitattributes
gains that line the first time the review writes the file — appended, every other line as it
was, only when missing — so two reviewers' decisions merge in real git without a conflict."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from qualtool.files import decisions as decisions_file
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.privacy import review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

OLD = "codings/*.json merge=union\n"  # what `init` wrote before the decisions' line
TEXT = "Меня принимала Айгерим Нурлановна, а потом пришла Гульнара Серикбаевна из ЦОНа."
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@x"}  # fmt: skip


def _git(cwd: Path, *args: str) -> str:
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                       env={**os.environ, **ENV})  # fmt: skip
    assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout


def _old_study(root: Path, attributes: str | None) -> Path:
    init_study(root, name="Старое", year=2024, coder="anna", codebook=SHIPPED_CODEBOOK)
    path = root / ".gitattributes"
    if attributes is None:
        path.unlink()
    else:
        path.write_text(attributes, encoding="utf-8")
    ws = open_workspace(root, sync=True)
    write_outputs(ws, add_text_recording(ws.db, "idi-d", [("R01", TEXT)]))
    ws.save_manifest()
    ws.close()
    return root


def _decide(ws: Workspace, words: str, decision: str) -> None:
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    f = next(f for f in review.segment_findings(ws, pseud) if f.entity.text == words)
    review.decide(ws, f, decision)


@pytest.fixture(autouse=True)
def _vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))


@pytest.mark.parametrize(("before", "after"), [
    (OLD, OLD + "privacy/decisions.yml merge=union\n"),
    ("*.md text\ncodings/*.json merge=union", "*.md text\ncodings/*.json merge=union\n"
                                             "privacy/decisions.yml merge=union\n"),
    (None, "privacy/decisions.yml merge=union\n"),
    ("privacy/decisions.yml -merge\n", "privacy/decisions.yml -merge\n"),  # the study's choice
])  # fmt: skip
def test_the_line_is_appended_once_only_when_missing(tmp_path: Path, before: str | None,
                                                     after: str) -> None:  # fmt: skip
    root = _old_study(tmp_path / "study", before)
    ws = open_workspace(root)
    try:
        _decide(ws, "Гульнара Серикбаевна", "reject")
        assert (root / ".gitattributes").read_text(encoding="utf-8") == after
        _decide(ws, "Айгерим Нурлановна", "accept")  # a second write: nothing more
        assert (root / ".gitattributes").read_text(encoding="utf-8") == after
    finally:
        ws.close()


def test_an_old_study_in_git_merges_two_reviewers_decisions(tmp_path: Path) -> None:
    """Both reviewers' first decision gives the line; each commits, A pulls B's: git merges
    .gitattributes (the same line on both sides) and, by the line, the decisions file."""
    src = _old_study(tmp_path / "seed", OLD)
    _git(src, "init", "-q", "-b", "main")
    _git(src, "add", "-A")
    _git(src, "commit", "-qm", "old study")
    _git(tmp_path, "clone", "-q", "--bare", str(src), str(tmp_path / "origin.git"))
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        _git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(clone))
    assert "unspecified" in _git(a, "check-attr", "merge", "privacy/decisions.yml")
    for clone, words, decision in ((a, "Гульнара Серикбаевна", "reject"),
                                   (b, "Айгерим Нурлановна", "accept")):  # fmt: skip
        ws = open_workspace(clone, sync=True)
        try:
            _decide(ws, words, decision)
        finally:
            ws.close()
        assert _git(clone, "check-attr", "merge", "privacy/decisions.yml").split()[-1] == "union"
        assert _git(clone, "status", "--porcelain", ".gitattributes").startswith(" M")
        _git(clone, "add", ".gitattributes", "privacy/decisions.yml")
        _git(clone, "commit", "-qm", f"review {clone.name}")
    _git(b, "push", "-q")
    _git(a, "pull", "-q", "--no-rebase")
    text = (a / decisions_file.DECISIONS_FILE).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "reject" in text and "accept" in text, text
    assert (a / ".gitattributes").read_text(encoding="utf-8") == (
        OLD + "privacy/decisions.yml merge=union\n"
    )
    assert len(decisions_file.read(a)) == 2
