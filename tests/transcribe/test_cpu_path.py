"""A study with `reproducible = true` transcribes with one arithmetic on every x86-64 machine.

The sample's committed transcripts stopped matching the README main job on a new machine: the
same package versions heard other words on another CPU (numpy's OpenBLAS and SIMD loops,
CTranslate2's ISA and MKL each choose kernels by the CPU). The command now pins the kernels
for such a study before numpy loads (`transcribe.cpu_path`, called by `cli/start.py`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from qualtool.cli.main import cli
from qualtool.transcribe import cpu_path, model

FLAGS = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n"


def _study(root: Path, reproducible: bool | None) -> Path:
    root.mkdir(parents=True)
    line = "" if reproducible is None else f"reproducible = {str(reproducible).lower()}\n"
    (root / "study.toml").write_text(
        f"[study]\nname = 'x'\n\n[transcription]\nbeam_size = 5\n{line}", encoding="utf-8"
    )
    return root


def test_the_study_is_found_as_the_command_finds_it(tmp_path: Path) -> None:
    study = _study(tmp_path / "s", True)
    (study / "audio").mkdir()
    assert cpu_path.study_dir([], {}, study / "audio") == study  # upwards from here
    assert cpu_path.study_dir(["--study", str(study), "ls"], {}, tmp_path) == study
    assert cpu_path.study_dir([f"--study={study}"], {}, tmp_path) == study
    assert cpu_path.study_dir(["-s", str(study), "transcribe", "--all"], {}, tmp_path) == study
    assert cpu_path.study_dir([f"-s{study}"], {}, tmp_path) == study
    assert cpu_path.study_dir(["ls", "-s", str(study)], {}, tmp_path) is None  # not the group's
    assert cpu_path.study_dir([], {"QUALTOOL_STUDY": str(study)}, tmp_path) == study
    assert cpu_path.study_dir([], {}, tmp_path) is None


def test_only_a_study_that_asks_is_pinned(tmp_path: Path) -> None:
    assert cpu_path.wants_reproducible(_study(tmp_path / "yes", True))
    assert not cpu_path.wants_reproducible(_study(tmp_path / "no", False))
    assert not cpu_path.wants_reproducible(_study(tmp_path / "unset", None))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "study.toml").write_text("[transcription\n", encoding="utf-8")
    assert not cpu_path.wants_reproducible(broken)  # the command itself reports it


def test_pinning_keeps_what_the_user_set() -> None:
    env = {"OPENBLAS_CORETYPE": "Zen", "HOME": "/root"}
    added = cpu_path.pin(env)
    assert env["OPENBLAS_CORETYPE"] == "Zen" and "OPENBLAS_CORETYPE" not in added
    assert env["CT2_USE_MKL"] == "0" and env["CT2_FORCE_CPU_ISA"] == "GENERIC"
    assert env["NPY_DISABLE_CPU_FEATURES"] == "X86_V4,AVX512_ICL,AVX512_SPR"


def test_kernels_are_pinned_only_where_they_run() -> None:
    if os.uname().machine != "x86_64":
        pytest.skip("the flags are read on Linux x86-64 only")
    assert cpu_path.cpu_supports(FLAGS)
    assert not cpu_path.cpu_supports(FLAGS.replace(" fma", ""))  # Haswell kernels need FMA
    assert not cpu_path.cpu_supports("processor\t: 0\n")


def test_apply_sets_the_environment_for_the_sample_study(tmp_path: Path) -> None:
    if not cpu_path.cpu_supports():
        pytest.skip("this CPU cannot run the pinned kernels")
    env: dict[str, str] = {}
    assert cpu_path.apply(["transcribe", "--all"], env, REPO) == cpu_path.PINNED
    assert env == cpu_path.PINNED
    assert cpu_path.apply([], {}, _study(tmp_path / "plain", None)) == {}


@pytest.mark.whisper
def test_the_sample_transcribes_to_its_committed_bytes_whatever_mkl_would_choose(
    sample_study: Path,
) -> None:
    """ms-01 as the README main job writes it. MKL_ENABLE_INSTRUCTIONS=AVX512 stands in for
    another CPU: unpinned, it made this machine hear «контакт Center» for «контакт в центр»."""
    if not model.offline_parts_available():
        pytest.skip("offline model extra not installed")
    if not cpu_path.cpu_supports():
        pytest.skip("this CPU cannot run the pinned kernels")
    committed = (REPO / "transcripts" / "ms-01.json").read_bytes()
    for extra in ({}, {"MKL_ENABLE_INSTRUCTIONS": "AVX512"}):
        env = {k: v for k, v in os.environ.items() if k not in cpu_path.PINNED} | extra
        done = subprocess.run(
            [sys.executable, "-m", "qualtool", "transcribe", "ms-01", "--restart"],
            cwd=sample_study, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert (sample_study / "transcripts" / "ms-01.json").read_bytes() == committed, extra


def test_a_machine_that_cannot_pin_says_so(
    sample_study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an ARM Mac or an older CPU `reproducible = true` cannot hold: the command says so
    (one line, on stderr) instead of silently writing other words than a colleague's."""
    monkeypatch.setattr(cpu_path, "cpu_supports", lambda cpuinfo=None: False)
    result = CliRunner().invoke(cli, ["--study", str(sample_study), "transcribe", "--all"])
    assert result.exit_code == 0, result.output
    assert "AVX2" in result.stderr and "study.toml" in result.stderr
    monkeypatch.setattr(cpu_path, "cpu_supports", lambda cpuinfo=None: True)
    quiet = CliRunner().invoke(cli, ["--study", str(sample_study), "transcribe", "--all"])
    assert "AVX2" not in quiet.stderr
