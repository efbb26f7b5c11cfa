"""How long opening the sample study takes, fresh (no database) and warm, through the CLI.

Every command now re-reads the files changed since the last sync and writes coder layers only
when they differ, so the warm `ls` is the cost a user pays on every command.

    python bench/bench_study_open.py [CHECKOUT]   # CHECKOUT: the code to time (default: here)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(code: Path, study: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qualtool", "--study", str(study), *args], env=env,
                   check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - t


def main() -> None:
    code = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "s"
        study.mkdir()
        shutil.copy(ROOT / "study.toml", study)
        for folder in ("audio", "codebooks", "transcripts", "codings"):
            shutil.copytree(ROOT / folder, study / folder)
        fresh = timed(code, study, "ls")
        warm = min(timed(code, study, "ls") for _ in range(3))
        coded = timed(code, study, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "bench")
        layer = study / "codings" / "dana.json"
        layer.write_text(layer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        changed = timed(code, study, "ls")
    print(f"code under test: {code}")
    print(f"fresh clone `ls` (rebuild db):     {fresh:6.2f} s")
    print(f"warm `ls` (nothing changed):       {warm:6.2f} s")
    print(f"`code` (one coding, layer written): {coded:6.2f} s")
    print(f"`ls` after a layer file changed:   {changed:6.2f} s")


if __name__ == "__main__":
    main()
