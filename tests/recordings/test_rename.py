"""Renaming a recording: its key leaves every file and row of the study, its files move (git sees
renames), `qualtool undo` puts every byte back, and a refused rename changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AUDIO, SCRIPT, FakeEngine, child_env

from qualtool.cli.main import cli
from qualtool.coding.actions import apply_codes, write_memo
from qualtool.coding.history import redo, undo
from qualtool.domain import Memo, Participant, Recording, Role
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.files import decisions, speaker_map
from qualtool.recordings.importing import import_file
from qualtool.recordings.rename import rename
from qualtool.team.assignments import assign
from qualtool.transcribe.run import transcribe_recording
from qualtool.workspace.study import Workspace

OLD = "интервью-гульнара-серикбаевна"
FILE = "Интервью Гульнара Серикбаевна.flac"


def seeded(ws: Workspace, tmp_path: Path) -> None:
    """A recording keyed after its file's name, named in every file that can name it."""
    src = tmp_path / FILE
    shutil.copy(AUDIO / "idi-01.flac", src)
    rec = import_file(ws.study, ws.db, src, Recording(
        participants=(Participant("R01", Role.RECIPIENT, "f"),)))  # fmt: skip
    assert rec.key == OLD
    ws.save_manifest()
    transcribe_recording(ws, rec, FakeEngine(SCRIPT))
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    apply_codes(ws, seg, (0, 12), ["STAFF.CONDUCT"], "anna", memo="первое")
    write_memo(ws, Memo("recording", OLD, "заметка о записи", "anna"))
    root = ws.study.root
    decisions.save(root, [decisions.Decision(f"{OLD}#1", 0, 3, "person", "ab12", "reject")])
    speaker_map.set_role(root, OLD, "R01", "respondent")
    assign(ws, OLD, "anna")
    (root / "conflicts").mkdir()
    (root / "conflicts" / "vera.json").write_text(json.dumps(
        {"conflicts": [{"recording": OLD, "segment": 1, "quote": "x"}]}, ensure_ascii=False,
        indent=1), encoding="utf-8")  # fmt: skip
    (root / "audio" / "redacted").mkdir()
    (root / "audio" / "redacted" / f"{OLD}.wav").write_bytes(b"RIFF")
    ws.save_layers()


def files(root: Path) -> dict[str, bytes]:
    """Every file of the study by name, but the database (a cache)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith("qualtool.db")}  # fmt: skip


def rows(ws: Workspace) -> list[object]:
    q = ["SELECT * FROM recordings", "SELECT * FROM memos", "SELECT * FROM file_state",
         "SELECT id, label, payload, undone FROM journal", "SELECT * FROM codings"]  # fmt: skip
    return [list(ws.db.execute(s).fetchall()) for s in q]


@pytest.fixture
def study(empty_study: Workspace, tmp_path: Path) -> Workspace:
    seeded(empty_study, tmp_path)
    return empty_study


def test_rename_reaches_every_file_and_undo_restores_bytes(study: Workspace) -> None:
    root = study.study.root
    before = files(root)
    done = rename(study, OLD, "idi-07")
    after = files(root)
    assert not [n for n in after if "гульнара" in n.lower()]  # no file name holds it
    assert not [n for n, b in after.items() if OLD.encode() in b]  # nor any file's bytes
    assert "audio/idi-07.flac" in after and after["audio/idi-07.flac"] == before[f"audio/{FILE}"]
    assert {f"transcripts/idi-07.{s}" for s in ("json", "md", "srt", "vtt")} <= set(after)
    assert "audio/redacted/idi-07.wav" in after
    layer = after["codings/anna.json"].decode()
    assert '"recording": "idi-07"' in layer and '"target_id": "idi-07"' in layer
    assert "idi-07#1" in after["privacy/decisions.yml"].decode()
    assert "idi-07:" in after["speakers.yml"].decode()
    assert "recording: idi-07" in after["codings/assignments.yml"].decode()
    assert '"recording": "idi-07"' in after["conflicts/vera.json"].decode()
    assert set(done.rewritten) == {"privacy/decisions.yml", "speakers.yml",
                                   "codings/assignments.yml", "conflicts/vera.json"}  # fmt: skip
    db = study.db
    assert db.execute("SELECT key, path FROM recordings").fetchone() == ("idi-07",
                                                                        "audio/idi-07.flac")  # fmt: skip
    assert db.execute("SELECT target_id FROM memos").fetchone()[0] == "idi-07"
    assert not db.execute("SELECT 1 FROM file_state WHERE path LIKE ?", [f"%{OLD}%"]).fetchone()
    assert undo(study).startswith("rename")
    assert files(root) == before  # every byte and every name back
    assert db.execute("SELECT key FROM recordings").fetchone()[0] == OLD
    redo(study)
    assert files(root) == after


@pytest.mark.parametrize(("new", "error"), [
    ("idi-02", "already exists"), ("", "cannot be empty"), ("../x", "cannot be used as a file"),
    ("два слова", "cannot be used as a file"), (OLD, "same as the old one"),
])  # fmt: skip
def test_refused_rename_changes_nothing(study: Workspace, new: str, error: str) -> None:
    import_file(study.study, study.db, AUDIO / "idi-02.flac", Recording())
    study.save_manifest()
    before, db_before = files(study.study.root), rows(study)
    with pytest.raises(InvalidInput, match=error):
        rename(study, OLD, new)
    assert files(study.study.root) == before and rows(study) == db_before


def test_unknown_recording_and_taken_file_are_refused(study: Workspace) -> None:
    before, db_before = files(study.study.root), rows(study)
    with pytest.raises(NotFound):
        rename(study, "нет-такой", "idi-07")
    (study.study.root / "transcripts" / "idi-07.md").write_text("чужой файл", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"transcripts/idi-07\.md already exists"):
        rename(study, OLD, "idi-07")
    assert rows(study) == db_before
    assert files(study.study.root) == {**before, "transcripts/idi-07.md": "чужой файл".encode()}


def test_git_sees_renames(study: Workspace) -> None:
    root = study.study.root
    env = ["-c", "user.name=t", "-c", "user.email=t@x"]

    def git(*args: str) -> str:
        out = subprocess.run(["git", *env, *args], cwd=root, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "seed")
    rename(study, OLD, "idi-07")
    git("add", "-A")
    status = git("-c", "core.quotepath=off", "diff", "--cached", "-M", "--name-status")
    lines = {tuple(line.split("\t")[1:]): line.split("\t")[0] for line in status.splitlines()}
    for s in ("json", "md", "srt", "vtt"):
        assert lines[(f"transcripts/{OLD}.{s}", f"transcripts/idi-07.{s}")].startswith("R")
    assert lines[(f"audio/{FILE}", "audio/idi-07.flac")] == "R100"  # the audio: not a byte


def test_cli_rename_and_refusal(study: Workspace, tmp_path: Path) -> None:
    root = str(study.study.root)
    study.close()
    ok = CliRunner().invoke(cli, ["--study", root, "rename", OLD, "idi-07"])
    assert ok.exit_code == 0, ok.output
    assert f"renamed {OLD} → idi-07" in ok.output and "audio/idi-07.flac" in ok.output
    bad = subprocess.run([sys.executable, "-m", "qualtool", "-s", root, "rename", "idi-07", "a/b"],
                         env=child_env(tmp_path), capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 1 and not bad.stdout
    lines = [x for x in bad.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), bad.stderr
    undone = CliRunner().invoke(cli, ["--study", root, "undo"])
    assert undone.exit_code == 0 and (Path(root) / "audio" / FILE).exists(), undone.output
