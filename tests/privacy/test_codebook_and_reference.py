"""A codebook's examples are quotes from the interviews and audio/reference/<key>.txt is an
interview's words: `anonymise --apply` leaves no name in either (codebooks/*.yml by round trip,
its comments kept, and the codes table), and `--restore` puts both back byte for byte; the plain
listing names what it will replace there."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize(("lang", "status"), [("en", "replaced"), ("ru", "заменится")])
def test_the_listing_names_what_apply_cleans_in_the_codebook_and_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, status: str
) -> None:
    """`qualtool anonymise` lists the names in a codebook's example and a reference transcript
    (which `--apply` cleans) as it lists the segments' — where, type, status, the pseudonym
    `--apply` gives, the context — and counts them; the numbers are the apply's."""
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    edited = cli(root, "codebook", "edit", "BUR.DELAY", "--examples", EXAMPLE, env=env)
    assert edited.returncode == 0, edited.stderr
    reference = root / "audio" / "reference" / "idi-01.txt"
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_text("Вторая строка.\n" + CODED + "\n", encoding="utf-8")
    listed = cli(root, "anonymise", env=env, lang=lang)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    segment = next(x for x in lines if x.startswith("idi-01#0:15:33 "))
    her = re.search(r"→ (Имя-\d+)", segment)
    assert her, segment
    book = [x for x in lines if x.startswith("codebooks/")]
    assert book == [f"codebooks/barriers.yml:BUR.DELAY person   {status:<9} → {her[1]:<9} "
                    "⟦Айгерим Нурлановна⟧ ждала пособие три месяца"], book  # fmt: skip
    refs = [x.split() for x in lines if x.startswith("audio/reference/")]
    assert [r[0] for r in refs] == ["audio/reference/idi-01.txt:2"] * 5, refs  # its line
    assert [r[1] for r in refs] == ["person", "iin", "phone", "address", "person"], refs
    assert refs[0][2:5] == [status, "→", her[1]] and "⟦Айгерим" in " ".join(refs[0]), refs
    # 7 in the segments, 6 here, 6 in the memos and the recording's notes (listed since
    # session 16: `--apply` replaced them unlisted)
    heads = ("memo of", "notes of") if lang == "en" else ("мемо ", "примечания записи")
    memos = [x.split("→")[0].split() for x in lines if x.startswith(heads)]
    assert sorted(m[-2] for m in memos) == ["email", "person", "person", "person", "phone",
                                            "phone"], memos  # fmt: skip
    assert re.search(r"\b19\b", listed.stderr), listed.stderr
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    assert f"{her[1]} ждала пособие".encode() in (root / "codebooks" / "barriers.yml").read_bytes()
    assert reference.read_text(encoding="utf-8").startswith(f"Вторая строка.\nМеня принимала "
                                                            f"{her[1]}, ")  # fmt: skip
