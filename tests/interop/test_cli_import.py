"""`qualtool init` then `qualtool refi import project.qdpx`: the project's codes become the
codebook file, the coders' layers are written, the self-check is printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import child_env
from interop_data import DATA, pack
from ruamel.yaml import YAML

from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualtool", *args], cwd=cwd, capture_output=True, text=True,
        env=child_env(cwd, COLUMNS="160"),
    )  # fmt: skip


def test_init_then_import_nvivo(tmp_path: Path) -> None:
    qdpx = pack(DATA / "nvivo", tmp_path / "nvivo.qdpx")
    # a study that starts from the project's own codes, not the shipped barrier codebook
    r = run("init", str(tmp_path / "s"), "--name", "Импорт", "--no-codebook", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    study = tmp_path / "s"
    r = run("refi", "import", str(qdpx), cwd=study)
    assert r.returncode == 0, r.stderr
    assert "NVivo project, positions as UTF-16 units" in r.stdout
    assert "1 new source(s), 9 coding(s) added" in r.stdout and "19 new code(s)" in r.stdout
    assert "check: 0 of 9 selection(s) start or end inside a word" in r.stdout
    assert "warning" not in r.stderr
    doc = YAML().load((study / "codebooks" / "barriers.yml").read_text(encoding="utf-8"))
    assert doc["codebook"]["name"] == "Untitled" and len(doc["codes"]) == 6
    assert (study / "codings" / "gergo.json").exists()
    assert (study / "transcripts" / "videos_10_selected.md").exists()
    r = run("refi", "import", str(qdpx), cwd=study)  # again: nothing new
    assert "0 new source(s), 0 coding(s) added, 9 already present" in r.stdout, r.stdout


def test_imported_study_rebuilds_from_its_files(tmp_path: Path) -> None:
    """The files are the truth: a fresh clone (no database) has the same codings."""
    qdpx = pack(DATA / "atlasti", tmp_path / "a.qdpx", qde="Trial.qde")
    assert run("init", str(tmp_path / "s"), cwd=tmp_path).returncode == 0
    study = tmp_path / "s"
    r = run("refi", "import", str(qdpx), cwd=study)
    assert r.returncode == 0 and "4 coding(s) added" in r.stdout, r.stdout + r.stderr
    (study / "qualtool.db").unlink()
    ws = open_workspace(study)
    rows = ws.db.execute("SELECT quote FROM codings ORDER BY quote").fetchall()
    assert [q for (q,) in rows] == ["Портал завис", "каждый раз просили новую справку",
                                    "стояла в очереди два часа", "стояла в очереди два часа"]  # fmt: skip
    [rec] = rec_store.list_recordings(ws.db)
    assert [p.pseudonym for p in rec.participants] == ["Респондентка 7"]
    ws.close()


def test_import_notes_and_refusals_speak_russian(tmp_path: Path) -> None:
    """What an analyst reads on import — skipped sources, refusals — was English in a Russian
    study: those messages were never marked for translation."""
    r = run("init", str(tmp_path / "s"), "--no-codebook", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    study = tmp_path / "s"
    toml = study / "study.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[study]\n", '[study]\nui_language = "ru"\n', 1),
                    encoding="utf-8")  # fmt: skip
    ru = child_env(study, COLUMNS="160", QUALTOOL_LANG="")
    qdpx = pack(DATA / "atlasti-8", tmp_path / "a8.qdpx", qde="Project.qde")
    r = subprocess.run([sys.executable, "-m", "qualtool", "refi", "import", str(qdpx)], cwd=study,
                       capture_output=True, text=True, env=ru)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "PictureSource (qualtool работает с текстом); не импортирован" in r.stderr, r.stderr
    assert "not imported" not in r.stderr
    (tmp_path / "bad.qdpx").write_text("nope", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "qualtool", "refi", "import", str(tmp_path / "bad.qdpx")],
                       cwd=study, capture_output=True, text=True, env=ru)  # fmt: skip
    assert r.returncode == 1 and r.stderr.startswith("ошибка: ") and "это не архив QDPX" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
