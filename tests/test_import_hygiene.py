"""The core must never import textual: it runs headless in the CLI, in workers and in tests."""

import os
import subprocess
import sys

CORE = [
    "qualtool.domain", "qualtool.store.db", "qualtool.store.recordings", "qualtool.store.codebook",
    "qualtool.store.transcripts", "qualtool.store.codings", "qualtool.workspace.study", "qualtool.recordings.importing",
    "qualtool.files.codebook", "qualtool.files.manifest", "qualtool.domain.anchoring", "qualtool.files.media",
    "qualtool.transcribe.run", "qualtool.workspace.transcripts", "qualtool.files.transcript_formats",
    "qualtool.transcribe.speakers", "qualtool.transcribe.model", "qualtool.cli.main",
]  # fmt: skip


# coverage (measuring subprocesses in CI) imports sqlite3 itself: check imports without it
UNMEASURED = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))}


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=UNMEASURED)  # fmt: skip
    assert out.stdout.strip() == "", f"core imported: {out.stdout.strip()}"


def test_domain_has_no_io_dependencies() -> None:
    code = (
        "import sys\nimport qualtool.domain\n"
        "bad = [m for m in ('sqlite3', 'sqlite_utils', 'faster_whisper', 'av') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=UNMEASURED)  # fmt: skip
    assert out.stdout.strip() == ""


def test_only_whisper_module_imports_faster_whisper() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "qualtool"
    users = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "faster_whisper" in p.read_text(encoding="utf-8")
    )
    assert users == ["transcribe/whisper.py"]


def test_modules_stay_small() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "qualtool"
    big = {str(p): n for p in root.rglob("*.py") if (n := len(p.read_text().splitlines())) > 450}
    assert not big, f"split these modules: {big}"
