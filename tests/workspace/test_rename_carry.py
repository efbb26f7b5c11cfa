"""A colleague's work on a recording this laptop renamed meanwhile (session-15 team hunt, r8): A
renames idi-02 → idi-02b while B codes there, corrects a speaker and rejects a suggestion. After
both pull, B's work stood under the old key on A and on a fresh clone — «unknown recording»,
orphaned. The sync carries it to the new key, writes it once, and every laptop agrees."""

from __future__ import annotations

from pathlib import Path

from gitstudy import clone, db_codings, file_codings, git, qt, seed_sample, status

from qualtool.files.speaker_map import load_speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)


def test_work_under_the_old_key_is_carried_to_the_new_one(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(a, "rename", "idi-02", "idi-02b")
    qt(b, "code", "idi-02#6", "ACC.QUEUE", "--coder", "boris", "--quote", "стоял в очереди")
    qt(b, "suggest", "run")
    qt(b, "suggest", "reject", "1", "--coder", "boris")  # on idi-02#1
    qt(b, "suggest", "speakers", "idi-02", "I", "respondent")
    _commit(b, "b")
    git(b, "push", "-q")
    _commit(a, "a")
    git(a, "pull", "-q", "--no-rebase")
    sync = qt(a, "sync")
    assert "unknown recording" not in sync and "not in this study" not in sync, sync
    boris = {c for c in db_codings(a) if c[0] == "boris"}
    assert ("boris", "idi-02b", 6, "ACC.QUEUE", "стоял в очереди") in boris
    assert {c for c in file_codings(a) if c[1] == "idi-02"} == set()
    layer = (a / "codings" / "boris.json").read_text(encoding="utf-8")
    assert '"idi-02"' not in layer and '"suggestion"' in layer
    assert load_speaker_map(a) == {"idi-02b": {"I": "respondent"}}
    rejected = qt(a, "suggest", "ls", "--status", "rejected")
    assert "idi-02b" in rejected, rejected
    qt(a, "ls")
    assert status(a) != ""  # the carried lines, written once
    _commit(a, "merge")
    qt(a, "ls")
    assert status(a) == ""  # and not again
    git(a, "push", "-q")
    c = clone(bare, tmp_path / "c")
    assert "problem" not in qt(c, "sync", "--all")
    assert db_codings(c) == db_codings(a) and status(c) == ""
    git(b, "pull", "-q", "--no-rebase")
    qt(b, "ls")
    assert db_codings(b) == db_codings(a) and status(b) == "", status(b)
    assert load_speaker_map(b) == load_speaker_map(a)


def test_a_fresh_clone_carries_coding_lines_by_their_media_checksum(tmp_path: Path) -> None:
    """Nobody merged yet: B's layer, pushed after A's rename, read by a clone that never saw it."""
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "a"), clone(bare, tmp_path / "b")
    qt(b, "code", "idi-02#6", "ACC.QUEUE", "--coder", "boris", "--quote", "стоял в очереди")
    _commit(b, "b")
    git(b, "push", "-q")
    git(a, "pull", "-q")
    git(a, "rm", "-q", "codings/boris.json")  # A's rename, as if made before B's coding
    qt(a, "rename", "idi-02", "idi-02b")
    git(a, "checkout", "HEAD", "--", "codings/boris.json")
    _commit(a, "rename")
    git(a, "push", "-q")
    c = clone(bare, tmp_path / "c")
    assert '"idi-02"' in (c / "codings" / "boris.json").read_text(encoding="utf-8")
    assert "problem" not in qt(c, "sync")
    assert ("boris", "idi-02b", 6, "ACC.QUEUE", "стоял в очереди") in db_codings(c)
    assert '"idi-02"' not in (c / "codings" / "boris.json").read_text(encoding="utf-8")


def test_a_pulled_rename_of_a_text_source_is_followed_by_its_text(tmp_path: Path) -> None:
    bare = seed_sample(tmp_path)
    a = clone(bare, tmp_path / "a")
    ws = open_workspace(a)
    try:
        rec = add_text_recording(ws.db, "notes-01", [("R01", "Первая запись в тексте."),
                                                     ("R01", "Вторая запись.")])  # fmt: skip
        write_outputs(ws, rec)
        ws.save_manifest()
    finally:
        ws.close()
    qt(a, "code", "notes-01#0", "ACC.QUEUE", "--coder", "anna", "--quote", "Первая запись")
    _commit(a, "text")
    git(a, "push", "-q")
    b = clone(bare, tmp_path / "b")
    qt(b, "ls")
    qt(b, "code", "notes-01#1", "ACC.QUEUE", "--coder", "boris", "--quote", "Вторая")
    qt(a, "rename", "notes-01", "notes-01b")
    _commit(a, "rename")
    git(a, "push", "-q")
    _commit(b, "b")
    git(b, "pull", "-q", "--no-rebase")
    listing = qt(b, "ls")
    assert "notes-01b" in listing and "notes-01 " not in listing, listing
    keys = {c[1] for c in db_codings(b) if c[3] == "ACC.QUEUE" and c[0] in ("anna", "boris")}
    assert "notes-01" not in keys and "notes-01b" in keys
    assert ("boris", "notes-01b", 1, "ACC.QUEUE", "Вторая") in db_codings(b)
    _commit(b, "merge")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    qt(a, "ls")
    assert status(a) == "", git(a, "diff")
    assert db_codings(a) == db_codings(b) and status(b) == ""
