"""Session 14's leak hunt, the files and rows `--apply` left a name in: an adjudication's note
(the `adjudications` row and codings/consensus.json), codebooks/recommendations.yml, the study's
name in study.toml (then the QDPX project and the DOCX title), and the records of a coder layer
for a recording the study does not have (kept in codings/<coder>.json only)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import add_recording, cli, env_vault

from qualtool.coding.actions import apply_codes
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.team.agreement import adjudicate
from qualtool.workspace.study import open_workspace

TURN = "Меня принимал Ерлан Сейткалиев, он всё объяснил про справку."
NAMES = ["Сейткалиев", "Ерлан"]
RECOMMENDATIONS = """\
recommendations:
  - id: R1
    text: Обучить сотрудников (жалоба на Ерлана Сейткалиева).
    addressee: ЦОН
    codes: [STAFF.CONDUCT]
"""
STRAY = {"kind": "coding", "recording": "idi-99", "segment": 0, "start": 0, "end": 5,
         "code": "STAFF.CONDUCT", "quote": "Ерлан Сейткалиев", "memo": "спросить Сейткалиева",
         "status": "applied", "provenance": "manual"}  # fmt: skip


def _study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Жалобы на Ерлана Сейткалиева", year=2025,
                       coder="anna", codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    open_workspace(root, sync=True).close()
    add_recording(root, "idi-01", [TURN])
    (study.codebooks_dir / "recommendations.yml").write_text(RECOMMENDATIONS, encoding="utf-8")
    ws = open_workspace(root, sync=True)
    seg = ws.db.execute("SELECT id FROM segments ORDER BY id").fetchone()[0]
    apply_codes(ws, seg, (0, 20), ["STAFF.CONDUCT"], "anna")
    adjudicate(ws, seg, "STAFF.CONDUCT", False, "team", note="Сейткалиев сам так сказал")
    ws.close()
    layer = root / "codings" / "anna.json"
    lines = layer.read_text(encoding="utf-8").splitlines()
    lines.insert(-1, "," + json.dumps(STRAY, ensure_ascii=False))
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    open_workspace(root, sync=True).close()
    return root, env


def test_before_apply_the_names_are_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can see each leak: the note, the recommendation, the name, the stray record."""
    root, _env = _study(tmp_path, monkeypatch)
    left = names_left(root, ["Сейткалиев сам", "жалоба на Ерлана", "Жалобы на Ерлана",
                             "спросить Сейткалиева"])  # fmt: skip
    assert {"codings/consensus.json", "codebooks/recommendations.yml", "study.toml",
            "codings/anna.json", "qualtool.db"} <= set(left), left  # fmt: skip


def test_apply_leaves_no_name_in_notes_files_and_stray_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = _study(tmp_path, monkeypatch)
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES)
    out = tmp_path / "out"
    out.mkdir()
    assert cli(root, "refi", "export", str(out / "s.qdpx"), env=env).returncode == 0
    r = cli(root, "report", "--all-coders", "--format", "docx", "-o", str(out / "r.docx"), env=env)
    assert r.returncode == 0, r.stderr
    r = cli(root, "report", "--all-coders", "--format", "md", "-o", str(out / "r.md"), env=env)
    assert r.returncode == 0, r.stderr
    import zipfile

    for path in (out / "s.qdpx", out / "r.docx"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                blob = z.read(n).decode("utf-8", "replace").lower()
                assert not any(name.lower() in blob for name in NAMES), (path, n)
    assert not names_left(out, NAMES, [out / "r.md"])
    # what stays readable: the study's own words, the recommendation, the stray record
    cfg = tomllib.loads((root / "study.toml").read_text(encoding="utf-8"))["study"]
    assert cfg["name"].startswith("Жалобы на Имя-")
    assert "Обучить сотрудников" in (root / "codebooks" / "recommendations.yml").read_text()
    assert "idi-99" in (root / "codings" / "anna.json").read_text(encoding="utf-8")


def test_stray_records_alone_are_something_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coder layer's record for a recording the study lacks is cleaned even when nothing
    else names anyone: apply does not say there is nothing to do."""
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Чисто", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    open_workspace(root, sync=True).close()
    add_recording(root, "idi-01", ["В ЦОНе очередь была большая."])
    layer = root / "codings" / "anna.json"
    layer.parent.mkdir(exist_ok=True)
    layer.write_text('[{"coder": "anna", "format": "qualtool-coder-layer", "version": 2}\n,'
                     + json.dumps(STRAY, ensure_ascii=False) + "\n]\n", encoding="utf-8")  # fmt: skip
    open_workspace(root, sync=True).close()
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES)


def test_restore_brings_the_note_and_the_name_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = _study(tmp_path, monkeypatch)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    r = cli(root, "anonymise", "--restore", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    left = names_left(root, ["Сейткалиев сам", "жалоба на Ерлана", "Жалобы на Ерлана"])
    assert {"codings/consensus.json", "codebooks/recommendations.yml", "study.toml"} <= set(left)


def test_a_removed_recordings_transcripts_are_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`qualtool rm` leaves a recording's transcripts on disk, as it leaves its media: the
    apply cleans them (nothing is deleted; `--restore` brings their text back)."""
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Чисто", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    open_workspace(root, sync=True).close()
    add_recording(root, "idi-01", ["В ЦОНе очередь была большая."])
    add_recording(root, "idi-02", [TURN])
    assert cli(root, "rm", "idi-02", "--yes", env=env).returncode == 0
    assert names_left(root, NAMES)
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES)
    kept = sorted(p.name for p in (root / "transcripts").glob("idi-02.*"))
    assert kept == ["idi-02.json", "idi-02.md", "idi-02.srt", "idi-02.vtt"]
    assert "Имя-" in (root / "transcripts" / "idi-02.md").read_text(encoding="utf-8")
    r = cli(root, "anonymise", "--restore", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Сейткалиев" in (root / "transcripts" / "idi-02.md").read_text(encoding="utf-8")
