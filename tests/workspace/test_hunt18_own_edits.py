"""hunt18: B has work not committed yet (a coding in a layer it had committed before) when its
pull stops on a recording renamed two ways. The settle commits the merge without B's own edit
(it stays B's, unstaged) — but the merge commit kept that layer's lines under B's dropped
name, so every laptop that pulled the push carried them and wrote the layer back: A's
`git status` never clean after a sync. Now the merge commits that layer's lines carried."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitstudy import clone, db_codings, git, qt, seed_sample, status
from laptops import ENV
from test_renamed_twice import _commit, _pull


@pytest.fixture(autouse=True)
def _committer(monkeypatch: pytest.MonkeyPatch) -> None:
    """qualtool's own `git commit` of the settled merge runs as the laptop's user."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def test_own_uncommitted_layer_edit_leaves_the_pushed_merge_carried(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(b, "code", "idi-01b#1", "ACC.QUEUE", "--coder", "boris", "--memo", "boris memo")
    _commit(a, "a")
    _commit(b, "b")
    qt(b, "code", "idi-01b#2", "ACC.QUEUE", "--coder", "boris")  # not committed
    git(a, "push", "-q")
    assert _pull(b).returncode
    qt(b, "sync")
    assert status(b) == " M codings/boris.json\n"  # B's own edit: still B's, unstaged
    committed = git(b, "show", "HEAD:codings/boris.json")
    assert "idi-01b" not in committed and "boris memo" in committed, committed
    git(b, "push", "-q")  # the merge alone
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    assert status(a) == "", status(a)
    assert ("boris", "idi-01a", 1, "ACC.QUEUE") in {x[:4] for x in db_codings(a)}
    _commit(b, "boris's own edit")  # then B commits its coding: everyone has both
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    c = clone(bare, tmp_path / "c")
    mine = {("boris", "idi-01a", 1, "ACC.QUEUE"), ("boris", "idi-01a", 2, "ACC.QUEUE")}
    for study in (a, b, c):
        assert {x[:4] for x in db_codings(study) if x[0] == "boris"} == mine
        assert status(study) == "", (study, status(study))
    assert db_codings(a) == db_codings(b) == db_codings(c)


def test_own_uncommitted_assignment(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(b, "assign", "idi-01b", "boris")
    _commit(a, "a")
    _commit(b, "b")
    qt(b, "assign", "idi-02", "boris")  # not committed
    git(a, "push", "-q")
    assert _pull(b).returncode
    qt(b, "sync")
    committed = git(b, "show", "HEAD:codings/assignments.yml")
    assert "idi-01b" not in committed, committed
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    assert status(a) == "", status(a)


def test_own_uncommitted_review_decision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name B added by hand in the review, committed under its name, reaches A: the merge
    commit's privacy/decisions.yml names the kept key (A, which never had B's name, could not
    carry it: the added name was lost there)."""
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    text = json.loads((b / "transcripts" / "idi-01b.json").read_text(encoding="utf-8"))
    turn = text["segments"][2]["text"]
    s, s2 = turn.index("Сроки"), turn.index("месяца")
    qt(b, "anonymise", "--add", f"idi-01b#2:{s}:{s + 5}:person")
    _commit(a, "a")
    _commit(b, "b")
    qt(b, "anonymise", "--add", f"idi-01b#2:{s2}:{s2 + 6}:person")  # not committed
    git(a, "push", "-q")
    assert _pull(b).returncode
    qt(b, "sync")
    assert status(b) == " M privacy/decisions.yml\n"
    assert "idi-01b" not in git(b, "show", "HEAD:privacy/decisions.yml")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    assert status(a) == ""
    assert f"idi-01a#2:{s}:{s + 5}" in qt(a, "anonymise")


def test_own_uncommitted_speaker_correction(tmp_path: Path) -> None:
    """B's committed correction of a speaker under its name reaches A under the kept key,
    while B's next correction, not committed, stays B's."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-01", "idi-01a")
    qt(b, "rename", "idi-01", "idi-01b")
    qt(b, "suggest", "speakers", "idi-01b", "R01", "interviewer")
    _commit(a, "a")
    _commit(b, "b")
    qt(b, "suggest", "speakers", "idi-02", "R02", "interviewer")  # not committed
    git(a, "push", "-q")
    assert _pull(b).returncode
    qt(b, "sync")
    assert status(b) == " M speakers.yml\n"
    committed = git(b, "show", "HEAD:speakers.yml")
    assert "idi-01a" in committed and "idi-01b" not in committed, committed
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    assert status(a) == ""
    assert "interviewer" in qt(a, "suggest", "speakers", "idi-01a")
