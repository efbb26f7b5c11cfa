"""An interview without audio (README: `file: text:idi-09`, then `transcript import`): there is
nothing to transcribe. `transcribe idi-09` tried to decode the path `text:idi-09` as a file
(«cannot decode audio … No such file or directory»), and `transcribe --all --restart` failed on
it after the model had loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FakeEngine

from qualtool.cli.main import cli
from qualtool.domain.errors import InvalidInput
from qualtool.store import recordings as rec_store
from qualtool.transcribe.run import transcribe_recording
from qualtool.workspace.study import open_workspace

NOTES = "[00:00:01] Интервьюер: Как вы получали услугу?\n[00:00:05] Респондент: Долго ждал.\n"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A new study with one interview imported as text, added as the README says."""
    root = tmp_path / "study"
    assert run(root.parent, "init", str(root), "--no-codebook")[0] == 0
    with (root / "audio" / "recordings.yml").open("a", encoding="utf-8") as f:
        f.write("- key: idi-09\n  file: text:idi-09\n  method: idi\n  region: ВКО\n")
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    assert run(root, "transcript", "import", "idi-09", str(tmp_path / "notes.txt"))[0] == 0
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--study", str(root), *args])
    return result.exit_code, result.output


def test_the_service_refuses_before_loading_anything(study: Path) -> None:
    ws = open_workspace(study, sync=True)
    try:
        rec = rec_store.get_recording(ws.db, "idi-09")
        with pytest.raises(InvalidInput, match="idi-09 has no audio"):
            transcribe_recording(ws, rec, FakeEngine([(0.0, 1.0, "x")]), restart=True)
    finally:
        ws.close()


def test_transcribe_names_it_and_all_skips_it(study: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("qualtool.cli.transcribe_cmd.make_engine",
                        lambda study: FakeEngine([(0.0, 1.0, "x")]))  # fmt: skip
    code, out = run(study, "transcribe", "idi-09")
    assert code == 1 and "idi-09 has no audio" in out and "decode" not in out
    code, out = run(study, "transcribe", "--all", "--restart")  # a study-wide redo skips it
    assert code == 0 and "nothing to transcribe" in out
    before = (study / "transcripts" / "idi-09.json").read_bytes()
    assert run(study, "transcript", "show", "idi-09")[1].count("Долго ждал") == 1
    assert (study / "transcripts" / "idi-09.json").read_bytes() == before
