"""The CLI contract: readable output, one-line errors, non-zero exits, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import AUDIO, child_env

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH: the subprocess runs the code under test, not another installed qualtool
    return subprocess.run(
        [sys.executable, "-m", "qualtool", *args], cwd=cwd, capture_output=True, text=True,
        env=child_env(cwd, COLUMNS="160"),
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and fragment in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def test_init_add_ls_edit_show(tmp_path: Path) -> None:
    r = run("init", "st", "--year", "2025", "--coder", "anna", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    st = tmp_path / "st"
    assert (st / "study.toml").exists() and (st / "qualtool.db").exists()
    r = run("add", str(AUDIO / "idi-01.flac"), "-m", "idi", "--service", "Пособие", "--region", "ВКО",
            "--lang", "ru", "--date", "2025-06-12", "-p", "R01:recipient:f:35-44:ВКО", "--consent", cwd=st)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "added idi-01 (00:00:18" in r.stdout
    r = run("ls", cwd=st)
    assert (
        r.returncode == 0 and "idi-01" in r.stdout and "Пособие" in r.stdout and "R01" in r.stdout
    )
    r = run("edit", "idi-01", "--region", "Абай", "--notes", "повтор", cwd=st)
    assert r.returncode == 0 and "region" in r.stdout
    r = run("show", "idi-01", cwd=st)
    assert "Абай" in r.stdout and "35-44" in r.stdout
    assert "region: Абай" in (st / "audio" / "recordings.yml").read_text(encoding="utf-8")


def test_errors_are_one_line(tmp_path: Path) -> None:
    run("init", "st", cwd=tmp_path)
    st = tmp_path / "st"
    (tmp_path / "x.wav").write_text("not audio")
    one_line_error(run("add", str(tmp_path / "x.wav"), cwd=st), "not a readable audio")
    one_line_error(run("add", str(tmp_path / "none.mp3"), cwd=st), "no such file")
    one_line_error(run("show", "idi-99", cwd=st), "no recording 'idi-99'")
    one_line_error(run("edit", "idi-99", "--region", "x", cwd=st), "no recording")
    one_line_error(run("ls", cwd=tmp_path), "no study here")
    one_line_error(run("init", "st", cwd=tmp_path), "already a study")
    one_line_error(run("transcribe", cwd=st), "--all")
    r = run("add", str(AUDIO / "idi-01.flac"), "-m", "webinar", cwd=st)
    assert r.returncode == 2 and "webinar" in r.stderr and "Traceback" not in r.stderr


def test_codebook_check(tmp_path: Path) -> None:
    run("init", "st", cwd=tmp_path)
    st = tmp_path / "st"
    (st / "codebooks" / "barriers.yml").write_text(
        "codebook:\n  name: x\ncodes:\n  - id: A\n    label_ru: [\n"
    )
    r = run("codebook", "check", cwd=st)
    assert r.returncode == 1 and "barriers.yml:" in r.stderr and "Traceback" not in r.stderr
    repo = Path(__file__).resolve().parents[2]
    r = run("codebook", "check", str(repo / "codebooks" / "barriers.yml"), cwd=st)
    assert r.returncode == 0 and "ok — 63 codes" in r.stdout


def test_new_commands_fail_with_one_line_errors(tmp_path: Path) -> None:
    r = run("init", "st", "--year", "2025", "--coder", "anna", cwd=tmp_path)
    st = tmp_path / "st"
    (st / "codebooks" / "barriers.yml").write_text(
        (Path(__file__).resolve().parents[2] / "codebooks" / "barriers.yml").read_text()
    )
    assert run("codebook", "load", cwd=st).returncode == 0
    one_line_error(run("search", "NOT", "справка", cwd=st), "NOT needs a term")
    one_line_error(run("code", "idi-01#3", "BUR.DELAY", cwd=st), "no segment idi-01#3")
    one_line_error(run("code", "idi-01", "BUR.DELAY", cwd=st), "KEY#INDEX")
    one_line_error(run("suggest", "accept", "42", cwd=st), "no suggestion 42")
    one_line_error(run("agreement", cwd=st), "at least two coders")
    (st / "bad.qdpx").write_text("nope")
    one_line_error(run("refi", "import", "bad.qdpx", cwd=st), "not a QDPX archive")
    (st / "bad.json").write_text("{}")
    one_line_error(run("import-coder", "bad.json", cwd=st), "not a qualtool coder export")
    one_line_error(run("export-coder", "nobody", cwd=st), "no codings to export")
    one_line_error(run("quotes", "pin", "7", cwd=st), "no coding 7")
    r = run("report", cwd=st)
    assert r.returncode == 1 and "nothing coded" in r.stderr and "Traceback" not in r.stderr


def test_codebook_check_reports_each_group_problem(tmp_path: Path) -> None:
    run("init", "st", cwd=tmp_path)
    st = tmp_path / "st"
    cb = st / "codebooks" / "barriers.yml"
    cb.write_text("codebook:\n  name: x\ncodes:\n  - id: A\n    label_ru: a\n"
                  "groups:\n  - name: G\n    codes: [A, B]\n  - name: G\n  - 7\n",
                  encoding="utf-8")  # fmt: skip
    r = run("codebook", "check", cwd=st)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    found = [ln.split("barriers.yml:", 1)[1] for ln in r.stderr.splitlines()
             if ln.startswith(str(cb))]  # fmt: skip
    assert found == [
        "8: group «G»: unknown code B",
        "9: duplicate group name «G» (first at line 7)",
        "10: each group must be a mapping with a `name:`",
    ], r.stderr


def test_service_errors_in_russian(tmp_path: Path) -> None:
    """A Russian user reads the services' refusals in Russian on the error line (the tests'
    other subprocesses pin English through child_env)."""
    st = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / part, st / part)
    shutil.copy(REPO / "study.toml", st / "study.toml")

    def ru(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qualtool", *args], cwd=st,
                              capture_output=True, text=True,
                              env=child_env(st, COLUMNS="160", QUALTOOL_LANG="ru"))  # fmt: skip

    def one_line(result: subprocess.CompletedProcess[str]) -> str:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        return lines[0]

    layer = st / "codings" / "dana.json"
    before = layer.read_bytes() if layer.exists() else None
    r = ru("code", "idi-01#2", "NO.SUCH", "--quote", "Я ждал больше месяца", "--coder", "dana")
    assert one_line(r) == (
        "ошибка: в кодовой книге нет кода 'NO.SUCH' (см. `qualtool codebook show`)"
    )
    assert one_line(ru("code", "idi-01#999", "BUR.DELAY")) == "ошибка: нет сегмента idi-01#999"
    assert one_line(ru("show", "idi-99")) == "ошибка: нет записи 'idi-99' (см. `qualtool ls`)"
    assert one_line(ru("search", "справка)")) == "ошибка: в запросе не сходятся скобки"
    assert (layer.read_bytes() if layer.exists() else None) == before  # nothing was written
