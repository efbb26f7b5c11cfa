"""A QDPX import makes one coding per selection, each given its origin (store.codings._origin),
which is now looked up by (coder, origin) instead of reading every origin of the coder's
transcript for each coding: every origin the import gives is the one it gave before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_roundtrip import sample_study

from qualtool.domain import Coding
from qualtool.files.study import init_study
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.store import codings as codings_store
from qualtool.store.db import Database
from qualtool.workspace.study import open_workspace


def _as_before(db: Database, coding: Coding, idx: int) -> str:
    """The origin as the earlier release computed it: every origin read, then the first free."""
    where: list[Any] = [idx, coding.start, coding.end, coding.code_id]
    taken = {r[0] for r in db.execute(
        "SELECT c.origin FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_id = ? AND s.transcript_id = (SELECT transcript_id FROM segments "
        "WHERE id = ?)", [coding.coder_id, coding.segment_id])}  # fmt: skip
    n = 1
    while json.dumps(where, ensure_ascii=False, separators=(",", ":")) in taken:
        where = [*where[:4], n]
        n += 1
    return json.dumps(where, ensure_ascii=False, separators=(",", ":"))


def test_an_import_gives_every_coding_the_origin_it_gave_before(
    sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = sample_study(sample_copy)
    out = tmp_path / "sample.qdpx"
    export_qdpx(ws, out, pseudonymise=False)
    ws.close()
    other = init_study(tmp_path / "other", name="Копия", year=2025, coder="lead")
    ws2 = open_workspace(other.root, sync=True)
    given: list[tuple[str, str]] = []
    now = codings_store._origin

    def checked(db: Database, coding: Coding, idx: int, transcript_id: int) -> str:
        origin = now(db, coding, idx, transcript_id)
        given.append((origin, _as_before(db, coding, idx)))
        return origin

    monkeypatch.setattr(codings_store, "_origin", checked)
    for _round in range(2):  # the second import finds every coding there already
        import_qdpx(ws2, out)
    ws2.close()
    assert len(given) >= 37
    assert all(origin == before for origin, before in given), given
