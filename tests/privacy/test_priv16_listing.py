"""Session 16 (PRIV16 items 4, 5, 6): `qualtool anonymise` must list what `--apply` will
change. A name only a memo holds (a coding's memo, a code's memo, a ruling's note, a
recording's notes), and one only study.toml's glossary, a transcript's settings or the
codebook's own `glossary:` holds, was replaced by `--apply` (the codebook's glossary not even
that) while the review printed «0 findings»: the reviewer decided on nothing they saw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import apply, cli, study_of

from qualtool.workspace.study import open_workspace

TURNS = ["Расскажите.", "Сотрудница нагрубила мне, пришлось три раза приходить."]


def test_names_only_in_memos_and_notes_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    for args in (
        ("code", "idi-01#0", "STAFF.CONDUCT", "--coder", "dana", "--memo",
         "это рассказала Зауреш Кенжебаева, уточнить"),
        ("code", "idi-01#0", "STAFF.CONDUCT", "--coder", "aigerim"),
        ("code", "idi-01#1", "STAFF.CONDUCT", "--coder", "aigerim"),
        ("adjudicate", "idi-01#1", "STAFF.CONDUCT", "--no", "--note",
         "решили с Тимуром Ахметовым"),
    ):  # fmt: skip
        r = cli(root, *args, env=env)
        assert r.returncode == 0, r.stderr
    r = cli(root, "anonymise", env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    memo = [line for line in lines if line.startswith("memo of dana's coding idi-01#0")]
    assert any("⟦Зауреш Кенжебаева⟧" in line for line in memo), r.stdout
    ruling = [line for line in lines if line.startswith("note of the ruling on idi-01#1")]
    assert any("⟦Тимуром Ахметовым⟧" in line for line in ruling), r.stdout
    assert "0 finding" not in r.stderr
    apply(root, env)
    assert_no_name(root, ["Зауреш", "Кенжебаев", "Тимур", "Ахметов"])


def test_glossaries_and_settings_are_listed_and_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    toml = root / "study.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("glossary = [", 'glossary = ["Ерлан Сейткалиев", ', 1),
                    encoding="utf-8")  # fmt: skip
    book = next((root / "codebooks").glob("*.yml"))
    text = book.read_text(encoding="utf-8")
    assert "  glossary: [" in text
    book.write_text(text.replace("  glossary: [", "  glossary: [Гульнара Серикбаева, ", 1),
                    encoding="utf-8")  # fmt: skip
    ws = open_workspace(root, sync=True)
    settings = {"glossary": ["Айгерим Бекова", "ЦОН"], "hotwords": "Термины: Айгерим Бекова"}
    ws.db.execute("UPDATE transcripts SET settings = ?", [json.dumps(settings, ensure_ascii=False)])
    ws.db.conn.commit()
    ws.close()
    r = cli(root, "anonymise", env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert any(x.startswith("study.toml:glossary") and "⟦Ерлан Сейткалиев⟧" in x
               for x in out.splitlines()), out  # fmt: skip
    assert any(x.startswith(f"codebooks/{book.name}:glossary") and "⟦Гульнара Серикбаева⟧" in x
               for x in out.splitlines()), out  # fmt: skip
    assert any(x.startswith("transcription settings of idi-01") and "⟦Айгерим Бекова⟧" in x
               for x in out.splitlines()), out  # fmt: skip
    # the codebook's and the study's terms are no one
    assert not any("⟦ЦОН⟧" in x or "⟦Kaspi⟧" in x or "⟦eGov⟧" in x for x in out.splitlines())
    apply(root, env)
    assert_no_name(root, ["Сейткалиев", "Серикбаев", "Гульнара", "Бекова", "Айгерим"])
    after = book.read_text(encoding="utf-8")
    assert "Kaspi" in after and "ЦОН" in after and "Имя-" in after
