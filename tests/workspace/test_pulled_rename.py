"""A colleague's `qualtool rename`, pulled: this laptop's database used to keep the old key —
`ls` showed it, the pulled codings on the new key were refused («unknown recording»), and new
work landed on the dead name. The sync follows the rename by the media's checksum."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status


def test_a_pulled_rename_is_followed_and_the_codings_stay(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "ls")
    qt(b, "ls")  # b has its database already: the pull must be read into it
    coded = {c for c in db_codings(b) if c[1] == "idi-01"}
    assert coded
    qt(a, "rename", "idi-01", "idi-01b")
    git(a, "add", "-A")
    git(a, "commit", "-qm", "rename")
    git(a, "push", "-q")
    git(b, "pull", "-q")
    listing = qt(b, "ls")
    assert "idi-01b" in listing and "idi-01 " not in listing, listing
    after = db_codings(b)
    assert {(c[0], "idi-01b", *c[2:]) for c in coded} <= after
    assert not [c for c in after if c[1] == "idi-01"]
    assert after == db_codings(a) and {c for c in file_codings(b) if c[1] == "idi-01"} == set()
    sync = qt(b, "sync", "--all")
    assert "unknown recording" not in sync, sync
    qt(b, "transcript", "export", "idi-01b")
    assert not list((b / "transcripts").glob("idi-01.*"))  # the old files never come back
    assert status(b) == "", status(b)
