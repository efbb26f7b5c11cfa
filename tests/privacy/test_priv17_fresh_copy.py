"""Session 17 (PRIV17 item 3): after `anonymise --apply` the study's git history still held every
original committed before, and the README's «share a fresh copy» had nothing that made one.
`qualtool fresh-copy DEST` does, and checks every object of the new repository for the vault's
originals: none is there, while the old repository's objects — searched the same way — still
hold them (so the check can see them)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from study_seed import apply, cli, study_of

TURNS = [
    "Расскажите, как всё было.",
    "Меня зовут Гульнара Жумабаева, в ЦОНе меня приняла Шолпан Кенжебаева.",
    "Гульнаре Жумабаевой отказали, Кенжебаевой всё равно.",
]
NAMES = ["Гульнар", "Жумабаев", "Шолпан", "Кенжебаев", "Айгерим Бекова"]


def git(root: Path, *args: str) -> bytes:
    who = ["-c", "user.name=t", "-c", "user.email=t@t"]
    return subprocess.run(["git", *who, *args], cwd=root, check=True,
                          capture_output=True).stdout  # fmt: skip


def objects(root: Path) -> list[bytes]:
    """Every object of the repository at `root`, decompressed (the bodies `cat-file` prints)."""
    raw = git(root, "cat-file", "--batch-all-objects", "--batch")
    out, pos = [], 0
    while pos < len(raw):
        nl = raw.index(b"\n", pos)
        size = int(raw[pos:nl].split()[2])
        out.append(raw[nl + 1 : nl + 1 + size])
        pos = nl + 2 + size
    return out


def holding(blobs: list[bytes], names: list[str]) -> set[str]:
    """Which of `names` any blob holds, in any letter case."""
    low = [b.decode("utf-8", "replace").lower() for b in blobs]
    return {n for n in names if any(n.lower() in b for b in low)}


def committed_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """Names in a transcript, a memo and the codebook, committed, then anonymised."""
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    for args in (
        ("code", "idi-01#1", "STAFF.CONDUCT", "--coder", "dana", "--memo",
         "Шолпан Кенжебаева грубила, Гульнара Жумабаева просила не называть"),
        ("codebook", "edit", "STAFF.CONDUCT", "--examples", "Шолпан Кенжебаева нахамила мне"),
    ):  # fmt: skip
        r = cli(root, *args, env=env)
        assert r.returncode == 0, r.stderr
    (root / "notes.md").write_text("Интервью вела Айгерим Бекова.\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before anonymising")
    (root / "notes.md").unlink()  # a file no apply reads: the author removes it
    apply(root, env)
    return root, env


def test_a_fresh_copy_holds_no_original_while_the_history_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = committed_study(tmp_path, monkeypatch)
    dest = tmp_path / "share"
    r = cli(root, "fresh-copy", str(dest), env=env)
    assert r.returncode == 0, r.stderr
    assert "none holds one" in r.stdout and "object" in r.stdout
    assert holding(objects(dest), NAMES) == set()
    # the same search sees them in the old repository: the check is not blind
    assert holding(objects(root), NAMES) == set(NAMES)
    # the shareable files only, in one commit, the study's git files kept
    assert git(dest, "rev-list", "--count", "HEAD").strip() == b"1"
    tracked = git(dest, "ls-files").decode().split()
    assert ".gitattributes" in tracked and ".gitignore" in tracked
    assert "transcripts/idi-01.json" in tracked and "codebooks/barriers.yml" in tracked
    assert not [p for p in tracked if p.startswith("qualtool.db") or p.endswith(".vault")]
    # a colleague clones it and works
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(dest), str(clone)], check=True)
    assert cli(clone, "ls", env=env).returncode == 0


def test_a_fresh_copy_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = committed_study(tmp_path, monkeypatch)
    dest = tmp_path / "share"
    dest.mkdir()
    (dest / "mine.txt").write_text("x", encoding="utf-8")
    r = cli(root, "fresh-copy", str(dest), env=env)
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert sorted(p.name for p in dest.iterdir()) == ["mine.txt"]


def test_a_study_not_anonymised_is_refused_unless_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    git(root, "init", "-q")
    dest = tmp_path / "share"
    r = cli(root, "fresh-copy", str(dest), env=env)
    assert r.returncode != 0 and "not anonymised" in r.stderr, r.stderr
    assert not dest.exists()
    r = cli(root, "fresh-copy", str(dest), "--anyway", env=env)
    assert r.returncode == 0 and "not anonymised" in r.stderr, r.stderr


def test_an_original_left_in_a_file_removes_the_copy_and_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = committed_study(tmp_path, monkeypatch)
    (root / "draft.md").write_text("Черновик: Гульнаре Жумабаевой перезвонить\n", "utf-8")
    dest = tmp_path / "share"
    r = cli(root, "fresh-copy", str(dest), env=env)
    assert r.returncode != 0 and "draft.md" in r.stderr, r.stderr
    assert "Гульнар" not in r.stderr + r.stdout  # the refusal does not print the original
    assert not dest.exists()


def test_an_original_inside_a_table_is_seen_through_the_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An XLSX keeps its text deflated, and openpyxl writes «Гульнара» as character references:
    a byte search of the repository's objects saw no name in it."""
    root, env = committed_study(tmp_path, monkeypatch)
    r = cli(root, "anonymise", "--restore", env=env)
    assert r.returncode == 0, r.stderr
    (root / "shared").mkdir()
    r = cli(root, "report", "--format", "xlsx", "-o", str(root / "shared" / "quotes.xlsx"),
            "--include-originals", env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Гульнар".encode() not in (root / "shared" / "quotes.xlsx").read_bytes()
    apply(root, env)
    dest = tmp_path / "share"
    r = cli(root, "fresh-copy", str(dest), env=env)
    assert r.returncode != 0 and "shared/quotes.xlsx" in r.stderr, r.stderr
    assert not dest.exists()
