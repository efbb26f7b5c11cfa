"""A reviewer adds a name the detector missed anywhere: in a segment without any finding (by
its words, RECORDING#SEGMENT=WORDS on the CLI), in a memo, a recording's notes, a speaker
label. `--apply` replaces it in every one of them, the exports' redaction follows, and no byte
of it stays in the study's files or its database."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from study_seed import cli

from qualtool.coding.actions import apply_codes, write_memo
from qualtool.coding.history import redo, undo
from qualtool.domain import Memo
from qualtool.domain.errors import InvalidInput
from qualtool.files import speaker_map
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.privacy import decisions, outside_names, review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.detect import detect
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.privacy.redact import export_redactor
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.store.transcripts import get_transcript
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

FOUND = "Меня принимала Айгерим Нурлановна в ЦОНе."  # a finding the detector makes
MISSED = "Потом асель пришла в ЦОН и всё решила."  # no finding at all: «асель» is missed
MEMO = "Звонила асель, просила перезвонить."
CODING_MEMO = "асель грубила в окне"
NOTES = "Контакт: асель через сестру."
NAME = "асель"


def _study(tmp_path: Path) -> Workspace:
    study = init_study(
        tmp_path / "study", name="Тест", year=2025, coder="anna", codebook=SHIPPED_CODEBOOK
    )
    ws = open_workspace(study.root, sync=True)
    rec = add_text_recording(ws.db, "idi-t", [("R01", FOUND), (NAME, MISSED)])
    ids = [r[0] for r in ws.db.execute("SELECT id FROM segments ORDER BY idx")]
    write_memo(ws, Memo("segment", str(ids[1]), MEMO, "anna"))
    apply_codes(ws, ids[1], (0, len(MISSED)), ["STAFF.CONDUCT"], "anna", memo=CODING_MEMO)
    rec_store.update_recording(ws.db, rec, notes=NOTES)
    speaker_map.save_speaker_map(ws.study.root, {"idi-t": {NAME: "respondent"}})
    ws.save_manifest()
    write_outputs(ws, rec)
    ws.save_layers()
    return ws


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    w = _study(tmp_path)
    yield w
    w.close()


def _q(root: Path, *args: str) -> tuple[int, str]:
    """`qualtool anonymise ARGS` as a user runs it (its error line is printed by `main`)."""
    r = cli(root, "anonymise", *args, env={"QUALTOOL_VAULT": str(root.parent / "vault")})
    assert isinstance(r, subprocess.CompletedProcess)
    return r.returncode, r.stdout + r.stderr


def _left(root: Path, word: str) -> list[str]:
    """Every study file (the database and its WAL included) whose bytes hold `word`, any case."""
    needles = {word.encode(), word.lower().encode(), word.capitalize().encode()}
    return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*"))
            if p.is_file() and any(n in p.read_bytes() for n in needles)]  # fmt: skip


def _decisions(ws: Workspace) -> str:
    path = ws.study.root / decisions.DECISIONS_FILE
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_the_missed_name_is_not_found_by_the_detector() -> None:
    """The premise: every text here holds «асель» and the detector finds none of it."""
    for text in (MISSED, MEMO, CODING_MEMO, NOTES, NAME):
        assert not [e for e in detect(text) if e.text.lower() == NAME], text


def test_a_name_added_everywhere_on_the_cli_is_gone_after_apply(ws: Workspace) -> None:
    root = ws.study.root
    held = set(_left(root, NAME))
    assert held >= {"audio/recordings.yml", "speakers.yml", "codings/anna.json",
                    "transcripts/idi-t.md"}, held  # fmt: skip
    assert {"qualtool.db", "qualtool.db-wal"} & held, held
    ws.close()
    code, out = _q(root, "--add", f"idi-t#1={NAME}", "--add", f"memos={NAME}",
                   "--add", f"notes:idi-t={NAME}", "--add", f"speaker:idi-t={NAME}")  # fmt: skip
    assert code == 0, out
    listed = _q(root)[1]
    for where in ("idi-t#1:6:11", "memos:", "notes:idi-t:", "speaker:idi-t:"):
        assert where in listed and "add" in listed, listed
    assert NAME not in (root / decisions.DECISIONS_FILE).read_text(encoding="utf-8")
    code, out = _q(root, "--apply")
    assert code == 0, out
    assert _left(root, NAME) == []  # not in a file, not in the database's bytes
    ws2 = open_workspace(root)
    try:
        notes = ws2.db.execute("SELECT notes FROM recordings").fetchone()[0]
        memo = ws2.db.execute("SELECT text FROM memos").fetchone()[0]
        label = ws2.db.execute("SELECT speaker FROM segments WHERE idx = 1").fetchone()[0]
        pseudonyms = {re.search(r"Имя-\d+", t)[0] for t in (notes, memo, label)}  # type: ignore[index]
        assert len(pseudonyms) == 1, (notes, memo, label)  # one person, one pseudonym
        assert speaker_map.load_speaker_map(root) == {"idi-t": {label: "respondent"}}
    finally:
        ws2.close()
    assert "add" not in _decisions(ws2)  # carried out: no hash of the name stays behind


@pytest.mark.parametrize("bad", ["idi-t#7=асель", "idi-t#0=асель", "notes:idi-t=Бахыт",
                                 "speaker:nope=асель", "memos=окне пришла", "idi-t#1=",
                                 "idi-t#1:4"])  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(ws: Workspace, bad: str) -> None:
    root = ws.study.root
    before = {
        p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "qualtool.db" not in p.name
    }
    ws.close()
    code, out = _q(root, "--add", f"memos={NAME}", "--add", bad)  # the good one is not kept
    assert code != 0 and len(out.strip().splitlines()) == 1, out
    assert out.startswith("error:") and "Traceback" not in out, out
    after = {
        p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "qualtool.db" not in p.name
    }
    assert after == before


def test_the_exports_redaction_follows_an_added_name_before_apply(ws: Workspace) -> None:
    outside_names.add(ws, "notes:idi-t", NAME)
    r = export_redactor(ws)
    assert NAME not in (r.text(MEMO) or "") and "Имя-" in (r.text(NOTES) or "")
    t = get_transcript(ws.db, rec_store.get_recording(ws.db, "idi-t").id or 0)
    assert t is not None
    seg, _edits = r.segment(t.segments[1])
    assert seg.speaker and NAME not in seg.speaker and seg.speaker.startswith("Имя-")
    assert NAME in seg.text  # the transcript's text keeps its per-segment review


def test_an_added_name_is_undone_and_redone_and_taken_back(ws: Workspace) -> None:
    assert outside_names.add(ws, "memos", f"{NAME}:person", MEMO) == 1
    assert "memos" in _decisions(ws)
    undo(ws)
    assert "memos" not in _decisions(ws) and outside_names.findings(ws) == []
    redo(ws)
    listed = outside_names.findings(ws)
    # wherever the words stand outside the transcript: both memos, the notes and the label
    assert {f.where for f in listed} == {"memos", "notes:idi-t", "speaker:idi-t"}
    assert len(listed) == 4 and all(f.status == "add" for f in listed)
    outside_names.remove(ws, listed[0])
    assert outside_names.findings(ws) == [] and "memos" not in _decisions(ws)
    undo(ws)
    assert len(outside_names.findings(ws)) == 4


def test_any_segment_takes_typed_words_and_apply_replaces_them(ws: Workspace) -> None:
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    assert not [f for f in review.segment_findings(ws, pseud) if f.idx == 1]
    rec, idx, text = review.segment_text(ws, "idi-t#1")
    assert review.add_typed(ws, rec, idx, text, NAME) == 1
    assert [f.entity.text for f in review.segment_findings(ws, pseud) if f.idx == 1] == [NAME]
    with pytest.raises(InvalidInput):
        review.segment_text(ws, "idi-t#9")
    anonymise(ws, study_vault(ws))
    assert NAME not in ws.db.execute("SELECT text FROM segments WHERE idx = 1").fetchone()[0]


@pytest.mark.parametrize("where", ["memos", "notes:idi-t", "speaker:idi-t", "RECORDING"])
def test_outside_decisions_are_checked_when_read(tmp_path: Path, where: str) -> None:
    path = tmp_path / decisions.DECISIONS_FILE
    path.parent.mkdir()
    path.write_text(f"decisions:\n  - {{where: '{where}', start: 0, end: 5, kind: person, "
                    "digest: s-abc, decision: reject}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InvalidInput):  # outside the transcript only an add; a bare name: none
        decisions.load(tmp_path)
