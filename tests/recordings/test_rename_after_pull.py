"""`qualtool rename` from a study opened before a pull in another terminal (the TUI's recordings
list, n; session-16 review, finding 4): the rename wrote the manifest, layers and transcripts
from the open database without reading the pull first, so a recording the colleague added
vanished from audio/recordings.yml, and their own rename of the same recording was undone.
Now the pull is read first, as before every other write."""

from __future__ import annotations

from pathlib import Path

import pytest
from laptops import git, named_study, share

from qualtool.domain.errors import NotFound
from qualtool.files.manifest import read_manifest
from qualtool.files.study import load_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.rename import rename
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

TURNS = ["Я пришёл в ЦОН утром.", "Очередь была длинная."]


def _push(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message)
    git(study, "push", "-q")


def _keys(study: Path) -> list[str]:
    return sorted(str(e["key"]) for e in read_manifest(load_study(study)))


def test_a_rename_after_a_pull_keeps_the_colleagues_new_recording(tmp_path: Path) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "idi-01", TURNS))
    ws = open_workspace(a)
    try:
        wb = open_workspace(b)
        try:
            rec = add_text_recording(wb.db, "idi-02", [("R01", "Вторая запись.")])
            write_outputs(wb, rec)
            wb.save_manifest()
        finally:
            wb.close()
        _push(b, "b adds idi-02")
        git(a, "pull", "-q", "--no-rebase")
        rename(ws, "idi-01", "idi-01b")
        assert sorted(r.key for r in rec_store.list_recordings(ws.db)) == ["idi-01b", "idi-02"]
    finally:
        ws.close()
    assert _keys(a) == ["idi-01b", "idi-02"]
    assert (a / "transcripts" / "idi-02.json").exists()


def test_a_rename_of_what_the_pull_renamed_is_refused(tmp_path: Path) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "idi-01", TURNS))
    ws = open_workspace(a)
    try:
        wb = open_workspace(b)
        try:
            rename(wb, "idi-01", "idi-01c")
        finally:
            wb.close()
        _push(b, "b renames")
        git(a, "pull", "-q", "--no-rebase")
        with pytest.raises(NotFound):
            rename(ws, "idi-01", "idi-01b")
    finally:
        ws.close()
    assert _keys(a) == ["idi-01c"]
    assert git(a, "status", "--porcelain") == ""
