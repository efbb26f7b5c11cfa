"""Session 17 (PRIV17 item 4): what a killed command leaves in the study — an atomic write's
scratch copy («.idi-old.json.tmp», «barriers.yml.part»), a `transcribe --restart`'s scratch
database in .qualtool/retranscribe/ (the recording's words and metadata as decoded) — holds
the text as it was, and `--apply` read none of them: the names stayed there, in files under
the study, after it. The apply removes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import apply, study_of

TURNS = ["Расскажите.", "Меня зовут Гульнара Жумабаева, в ЦОНе меня приняла Шолпан Кенжебаева."]
NAMES = ["Гульнар", "Жумабаев", "Шолпан", "Кенжебаев"]


def test_scratch_files_a_killed_command_left_are_gone_after_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    # as a SIGKILL between writing and renaming leaves them, and a killed re-transcription
    shutil.copy(root / "transcripts" / "idi-01.json", root / "transcripts" / ".idi-old.json.tmp")
    (root / "codebooks" / "barriers.yml.part").write_text("# Гульнара Жумабаева\n", "utf-8")
    scratch = root / ".qualtool" / "retranscribe"
    scratch.mkdir(parents=True)
    shutil.copy(root / "qualtool.db", scratch / "idi-01.db")
    apply(root, env)
    assert_no_name(root, NAMES)
    assert not (root / "transcripts" / ".idi-old.json.tmp").exists()
    assert (root / "transcripts" / "idi-01.json").exists()
