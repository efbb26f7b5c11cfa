"""Session 15's leak hunt (FIX-B): a code's labels and keywords (the label is a report heading
and the QDPX code's name), study.toml's glossary and the transcripts' settings it was copied
into by `transcribe` (`glossary`, `hotwords`), the study's name in `export-coder` before
`--apply`, and the git warning of an apply in a repository with no commit yet."""

from __future__ import annotations

import json
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import add_recording, cli, env_vault

from qualtool.coding.actions import apply_codes
from qualtool.files import codebook_edit
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

TURN = "Меня принимал Ерлан Сейткалиев, он всё объяснил про справку."
NAMES = ["Сейткалиев", "Ерлан"]
GLOSSARY = 'glossary = ["Ерлан Сейткалиев", '
HOTWORDS = "Термины: Ерлан Сейткалиев, ЦОН, акимат"


def _study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "Жалобы") -> Path:
    """One recording naming Ерлан Сейткалиев, coded STAFF.CONDUCT, whose code's labels and
    keywords name him too; the glossary in study.toml and the transcript's settings too."""
    env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name=name, year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    toml = root / "study.toml"
    text = toml.read_text(encoding="utf-8")
    assert "glossary = [" in text
    toml.write_text(text.replace("glossary = [", GLOSSARY, 1), encoding="utf-8")
    open_workspace(root, sync=True).close()
    add_recording(root, "idi-01", [TURN])
    ws = open_workspace(root, sync=True)
    codebook_edit.edit_fields(ws.study.codebook_path, "STAFF.CONDUCT",
                              label_ru="Поведение (Ерлан Сейткалиев)",
                              label_en="Conduct (Ерлан Сейткалиев)",
                              keywords="грубо, Ерлан Сейткалиев")  # fmt: skip
    ws.close()
    ws = open_workspace(root, sync=True)
    settings = {"model": "small", "glossary": ["Ерлан Сейткалиев", "ЦОН"], "hotwords": HOTWORDS}
    ws.db.execute("UPDATE transcripts SET settings = ?", [json.dumps(settings, ensure_ascii=False)])
    write_outputs(ws, rec_store.list_recordings(ws.db)[0], overwrite=True)
    seg, text = ws.db.execute("SELECT id, text FROM segments ORDER BY id").fetchone()
    apply_codes(ws, seg, (0, len(text)), ["STAFF.CONDUCT"], "anna")
    ws.close()
    open_workspace(root, sync=True).close()
    return root


def test_before_apply_the_names_are_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _study(tmp_path, monkeypatch)
    left = names_left(root, ["Поведение (Ерлан", "Conduct (Ерлан", GLOSSARY, "грубо, Ерлан",
                             "Термины: Ерлан"])  # fmt: skip
    assert {"study.toml", "codebooks/barriers.yml", "transcripts/idi-01.json",
            "qualtool.db"} <= set(left), left  # fmt: skip
    assert len(left["codebooks/barriers.yml"]) == 3, left
    assert left["transcripts/idi-01.json"] == ["Термины: Ерлан"], left


def test_apply_cleans_labels_keywords_glossary_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _study(tmp_path, monkeypatch)
    env = {"QUALTOOL_VAULT": str(tmp_path / "vault")}
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES)
    # what stays: the glossary's other terms, the label's words, the code's other keyword
    glossary = tomllib.loads((root / "study.toml").read_text(encoding="utf-8"))
    assert "ЦОН" in glossary["transcription"]["glossary"]
    book = (root / "codebooks" / "barriers.yml").read_text(encoding="utf-8")
    assert "Поведение (Имя-" in book and "грубо" in book
    doc = json.loads((root / "transcripts" / "idi-01.json").read_text(encoding="utf-8"))
    assert doc["settings"]["hotwords"].startswith("Термины: Имя-")
    assert doc["settings"]["glossary"][1] == "ЦОН"
    out = tmp_path / "out"
    out.mkdir()
    assert cli(root, "refi", "export", str(out / "s.qdpx"), env=env).returncode == 0
    r = cli(root, "report", "--all-coders", "--format", "md", "-o", str(out / "r.md"), env=env)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out / "s.qdpx") as z:
        for n in z.namelist():
            blob = z.read(n).decode("utf-8", "replace").lower()
            assert not any(name.lower() in blob for name in NAMES), n
    assert not names_left(out, NAMES, [out / "r.md"])
    # --restore brings them back
    r = cli(root, "anonymise", "--restore", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    left = names_left(root, ["Поведение (Ерлан", GLOSSARY, "Термины: Ерлан"])
    assert {"study.toml", "codebooks/barriers.yml", "transcripts/idi-01.json"} <= set(left), left


def test_exports_before_apply_clean_labels_and_the_study_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's headings, the QDPX codes and export-coder's study name and code labels,
    as `--apply` will leave them."""
    root = _study(tmp_path, monkeypatch, name="Жалобы на Ерлана Сейткалиева")
    env = {"QUALTOOL_VAULT": str(tmp_path / "vault")}
    out = tmp_path / "out"
    out.mkdir()
    r = cli(root, "export-coder", "anna", "-o", str(out / "anna.json"), env=env)
    assert r.returncode == 0, r.stderr
    r = cli(root, "report", "--all-coders", "--format", "md", "-o", str(out / "r.md"), env=env)
    assert r.returncode == 0, r.stderr
    r = cli(root, "refi", "export", str(out / "s.qdpx"), env=env)
    assert r.returncode == 0, r.stderr
    assert not names_left(out, NAMES, [out / "anna.json", out / "r.md"])
    with zipfile.ZipFile(out / "s.qdpx") as z:
        for n in z.namelist():
            blob = z.read(n).decode("utf-8", "replace").lower()
            assert not any(name.lower() in blob for name in NAMES), n
    doc = json.loads((out / "anna.json").read_text(encoding="utf-8"))
    assert doc["study_name"].startswith("Жалобы на Имя-")
    assert doc["codings"][0]["code_label"].startswith("Поведение (Имя-")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)  # fmt: skip


@pytest.mark.parametrize("commit", [False, True])
def test_git_warning_only_when_a_commit_holds_the_originals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commit: bool
) -> None:
    root = _study(tmp_path, monkeypatch)
    _git(root, "init", "-q")
    if commit:
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "study")
    r = cli(root, "anonymise", "--apply", env={"QUALTOOL_VAULT": str(tmp_path / "vault")})
    assert r.returncode == 0, r.stderr
    assert ("earlier git commits" in r.stderr) is commit, r.stderr
