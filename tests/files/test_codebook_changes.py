"""The codebook is a study file like the others: read when it appears or changes; changes that
would orphan work are refused or migrated, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from qualtool.cli.main import cli
from qualtool.domain.errors import CodebookError, InvalidInput
from qualtool.files.codebook import load_codebook
from qualtool.files.codebook_edit import move_code
from qualtool.store import suggestions as sug_store
from qualtool.store.codebook import sync_codebook
from qualtool.workspace.study import open_workspace

CB = REPO / "codebooks" / "barriers.yml"


def qt(study: Path, *args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, ["--study", str(study), *args], catch_exceptions=not ok)
    if ok:
        assert result.exit_code == 0, result.output
        return result.output
    assert result.exit_code != 0
    return result.output + str(result.exception)


def test_init_ships_the_codebook_and_it_is_loaded(tmp_path: Path) -> None:
    out = qt(tmp_path, "init", str(tmp_path / "s"), "--coder", "anna")
    assert "codebooks/barriers.yml" in out
    assert (tmp_path / "s" / "codebooks" / "barriers.yml").read_bytes() == CB.read_bytes()
    assert "TECH.AUTH" in qt(tmp_path / "s", "codebook", "show")
    for name in (".gitignore", ".gitattributes"):
        assert (tmp_path / "s" / name).exists()
    toml = (tmp_path / "s" / "study.toml").read_text()
    assert "\nid = '" in toml  # the study id, written once


def test_no_codebook_then_a_file_appears_and_the_next_command_uses_it(tmp_path: Path) -> None:
    root = tmp_path / "s"
    qt(tmp_path, "init", str(root), "--no-codebook")
    assert not (root / "codebooks" / "barriers.yml").exists()
    out = qt(root, "suggest", "run", ok=False)
    assert "no codebook yet" in out and "codebooks/barriers.yml" in out
    shutil.copy(CB, root / "codebooks" / "barriers.yml")
    assert "TECH.AUTH" in qt(root, "codebook", "show")  # no `codebook load` needed
    # and an edit to the file is read by the next command too
    path = root / "codebooks" / "barriers.yml"
    path.write_text(path.read_text().replace("Нестабильная работа, зависания", "Сбои портала"))
    assert "Сбои портала" in qt(root, "codebook", "show", "TECH.OUTAGE")


def test_init_with_a_given_codebook_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yml"
    shutil.copy(REPO / "codebooks" / "recommendations.yml", mine)
    qt(tmp_path, "init", str(tmp_path / "s"), "--codebook", str(mine))
    assert (tmp_path / "s" / "codebooks" / "barriers.yml").read_bytes() == mine.read_bytes()


def test_removed_code_with_pending_suggestions_loads_without_a_crash(empty_study) -> None:  # type: ignore[no-untyped-def]
    from qualtool.recordings.corpus import add_text_recording

    ws = empty_study
    add_text_recording(ws.db, "t", [("R", "Портал постоянно зависал, ЭЦП не работала.")])
    seg = ws.db.execute("SELECT id FROM segments").fetchone()[0]
    sug_store.propose(ws.db, [{"segment_id": seg, "code_id": "TECH.OUTAGE", "start": 0, "end": 6,
                               "quote": "Портал", "score": 0.9, "reason": "test"}])  # fmt: skip
    text = ws.study.codebook_path.read_text()
    start = text.index("      - id: TECH.OUTAGE")
    end = text.index("      - id: TECH.UPLOAD")
    ws.study.codebook_path.write_text(text[:start] + text[end:])
    report = sync_codebook(ws.db, load_codebook(ws.study.codebook_path))
    assert report.removed == ["TECH.OUTAGE"] and report.dropped_suggestions == 1
    assert "pending suggestion" in report.summary()


def test_replaces_an_unknown_code_is_refused_naming_it(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    path = ws.study.codebook_path
    text = path.read_text()
    path.write_text(text.replace("      - id: TECH.OUTAGE\n",
                                 "      - id: TECH.OUTAGE\n        replaces: [TECH.OUTAEG]\n"))  # fmt: skip
    with pytest.raises(CodebookError, match=r"TECH\.OUTAEG") as info:
        sync_codebook(ws.db, load_codebook(path))
    assert "not a code of this study" in str(info.value.problems)


def test_moving_a_code_under_its_own_child_names_both(empty_study) -> None:  # type: ignore[no-untyped-def]
    path = empty_study.study.codebook_path
    before = path.read_bytes()
    with pytest.raises(
        InvalidInput, match=r"cannot move TECH under TECH\.AUTH: TECH\.AUTH is inside"
    ):
        move_code(path, "TECH", "TECH.AUTH")
    assert path.read_bytes() == before


def test_a_broken_codebook_file_does_not_stop_reading(tmp_path: Path) -> None:
    root = tmp_path / "s"
    qt(tmp_path, "init", str(root))
    (root / "codebooks" / "barriers.yml").write_text("codes: [\n")
    ws = open_workspace(root)
    assert ws.opened is not None and ws.opened.codebook_problem
    ws.close()
    assert qt(root, "ls")  # works, with a warning
