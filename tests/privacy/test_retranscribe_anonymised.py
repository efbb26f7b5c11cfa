"""Transcribing an anonymised study again (or importing a transcript into it) would bring the
names back as spoken, silently: it is refused, with one line saying how to go ahead, in the
runner, the CLI (`transcribe`, `transcript import`) and the TUI (t, a, R)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AUDIO, FakeEngine, child_env

from qualtool.domain import Language, Recording
from qualtool.domain.errors import QualtoolError
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.importing import import_file
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.transcribe.run import transcribe_recording
from qualtool.tui.app import QualtoolApp
from qualtool.workspace.study import Workspace, open_workspace

NAME = "Гульнара Серикбаевна"
SCRIPT = [
    (0.0, 3.0, "Расскажите, как вас зовут?"),
    (3.5, 8.0, f"Меня зовут {NAME}, я три раза ходила в ЦОН за справкой."),
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qualtool", *args], cwd=cwd, text=True,
                          capture_output=True, env=child_env(cwd))  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and fragment in lines[0], lines[0]


def _anonymised(ws: Workspace) -> Recording:
    rec = import_file(ws.study, ws.db, AUDIO / "idi-02.flac", Recording(language=Language.RU))
    transcribe_recording(ws, rec, FakeEngine(SCRIPT))
    anonymise(ws, study_vault(ws))
    return rec


def _texts(ws: Workspace, rec: Recording) -> str:
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    assert t is not None
    return " ".join(s.text for s in t.segments)


def test_the_runner_refuses_and_changes_nothing(empty_study: Workspace) -> None:
    ws = empty_study
    rec = _anonymised(ws)
    before = _texts(ws, rec)
    assert "Серикбаевна" not in before
    with pytest.raises(QualtoolError, match="--allow-originals") as err:
        transcribe_recording(ws, rec, FakeEngine(SCRIPT), restart=True)
    assert "anonymise --apply" in str(err.value)
    assert _texts(ws, rec) == before
    files = " ".join(p.read_text(encoding="utf-8") for p in ws.study.transcripts_dir.iterdir())
    assert "Серикбаевна" not in files
    # asked for explicitly: the names are back, as the message warned
    transcribe_recording(ws, rec, FakeEngine(SCRIPT), restart=True, allow_originals=True)
    assert "Серикбаевна" in _texts(ws, rec)


def test_a_finished_transcript_is_still_returned(empty_study: Workspace) -> None:
    """Not a new transcript: nothing to refuse."""
    ws = empty_study
    rec = _anonymised(ws)
    assert "Серикбаевна" not in " ".join(
        s.text for s in transcribe_recording(ws, rec, FakeEngine(SCRIPT)).segments
    )


def test_cli_transcribe_and_import_refuse_with_one_line(
    empty_study: Workspace, tmp_path: Path
) -> None:
    ws = empty_study
    rec = _anonymised(ws)
    root = ws.study.root
    ws.close()
    one_line_error(run("-s", str(root), "transcribe", rec.key, "--restart", cwd=root),
                   "--allow-originals")  # fmt: skip
    spoken = tmp_path / "spoken.txt"
    spoken.write_text(f"R: Меня зовут {NAME}.\n", encoding="utf-8")
    one_line_error(run("-s", str(root), "transcript", "import", rec.key, str(spoken), cwd=root),
                   "qualtool transcript import")  # fmt: skip
    ws = open_workspace(root)
    assert "Серикбаевна" not in _texts(ws, rec)
    ws.close()


async def test_tui_transcribe_shows_the_same_message(empty_study: Workspace) -> None:
    ws = empty_study
    rec = _anonymised(ws)
    app = QualtoolApp(ws, coder="anna", engine_factory=lambda study: FakeEngine(SCRIPT))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert not app.workers, "nothing may start"
        said = [n.message for n in app._notifications]
        assert any("--allow-originals" in m and "anonymise --apply" in m for m in said), said
    assert "Серикбаевна" not in _texts(ws, rec)


def test_a_clone_of_an_anonymised_study_refuses_too(empty_study: Workspace, tmp_path: Path) -> None:
    """A colleague's laptop: the files of the anonymised study (as pulled), its own database,
    which never ran the apply. The pseudonyms in the text say it is anonymised."""
    ws = empty_study
    rec = _anonymised(ws)
    ws.save_manifest()  # what `add` writes: the recording is in the files a clone has
    clone = tmp_path / "clone"
    shutil.copytree(ws.study.root, clone, ignore=shutil.ignore_patterns("qualtool.db*"))
    other = open_workspace(clone)
    try:
        copy = rec_store.get_recording(other.db, rec.key)
        assert "Имя-1" in _texts(other, copy)
        with pytest.raises(QualtoolError, match="--allow-originals"):
            transcribe_recording(other, copy, FakeEngine(SCRIPT), restart=True)
        assert "Серикбаевна" not in _texts(other, copy)
    finally:
        other.close()
