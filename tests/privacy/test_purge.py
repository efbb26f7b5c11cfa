"""The purge cannot be half-done silently: with another connection reading the database,
apply says so and the next run completes it; afterwards the raw file holds no original."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qualtool.domain.errors import QualtoolError
from qualtool.privacy.apply import INTENT, anonymise, resume, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.search.query import refresh_index
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Гульнара Сейткалиева, её телефон 8 701 765 43 21."


def test_reader_blocks_purge_then_next_run_completes(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    ws = empty_study
    add_text_recording(ws.db, "idi-p", [("R01", TEXT)])
    refresh_index(ws.db)
    reader = sqlite3.connect(ws.study.db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM segments").fetchone()  # holds a read snapshot
    vault = study_vault(ws)
    with pytest.raises(QualtoolError, match="could not be purged"):
        anonymise(ws, vault)
    assert (ws.study.root / INTENT).exists()
    reader.rollback()
    reader.close()
    assert resume(ws, vault) == "completed"
    raw = ws.study.db_path.read_bytes()
    wal = ws.study.db_path.with_name("qualtool.db-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert "Сейткалиев".encode() not in raw and "сейткалиев".encode() not in raw
    assert b"765 43 21" not in raw
