"""One arithmetic path for transcription on every x86-64 machine, for studies that ask for it.

Whisper's text depends on the CPU that computes it, not only on the package versions: numpy
and its OpenBLAS pick their kernels by instruction set (the log-mel features differ in the
last bits on an AVX-512 machine and an AVX2 one), CTranslate2 picks its ISA and its GEMM
library (Intel MKL on Intel, oneDNN elsewhere, each dispatching again), and beam search turns
those last bits into other words («подписчастья не срабатывала» on one machine, «подпис часть
они срабатывало» on the next). Pinning versions cannot fix that; choosing the kernels can.

A study with `[transcription] reproducible = true` gets, on any Linux x86-64 CPU with AVX2 and
FMA: CTranslate2's portable kernels (GENERIC) with oneDNN capped at AVX2 for the matrix
products (no MKL), OpenBLAS's Haswell kernels and numpy without its AVX-512 loops. These
libraries read their settings once, when they load, so `apply` runs in the command's first
lines (`cli/start.py`), before anything imports numpy, and reads study.toml itself (stdlib
only). A variable the user set stays as set. It costs speed (the sample study: about 1.8x the
default's time), which is why it is a study's choice and not the default.
"""

from __future__ import annotations

import os
import platform
import sys
import tomllib
from collections.abc import MutableMapping, Sequence
from pathlib import Path

PINNED = {
    "CT2_FORCE_CPU_ISA": "GENERIC",
    "CT2_USE_MKL": "0",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4,AVX512_ICL,AVX512_SPR",
}
_NEEDED_FLAGS = frozenset({"avx2", "fma"})  # what the Haswell and AVX2 kernels execute


def study_dir(argv: Sequence[str], environ: MutableMapping[str, str], cwd: Path) -> Path | None:
    """The study the command will open, found as `cli.main` finds it: `--study`/`-s` (an
    option of the group, so before the command's name), then QUALTOOL_STUDY, then the nearest
    folder with a study.toml from `cwd` upwards."""
    given: str | None = None
    args = iter(argv)
    for arg in args:
        if arg in ("--study", "-s"):
            given = next(args, None)
        elif arg.startswith("--study="):
            given = arg.split("=", 1)[1]
        elif arg.startswith("-s") and not arg.startswith("--"):
            given = arg[2:]
        elif not arg.startswith("-"):
            break  # the command's name: what follows are its own options
    given = given or environ.get("QUALTOOL_STUDY") or None
    start = Path(given) if given else cwd
    try:
        start = start.resolve()
    except OSError:
        return None
    for folder in [start, *start.parents]:
        if (folder / "study.toml").is_file():
            return folder
    return None


def wants_reproducible(study: Path) -> bool:
    """study.toml's `[transcription] reproducible`; False when unreadable (the command itself
    reports a broken study.toml)."""
    try:
        raw = tomllib.loads((study / "study.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tr = raw.get("transcription")
    return isinstance(tr, dict) and tr.get("reproducible") is True


def cpu_supports(cpuinfo: str | None = None) -> bool:
    """Linux x86-64 with AVX2 and FMA: the pinned kernels run there, and only there."""
    if platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split()) >= _NEEDED_FLAGS
    return False


def pin(environ: MutableMapping[str, str]) -> dict[str, str]:
    """Set the pinned kernels in `environ` where the user set nothing; returns what was set."""
    added = {k: v for k, v in PINNED.items() if k not in environ}
    environ.update(added)
    return added


def apply(argv: Sequence[str], environ: MutableMapping[str, str], cwd: Path) -> dict[str, str]:
    """Pin the kernels when the command's study asks for it and this CPU can run them."""
    study = study_dir(argv, environ, cwd)
    if study is None or not wants_reproducible(study) or not cpu_supports():
        return {}
    return pin(environ)


def apply_to_process() -> dict[str, str]:
    """`apply` for this process: call before numpy, CTranslate2 or the Whisper engine load."""
    return apply(sys.argv[1:], os.environ, Path.cwd())
