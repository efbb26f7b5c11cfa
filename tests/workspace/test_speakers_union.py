"""Two coders correcting speakers of one recording at once (session-15 team hunt, r2/r2b):
different speakers are both kept; the same speaker corrected differently is a conflict — said
once by the sync that reads it, listed by `conflicts` and `suggest speakers`, settled by a coder
— never decided silently."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

from qualtool.files.speaker_map import contested, load_speaker_map


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def _both_correct(tmp_path: Path, mine: list[tuple[str, str]], theirs: list[tuple[str, str]]
                  ) -> tuple[Path, Path, Path]:  # fmt: skip
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    for who, role in mine:
        qt(a, "suggest", "speakers", "fg-01", who, role)
    for who, role in theirs:
        qt(b, "suggest", "speakers", "fg-01", who, role)
    _commit(a, "a")
    git(a, "push", "-q")
    _commit(b, "b")
    git(b, "pull", "-q", "--no-rebase")
    return bare, a, b


def test_different_speakers_are_both_kept(tmp_path: Path) -> None:
    _bare, _a, b = _both_correct(tmp_path, [("P1", "interviewer")], [("P3", "interviewer")])
    listing = qt(b, "suggest", "speakers", "fg-01")
    assert load_speaker_map(b) == {"fg-01": {"P1": "interviewer", "P3": "interviewer"}}
    assert "contested" not in listing and "conflict" not in listing
    assert contested(b) == {}


def test_one_speaker_corrected_differently_is_a_conflict(tmp_path: Path) -> None:
    bare, a, b = _both_correct(
        tmp_path, [("P1", "interviewer")],
        [("P1", "interviewer"), ("P2", "interviewer"), ("P1", "respondent")],
    )  # fmt: skip
    sync = qt(b, "sync")
    assert sync.count("P1 in fg-01 was corrected both") == 1, sync
    assert "P1 in fg-01" not in qt(b, "sync")  # said once
    listing = qt(b, "suggest", "speakers", "fg-01")
    assert "contested" in listing and "P2               interviewer  coder" in listing, listing
    assert "P1 in fg-01" in qt(b, "conflicts")
    assert status(b) == ""  # nothing settled silently, nothing written
    git(b, "push", "-q")
    c = clone(bare, tmp_path / "c")
    assert "contested" in qt(c, "suggest", "speakers", "fg-01") and status(c) == ""
    qt(b, "suggest", "speakers", "fg-01", "P1", "interviewer")  # a coder settles it
    assert contested(b) == {}
    assert load_speaker_map(b) == {"fg-01": {"P1": "interviewer", "P2": "interviewer"}}
    text = (b / "speakers.yml").read_text(encoding="utf-8")
    assert text.count("fg-01") == 1, text
    assert "contested" not in qt(b, "suggest", "speakers", "fg-01")
    _commit(b, "settled")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    assert "contested" not in qt(a, "suggest", "speakers", "fg-01") and status(a) == ""


def test_settling_one_speaker_keeps_another_conflict(tmp_path: Path) -> None:
    _bare, _a, b = _both_correct(
        tmp_path, [("P1", "interviewer"), ("P2", "respondent")],
        [("P1", "respondent"), ("P2", "interviewer")],
    )  # fmt: skip
    assert contested(b) == {"fg-01": {"P1": ("interviewer", "respondent"),
                                      "P2": ("interviewer", "respondent")}}  # fmt: skip
    qt(b, "suggest", "speakers", "fg-01", "P1", "respondent")
    assert list(contested(b)["fg-01"]) == ["P2"]
    assert load_speaker_map(b)["fg-01"]["P1"] == "respondent"
