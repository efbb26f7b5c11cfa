"""Agreement over an assignment: a coder who finished a transcript and coded nothing in it has
judged every unit there absent; without that record their «nothing» was missing data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import child_env

from qualtool.domain import Coding
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.team import agreement as agr
from qualtool.team import assignments
from qualtool.team.exchange import save_layers
from qualtool.workspace.study import Workspace

REPO = Path(__file__).resolve().parents[2]
CODE = "BUR.EXTRA_DOCS"


def synthetic(ws: Workspace) -> None:
    """t1: six segments both coders coded (κ 0.667 alone); t2: three segments, anna coded two,
    boris read it all and found nothing to code."""
    db = ws.db
    add_text_recording(db, "t1", [("R", f"Фраза {i} про справки.") for i in range(6)])
    add_text_recording(db, "t2", [("R", f"Ещё фраза {i}.") for i in range(3)])
    seg = {(r["key"], r["idx"]): r["id"] for r in db.query(
        "SELECT r.key, s.idx, s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id")}  # fmt: skip
    for coder, key, idxs in (("anna", "t1", [2, 3, 4, 5]), ("boris", "t1", [3, 4, 5]),
                             ("anna", "t2", [0, 1])):  # fmt: skip
        for i in idxs:
            add_coding(db, Coding(seg[(key, i)], CODE, coder, 0, 5, ""))


def test_finished_empty_transcript_counts_as_absent(empty_study: Workspace) -> None:
    ws = empty_study
    synthetic(ws)
    before = agr.agreement(ws.db, ["anna", "boris"], finished=assignments.finished(ws))
    # boris's stretch starts at #3: anna's #2 is not held against him; all three agree
    assert before.transcripts == ["t1"] and before.overall.units == 3
    assert before.overall.percent == 1.0
    assignments.assign(ws, "t2", "boris")  # assigned, not done: still no judgement on t2
    assignments.assign(ws, "t1", "boris", done=True)  # read it all: #0–#2 are his «no»
    mid = agr.agreement(ws.db, ["anna", "boris"], finished=assignments.finished(ws))
    assert mid.compared == {"t1": (4, 6)} and mid.overall.percent == 0.75  # anna: #2–#5
    assignments.assign(ws, "t1", "anna", done=True)
    mid = agr.agreement(ws.db, ["anna", "boris"], finished=assignments.finished(ws))
    assert mid.transcripts == ["t1"] and round(mid.overall.kappa or 0, 3) == 0.667
    assignments.assign(ws, "t2", "boris", done=True)  # read it, nothing to code
    after = agr.agreement(ws.db, ["anna", "boris"], finished=assignments.finished(ws))
    assert after.transcripts == ["t1", "t2"] and round(after.overall.kappa or 0, 3) == 0.333
    assert after.basis["t2"] == {"anna": agr.Coverage(False, (0, 1)),
                                 "boris": agr.Coverage(True, None)}  # fmt: skip
    assert after.basis_line("t1") == "6 of 6 segments (anna done, boris done)"
    assert after.basis_line("t2") == (
        "2 of 3 segments (anna coded #0–#1, boris done, nothing coded)")  # fmt: skip
    assert after.overall.units == 8  # t2#2 lies beyond anna's last coding: nobody to compare
    # and the disagreements to adjudicate now include boris's «no» on t2
    dis = agr.disagreements(ws.db, ["anna", "boris"], finished=assignments.finished(ws))
    assert [(d.recording, d.idx, d.without) for d in dis if d.recording == "t2"] == [
        ("t2", 0, ("boris",)), ("t2", 1, ("boris",))]  # fmt: skip


def test_assignments_file_is_deterministic(empty_study: Workspace) -> None:
    ws = empty_study
    synthetic(ws)
    assignments.assign(ws, "t2", "boris", done=True)
    assignments.assign(ws, "t1", "anna")
    assignments.assign(ws, "t1", "boris")
    path = assignments.path_of(ws)
    assert path.read_text(encoding="utf-8").splitlines()[2:] == [
        "assignments:",
        "- {recording: t1, coder: anna, done: false}",
        "- {recording: t1, coder: boris, done: false}",
        "- {recording: t2, coder: boris, done: true}",
    ]
    stamp = path.stat().st_mtime_ns
    assignments.assign(ws, "t1", "anna")  # nothing changes: the file is not rewritten
    assert path.stat().st_mtime_ns == stamp
    assert assignments.load(ws) == [assignments.Assignment("t1", "anna"),
                                    assignments.Assignment("t1", "boris"),
                                    assignments.Assignment("t2", "boris", True)]  # fmt: skip
    assignments.assign(ws, "t1", "boris", remove=True)
    assert len(assignments.load(ws)) == 2
    with pytest.raises(NotFound):
        assignments.assign(ws, "nope", "anna")
    path.write_text("assignments:\n- recording t1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"assignments\.yml:2"):
        assignments.load(ws)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualtool", *args], cwd=cwd, capture_output=True, text=True,
        env=child_env(cwd, COLUMNS="160"),
    )  # fmt: skip


def test_cli_assign_done_and_agreement_basis(empty_study: Workspace) -> None:
    ws = empty_study
    synthetic(ws)
    ws.save_manifest()
    save_layers(ws)
    root = ws.study.root
    r = run("assign", "t2", "boris", cwd=root)
    assert r.returncode == 0 and "t2 → boris (to do)" in r.stdout, r.stderr
    r = run("done", "t2", "--coder", "boris", cwd=root)
    assert r.returncode == 0 and "t2: boris done" in r.stdout, r.stderr
    r = run("agreement", "--coders", "anna,boris", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "  t1: 3 of 6 segments (anna coded #2–#5, boris coded #3–#5)" in r.stdout
    assert "  t2: 2 of 3 segments (anna coded #0–#1, boris done, nothing coded)" in r.stdout
    assert "60.0" in r.stdout  # 3 of 5 compared segments agree
    r = run("assign", "nope", "anna", cwd=root)
    assert r.returncode != 0 and "Traceback" not in r.stderr


def test_a_coder_name_that_cannot_name_a_layer_file_is_refused(empty_study: Workspace) -> None:
    """`qualtool assign idi-01 "Bad Name"` used to be written to assignments.yml; the coder's
    codings could never be saved under that name."""
    add_text_recording(empty_study.db, "t1", [("R", "Фраза про справки.")])
    for name in ("Bad Name", "../anna", "anna/x"):
        with pytest.raises(InvalidInput, match="coder"):
            assignments.assign(empty_study, "t1", name)
    assert not assignments.path_of(empty_study).exists()
    assert assignments.assign(empty_study, "t1", "anna") is not None
