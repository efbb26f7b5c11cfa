"""Delete the database: every user decision comes back from the study's files.

The study is a real git clone of the shipped sample; decisions are made with the CLI; the
database (and its WAL) is deleted; the next command rebuilds everything, identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, git, qt, seed_sample, status

from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs


def snapshot(study: Path) -> dict[str, object]:
    ws = open_workspace(study)
    q = ws.db.execute
    seg = ("JOIN segments s ON s.id = x.segment_id JOIN transcripts t ON t.id = s.transcript_id "
           "JOIN recordings r ON r.id = t.recording_id")  # fmt: skip
    out = {
        "codings": sorted(
            q(
                f'SELECT x.coder_id, r.key, s.idx, x.code_id, x.start, x."end", '
                f"x.memo, x.key_quote, x.provenance FROM codings x {seg}"
            ).fetchall()
        ),
        "adjudications": sorted(
            q(
                f"SELECT r.key, s.idx, x.code_id, x.decision, x.note FROM adjudications x {seg}"
            ).fetchall()
        ),
        "decisions": sorted(
            q(
                f"SELECT r.key, s.idx, x.code_id, x.status, x.coder_id "
                f"FROM suggestions x {seg} WHERE x.status != 'pending'"
            ).fetchall()
        ),
        "memos": sorted(q("SELECT target_type, target_id, coder_id, text FROM memos").fetchall()),
        "uuid": q("SELECT value FROM study_meta WHERE key = 'uuid'").fetchone()[0],
        "id": ws.study.id,
    }
    ws.close()
    return out


def segment_id(study: Path, key: str, idx: int) -> int:
    ws = open_workspace(study)
    row = ws.db.execute(
        "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?",
        [key, idx],
    ).fetchone()
    ws.close()
    return int(row[0])


def test_delete_the_database_everything_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    study = clone(seed_sample(tmp_path), tmp_path / "A")
    # every kind of decision
    out = qt(study, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "anna", "--memo", "висит",
             "--key")  # fmt: skip
    cid = out.split()[1].rstrip(":")
    qt(study, "quotes", "unpin", cid)
    qt(study, "quotes", "pin", cid)
    qt(study, "adjudicate", str(segment_id(study, "idi-02", 4)), "TECH.AUTH", "--no",
       "--note", "это не про ЭЦП", "--by", "anna")  # fmt: skip
    qt(study, "adjudicate", str(segment_id(study, "idi-02", 6)), "ACC.QUEUE", "--yes")
    qt(study, "suggest", "run", "--threshold", "0")  # every candidate: this is about the files
    pending = [line.split()[0] for line in qt(study, "suggest", "ls").splitlines()
               if line.strip() and line.split()[0].isdigit()]  # fmt: skip
    assert len(pending) >= 2, "the sample study should give suggestions"
    qt(study, "suggest", "accept", pending[0], "--coder", "boris")
    qt(study, "suggest", "reject", pending[1], "--coder", "boris")
    ws = open_workspace(study)
    from qualtool.domain import Memo
    from qualtool.store.codings import add_memo

    add_memo(ws.db, Memo("code", "TECH.AUTH", "ЭЦП — частая тема", "anna"))
    rec = add_text_recording(ws.db, "idi-09", [
        ("I", "Как с вами связаться?"),
        ("R", "Меня зовут Айгуль Сейткалиева, мой телефон +7 701 123 45 67, ИИН 900101400123."),
    ])  # fmt: skip
    ws.save_manifest()
    write_outputs(ws, rec)
    ws.save_layers()
    ws.close()
    qt(study, "anonymise", "--apply")
    before = snapshot(study)
    assert before["decisions"] and before["adjudications"] and before["memos"]
    git(study, "add", "-A")
    git(study, "commit", "-qm", "decisions")

    for f in study.glob("qualtool.db*"):
        f.unlink()
    qt(study, "ls")
    after = snapshot(study)
    assert after == before
    assert status(study) == "", "rebuilding the database changed tracked files"
    # the vault is found again by the study id from study.toml
    out = qt(study, "anonymise", "--restore")
    assert int(out.split()[4]) > 0 and "changed since" not in out, out  # files back, re-read
    # decided suggestions are not proposed again
    qt(study, "suggest", "run", "--threshold", "0.05")
    assert snapshot(study)["decisions"] == before["decisions"]
