"""Mutation testing of the core packages: do the tests notice when the code is wrong?

Runs mutmut (3.x) over `domain/`, `coding/`, `team/` and `privacy/` with the tests of those
packages, then prints the score and every surviving mutant (mutmut shows each with
`mutmut show NAME`). Slow — minutes to an hour on 2 cores — so it is a bench, not part of CI.

Usage: python bench/mutation.py [--packages domain coding team privacy] [--max-children 2]
Needs: pip install mutmut
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALSO_COPY = ["audio", "codebooks", "transcripts", "codings", "study.toml", "bench"]


def config(packages: list[str]) -> str:
    """A [tool.mutmut] table: mutate only the chosen packages, run only their tests."""
    only = [f"qualtool/{p}/*" for p in packages]
    tests = [f"tests/{p}" for p in packages if (REPO / "tests" / p).is_dir()]
    lines = [
        "[tool.mutmut]",
        'source_paths = ["qualtool"]',
        f"only_mutate = {only!r}",
        f"also_copy = {ALSO_COPY!r}",
        f"pytest_add_cli_args_test_selection = {tests!r}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]',
    ]
    return "\n".join(lines).replace("'", '"') + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--packages", nargs="+", default=["domain", "coding", "team", "privacy"])
    ap.add_argument("--max-children", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("mutmut") is None and not (Path(sys.executable).parent / "mutmut").exists():
        print("mutmut is not installed: pip install mutmut", file=sys.stderr)
        return 2
    mutmut = str(Path(sys.executable).parent / "mutmut")
    pyproject = REPO / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    if "tool" in tomllib.loads(original) and "mutmut" in tomllib.loads(original)["tool"]:
        print("pyproject.toml already has [tool.mutmut]; remove it first", file=sys.stderr)
        return 2
    try:
        pyproject.write_text(original + "\n" + config(args.packages), encoding="utf-8")
        run = [mutmut, "run", "--max-children", str(args.max_children)]
        subprocess.run(run, cwd=REPO, check=False)
        results = subprocess.run(
            [mutmut, "results", "--all", "true"], cwd=REPO, capture_output=True, text=True
        ).stdout
    finally:
        pyproject.write_text(original, encoding="utf-8")
    statuses: dict[str, list[str]] = {}
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses.setdefault(status, []).append(name)
    killed = len(statuses.get("killed", []))
    survived = statuses.get("survived", [])
    total = sum(len(v) for v in statuses.values())
    print(f"mutants: {total}  " + "  ".join(f"{k}: {len(v)}" for k, v in sorted(statuses.items())))
    if killed + len(survived):
        print(f"mutation score (killed / killed+survived): {killed / (killed + len(survived)):.3f}")
    for name in survived:
        print("survived:", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
