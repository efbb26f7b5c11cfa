"""A codebook's examples are quotes from the interviews and audio/reference/<key>.txt is an
interview's words: `anonymise --apply` leaves no name in either (codebooks/*.yml by round trip,
its comments kept, and the codes table), and `--restore` puts both back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import CODED, cli, env_vault, hits
from test_leak import make_study

EXAMPLE = "Айгерим Нурлановна ждала пособие три месяца"


def test_codebook_examples_and_reference_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    r = cli(root, "codebook", "edit", "BUR.DELAY", "--examples", EXAMPLE, env=env)
    assert r.returncode == 0, r.stderr
    book = root / "codebooks" / "barriers.yml"
    reference = root / "audio" / "reference" / "idi-01.txt"
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_text(CODED + "\nВторая строка.\n", encoding="utf-8")
    book_before, ref_before = book.read_bytes(), reference.read_bytes()
    assert "Айгерим" in cli(root, "codebook", "show", "BUR.DELAY", env=env).stdout
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    book_after = book.read_bytes()
    assert hits(book_after) == [] and hits(reference.read_bytes()) == []
    assert book_after.startswith(book_before[:200])  # comments and layout kept
    assert "ждала пособие три месяца".encode() in book_after
    changed = [a for a, b in zip(book_before.splitlines(), book_after.splitlines(), strict=True)
               if a != b]  # fmt: skip
    assert len(changed) == 1, changed  # only the example with the name
    assert reference.read_text(encoding="utf-8").endswith("\nВторая строка.\n")
    assert hits((root / "qualtool.db").read_bytes()) == []  # the codes table too
    shown = cli(root, "codebook", "show", "BUR.DELAY", env=env).stdout
    assert "Айгерим" not in shown and "ждала пособие" in shown
    again = cli(root, "anonymise", "--apply", env=env)
    assert again.returncode == 0 and book.read_bytes() == book_after  # nothing more to write
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 0 and back.stderr.strip() == "", back.stderr
    assert book.read_bytes() == book_before and reference.read_bytes() == ref_before
    assert EXAMPLE in cli(root, "codebook", "show", "BUR.DELAY", env=env).stdout
