"""A recording renamed while its speakers are contested or its transcript assigned (session-16
review, findings 1–3): the contest follows the rename — here or pulled — and is never settled
silently; an assignment made under the old key meanwhile is carried to the new key; a speakers
conflict the files no longer hold leaves `qualtool conflicts` on the next sync of every laptop."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, git, qt, seed_sample, status

from qualtool.files.speaker_map import contested, load_speaker_map

BOTH = ("interviewer", "respondent")


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def _contest(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A says P1 of fg-01 is the interviewer, B the respondent; B pulls A's: contested on B."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "suggest", "speakers", "fg-01", "P1", "interviewer")
    qt(b, "suggest", "speakers", "fg-01", "P1", "respondent")
    _commit(a, "a")
    git(a, "push", "-q")
    _commit(b, "b")
    git(b, "pull", "-q", "--no-rebase")
    assert "P1 in fg-01" in qt(b, "conflicts")
    return bare, a, b


def test_a_rename_keeps_the_contest_under_the_new_key(tmp_path: Path) -> None:
    bare, a, b = _contest(tmp_path)
    qt(b, "rename", "fg-01", "fg-01b")
    assert contested(b) == {"fg-01b": {"P1": BOTH}}
    listed = qt(b, "conflicts")
    assert "P1 in fg-01b" in listed and "P1 in fg-01 " not in listed, listed
    assert "contested" in qt(b, "suggest", "speakers", "fg-01b")
    _commit(b, "rename")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    assert contested(a) == {"fg-01b": {"P1": BOTH}}
    assert "P1 in fg-01b" in qt(a, "conflicts") and status(a) == ""
    c = clone(bare, tmp_path / "c")
    assert "contested" in qt(c, "suggest", "speakers", "fg-01b") and status(c) == ""


def test_a_correction_under_the_old_key_against_one_under_the_new_is_a_contest(
    tmp_path: Path,
) -> None:
    """A corrects P1, then renames; B corrects P1 the other way under the old key meanwhile:
    the carry must not let either win."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "suggest", "speakers", "fg-01", "P1", "interviewer")
    qt(a, "rename", "fg-01", "fg-01b")
    qt(b, "suggest", "speakers", "fg-01", "P1", "respondent")
    qt(b, "suggest", "speakers", "fg-01", "P2", "interviewer")
    _commit(b, "b")
    git(b, "push", "-q")
    _commit(a, "a")
    git(a, "pull", "-q", "--no-rebase")
    sync = qt(a, "sync")
    assert sync.count("P1 in fg-01b was corrected both") == 1, sync
    assert contested(a) == {"fg-01b": {"P1": BOTH}}
    assert load_speaker_map(a) == {"fg-01b": {"P1": "interviewer", "P2": "interviewer"}}
    _commit(a, "carried")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    assert "P1 in fg-01b" in qt(b, "conflicts") and status(b) == ""
    c = clone(bare, tmp_path / "c")
    assert contested(c) == contested(a) and "P1 in fg-01b" in qt(c, "conflicts")


def test_an_assignment_under_the_old_key_is_carried(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(b, "assign", "idi-02", "boris")
    qt(b, "assign", "idi-01", "boris")
    qt(a, "rename", "idi-02", "idi-02b")
    _commit(a, "rename")
    git(a, "push", "-q")
    _commit(b, "assign")
    git(b, "pull", "-q", "--no-rebase")  # B follows A's rename: its own line is carried
    qt(b, "sync")
    text = (b / "codings" / "assignments.yml").read_text(encoding="utf-8")
    assert "recording: idi-02b, coder: boris" in text and "idi-02," not in text, text
    assert "recording: idi-01, coder: boris" in text
    qt(b, "done", "idi-02b", "--coder", "boris")  # the carried assignment is the recording's
    _commit(b, "carried")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "ls")
    assert status(a) == ""
    text = (a / "codings" / "assignments.yml").read_text(encoding="utf-8")
    assert "recording: idi-02b, coder: boris, done: true" in text, text


def test_an_assignment_pulled_under_the_old_key_after_a_local_rename(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(b, "assign", "idi-02", "boris")
    qt(a, "rename", "idi-02", "idi-02b")
    _commit(b, "assign")
    git(b, "push", "-q")
    _commit(a, "rename")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "sync")
    text = (a / "codings" / "assignments.yml").read_text(encoding="utf-8")
    assert "recording: idi-02b, coder: boris" in text and "idi-02," not in text, text
    _commit(a, "carried")
    qt(a, "ls")
    assert status(a) == ""
    git(a, "push", "-q")
    c = clone(bare, tmp_path / "c")
    qt(c, "ls")
    assert (c / "codings" / "assignments.yml").read_text(encoding="utf-8") == text


def test_a_settled_speaker_conflict_leaves_the_list_on_every_laptop(tmp_path: Path) -> None:
    _bare, a, b = _contest(tmp_path)
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    assert "P1 in fg-01" in qt(a, "conflicts")
    qt(b, "suggest", "speakers", "fg-01", "P1", "respondent")  # B settles it
    assert "P1 in fg-01" not in qt(b, "conflicts")
    _commit(b, "settled")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    listed = qt(a, "conflicts")
    assert "P1 in fg-01" not in listed and "0 open conflict" in listed, listed
    assert status(a) == ""


def test_a_correction_taken_back_by_hand_ends_the_conflict(tmp_path: Path) -> None:
    """A coder deletes their line from speakers.yml (or changes it to match the other's)."""
    _bare, _a, b = _contest(tmp_path)
    path = b / "speakers.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if "interviewer" not in x), encoding="utf-8")
    assert "P1 in fg-01" not in qt(b, "conflicts")
    assert load_speaker_map(b) == {"fg-01": {"P1": "respondent"}}
    path.write_text("".join(lines), encoding="utf-8")  # back again: listed again, said once
    assert qt(b, "sync").count("P1 in fg-01 was corrected both") == 1
    assert "P1 in fg-01" not in qt(b, "sync")
