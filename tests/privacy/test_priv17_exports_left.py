"""Session 17 (PRIV17 item 4): a report or a table exported into the study's exports/ folder
with «Anonymise» unticked (the TUI's F6 writes there; `--include-originals` on the command line)
kept every name as spoken after `--apply` had anonymised the study around it. The apply
removes the exports that hold an original it replaced, says so, and keeps the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, study_of

TURNS = ["Расскажите.", "Меня зовут Гульнара Жумабаева, в ЦОНе меня приняла Шолпан Кенжебаева."]
NAMES = ["Гульнар", "Жумабаев", "Шолпан", "Кенжебаев"]


def test_exports_with_names_as_spoken_are_removed_by_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    r = cli(root, "code", "idi-01#1", "STAFF.CONDUCT", "--coder", "dana", env=env)
    assert r.returncode == 0, r.stderr
    (root / "exports").mkdir()
    for name, extra in (("spoken.md", ["--include-originals"]), ("spoken.xlsx", ["--include-originals"]),
                        ("pseudonymised.md", [])):  # fmt: skip
        fmt = name.rsplit(".", 1)[1]
        r = cli(
            root, "report", "--format", fmt, "-o", str(root / "exports" / name), *extra, env=env
        )
        assert r.returncode == 0, r.stderr
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert "exports/spoken.md" in r.stderr and "exports/spoken.xlsx" in r.stderr, r.stderr
    assert sorted(p.name for p in (root / "exports").iterdir()) == ["pseudonymised.md"]
    assert_no_name(root, NAMES)
