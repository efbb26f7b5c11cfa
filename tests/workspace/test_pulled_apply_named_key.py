"""A colleague's `anonymise --apply` renamed a recording whose key was made from a person's name
(«интервью-гульнара»): the laptop that pulls it kept the old key in its qualtool.db — the
last-synced state of `transcripts/интервью-гульнара.json`, a file no longer in the study, stayed
in the file_state cache for good (session-17 rename hunt). A transcript state whose file and
recording are both gone is forgotten by the sync that finds them gone."""

from __future__ import annotations

from pathlib import Path

from laptops import apply_and_pull, git, named_study, qualtool, share
from name_leaks import assert_no_name, database_files, names_left

TURNS = ["Гульнара Серикбаева рассказала про очередь.", "Очередь была длинная."]
NAMES = ["Гульнара", "Серикбаева"]


def test_a_pulled_apply_leaves_no_named_key_in_the_database(tmp_path: Path) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "интервью-гульнара", TURNS))
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0
    assert names_left(b, NAMES, database_files(b)), "B's database should hold the key"
    apply_and_pull(a, b, va)
    r = qualtool(b, vb, "ls")
    assert r.returncode == 0, r.stderr
    assert "интервью-имя-" in r.stdout, r.stdout
    assert_no_name(b, NAMES, database_files(b))


def test_a_pulled_apply_that_renamed_a_coded_text_source_is_followed(tmp_path: Path) -> None:
    """The renamed text source was coded: its words changed (names replaced) and so did its key,
    so neither told it, and the old recording stayed beside the new one — named, its coding
    «removed from the manifest but has 1 coding» on every sync, its names in the database."""
    a, b = share(tmp_path, named_study(tmp_path, "интервью-гульнара", TURNS, memo=""))
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0
    apply_and_pull(a, b, va)
    r = qualtool(b, vb, "sync")
    assert r.returncode == 0 and "problem" not in r.stdout + r.stderr, r.stdout + r.stderr
    listed = qualtool(b, vb, "ls").stdout
    assert "интервью-имя-" in listed and "гульнара" not in listed, listed
    quotes = qualtool(b, vb, "quotes", "ls", "--all-coders").stdout
    assert "интервью-имя-" in quotes and "INFO.HELPDESK" in quotes, quotes
    assert_no_name(b, NAMES, database_files(b))
    assert git(b, "status", "--porcelain") == ""
