"""Session 17 (PRIV17 item 1): a diminutive only a memo or a recording's notes held, that could
be several of the study's people («Гуля» in a study knowing Гульнара Жумабаева and Гульмира
Сапарова), was listed as plainly replaced — never «check» with who it could be, as the same word
in a segment is. Listed so now, and `--apply` still replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import apply, cli, study_of

from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace

TURNS = ["Расскажите.", "Меня зовут Гульнара Жумабаева, сестра Гульмира Сапарова тоже ходила.",
         "Сотрудники грубят."]  # fmt: skip


def test_a_memo_only_diminutive_of_several_is_listed_to_check_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", TURNS)
    r = cli(root, "code", "idi-01#2", "STAFF.CONDUCT", "--coder", "dana", "--memo",
            "Гуля просила перезвонить", env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    ws = open_workspace(root, sync=True)
    rec = next(x for x in rec_store.list_recordings(ws.db) if x.key == "idi-01")
    rec_store.update_recording(ws.db, rec, notes="Гуля знает адрес")
    ws.save_manifest()
    ws.close()
    r = cli(root, "anonymise", env=env)
    assert r.returncode == 0, r.stderr
    rows = [x for x in r.stdout.splitlines() if "⟦Гуля⟧" in x]
    assert len(rows) == 2, r.stdout  # the memo and the notes, each where it stands
    assert rows[0].startswith("memo of dana's coding idi-01#2") and rows[1].startswith("notes")
    for row in rows:
        assert " check " in row, row
        assert "Гульнара Жумабаева" in row and "Гульмира Сапарова" in row, row
    apply(root, env)
    # «Гуля» with its next word: the shipped codebook's «регулярно» holds «гуля»
    assert_no_name(root, ["Гуля просила", "Гуля знает", "Гульнар", "Гульмир"])
