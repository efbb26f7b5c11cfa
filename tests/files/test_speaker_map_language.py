"""speakers.yml is one of the study's shared files: its comment is written in the study's
language (`Study.written`), whoever corrects a speaker — a Russian study's file used to open
with an English comment. The same corrections are the same bytes on every laptop, and a file
that already says the same (an older release's English comment) is not rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.cli.main import main
from qualtool.files.speaker_map import FILE, render_speaker_map, set_role
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TURNS = [("I", "Расскажите, как вы получали справку?"), ("R", "Портал зависал.")]


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(["--study", str(root), *args])
        code = 0
    except SystemExit as ended:
        code = int(ended.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_russian_study_gets_a_russian_comment_whatever_the_coders_interface(
    empty_study: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_text_recording(empty_study.db, "idi-01", TURNS)
    root = empty_study.study.root
    empty_study.close()
    monkeypatch.setenv("QUALTOOL_LANG", "en")  # the coder reads English; the study is Russian
    code, out = run(root, capsys, "suggest", "speakers", "idi-01", "R", "respondent")
    assert code == 0, out
    text = (root / FILE).read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# Кто интервьюер (модератор) в каждой записи — по исправлениям кодировщиков."
    )
    assert "Who is the interviewer" not in text
    assert "idi-01: {R: respondent}\n" in text  # the values stay the stored English roles


def test_the_same_map_is_the_same_bytes_under_any_interface(empty_study: Workspace) -> None:
    root = empty_study.study.root
    set_language("en")
    set_role(root, "idi-01", "SPEAKER_00", "interviewer")
    english_ui = (root / FILE).read_bytes()
    (root / FILE).unlink()
    set_language("ru")
    set_role(root, "idi-01", "SPEAKER_00", "interviewer")
    assert (root / FILE).read_bytes() == english_ui


def test_a_file_that_already_says_the_same_is_not_rewritten(empty_study: Workspace) -> None:
    root = empty_study.study.root
    old = render_speaker_map({"idi-01": {"SPEAKER_00": "interviewer"}})  # English: a release ago
    assert old.startswith("# Who is the interviewer")
    (root / FILE).write_text(old, encoding="utf-8")
    set_role(root, "idi-01", "SPEAKER_00", "interviewer")  # nothing new: no churn in git
    assert (root / FILE).read_text(encoding="utf-8") == old
    set_role(root, "idi-01", "SPEAKER_01", "respondent")  # a change: written, in Russian
    assert (root / FILE).read_text(encoding="utf-8").startswith("# Кто интервьюер")
