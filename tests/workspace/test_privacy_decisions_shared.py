"""Anonymisation review decisions travel with the study: a word one laptop kept («Этернити», a
mis-heard place) and a name it added by hand hold on a colleague's clone, whose vault is
another one. They used to be hashed with the deciding laptop's vault secret, so on any other
clone they matched nothing: the kept word came back as a finding and the added name was
left in the text by the colleague's `--apply`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitstudy import clone, git, qt, seed_sample

KEPT = "fg-01#1:30:38"  # «Этернити», as the sample's recording was once heard


def _hear_eternity(study: Path, tmp: Path) -> None:
    """The place name as an earlier Whisper heard it («с Этернити» for «с интернетом»): the
    shipped transcript reads «сетернедем» now, which the detector rightly leaves alone. A coder
    imports the corrected-back transcript, the way a transcript from elsewhere comes in."""
    text = (study / "transcripts" / "fg-01.md").read_text(encoding="utf-8")
    assert "сетернедем" in text
    (tmp / "fg-01.md").write_text(text.replace("сетернедем", "с Этернити"), encoding="utf-8")
    qt(study, "transcript", "import", "fg-01", str(tmp / "fg-01.md"))


def _findings(study: Path) -> dict[str, str]:
    out = {}
    for line in qt(study, "anonymise").splitlines():
        if "#" in line and ":" in line:
            where, _kind, status = line.split()[:3]
            out[where] = status
    return out


def _segment(study: Path, key: str, idx: int) -> str:
    doc = json.loads((study / "transcripts" / f"{key}.json").read_text(encoding="utf-8"))
    return str(doc["segments"][idx]["text"])


def test_decisions_hold_on_a_colleagues_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-A"))
    _hear_eternity(a, tmp_path)
    assert _findings(a)[KEPT] == "pending"
    text = _segment(a, "idi-01", 2)
    start = text.index("Сроки")  # a word the detector does not flag, added as if a name
    qt(a, "anonymise", "--reject", KEPT, "--add", f"idi-01#2:{start}:{start + 5}:person")
    git(a, "add", "-A")
    git(a, "commit", "-qm", "review")
    git(a, "push", "-q")

    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-B"))  # the colleague's laptop
    git(b, "pull", "-q")
    seen = _findings(b)
    # the listing names the review status in the interface's words (English here)
    assert seen[KEPT] == "rejected", seen
    assert seen[f"idi-01#2:{start}:{start + 5}"] == "added", seen
    qt(b, "anonymise", "--apply")
    assert "Этернити" in _segment(b, "fg-01", 1)
    assert "Сроки" not in _segment(b, "idi-01", 2)
    # the done decision is dropped (its hash would name a word no longer in the study); the
    # kept word's decision stays, and a second run changes nothing
    left = (b / "privacy" / "decisions.yml").read_text(encoding="utf-8")
    assert "add" not in left.split("decisions:")[1] and "reject" in left
    qt(b, "anonymise", "--apply")
    assert "Этернити" in _segment(b, "fg-01", 1)
