"""The memo a forced transcript import puts on a coding it could not re-find («[re-anchor
needed] was: …») is written in the study's language, not in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.domain import Coding
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.store.codings import add_coding, codings_for_transcript
from qualtool.store.transcripts import get_transcript
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import import_transcript


@pytest.mark.parametrize("viewer", ["ru", "en"])
def test_reanchor_memo_in_russian(empty_study: Workspace, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, viewer: str) -> None:  # fmt: skip
    monkeypatch.setenv("QUALTOOL_LANG", viewer)
    set_language(viewer)
    ws = empty_study
    add_text_recording(ws.db, "idi-x", [("R01", "Портал завис, подпись не срабатывала."),
                                        ("R01", "Очередь была два часа.")])  # fmt: skip
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    add_coding(ws.db, Coding(sid, "TECH.OUTAGE", "anna", 0, 12, "", memo="сбой"))
    path = tmp_path / "new.txt"
    path.write_text("[00:00:00] R01: Всё прошло спокойно.\n"
                    "[00:00:05] R01: Очередь была два часа.\n", "utf-8")  # fmt: skip
    rec = rec_store.get_recording(ws.db, "idi-x")
    import_transcript(ws, rec, path, force=True)
    t = get_transcript(ws.db, rec.id or 0)
    memos = [c.memo for c in codings_for_transcript(ws.db, t.id or 0)]
    assert memos == ["[нужна перепривязка] было: «Портал завис»\nсбой"], memos
