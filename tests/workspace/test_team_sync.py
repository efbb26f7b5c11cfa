"""What a two-laptop scenario broke (session 14), each reproduced through real git: a bare
repository and two clones, A (anna) and B (boris), committing, pulling and pushing as a team
would. Whatever a colleague did survives a pull, in the files and in the database; a database
rebuilt from the files equals the live one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import child_env
from gitstudy import clone, git, qt, seed_sample, status
from laptops import ENV

from qualtool.files import layer_format as fmt
from qualtool.files.speaker_map import language_of, load_speaker_map, render_speaker_map
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import open_workspace

CODEBOOK = "codebooks/barriers.yml"


def _two(tmp_path: Path) -> tuple[Path, Path]:
    bare = seed_sample(tmp_path)
    a, b = clone(bare, tmp_path / "A"), clone(bare, tmp_path / "B")
    for side in (a, b):
        qt(side, "ls")
    return a, b


def _commit(side: Path, msg: str) -> None:
    git(side, "add", "-A")
    if status(side):
        git(side, "commit", "-qm", msg)


def _pull(side: Path) -> None:
    git(side, "pull", "-q", "--no-rebase", "--no-edit")


def _records(side: Path, coder: str, kind: str) -> list[dict[str, object]]:
    path = side / "codings" / f"{coder}.json"
    parsed = fmt.parse(path.read_text(encoding="utf-8"), path.name)
    return [r for r in parsed.records.values() if r["kind"] == kind]


def _propose(side: Path, key: str, idx: int, code: str) -> int:
    """One pending suggestion of `code` on the whole of key#idx; its id in this clone."""
    ws = open_workspace(side)
    try:
        sid, text = ws.db.execute(
            "SELECT s.id, s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?",
            [key, idx],
        ).fetchone()
        sug_store.propose(ws.db, [{"segment_id": sid, "code_id": code, "start": 0,
                                   "end": len(text), "quote": text, "score": 0.9,
                                   "reason": "words: x"}])  # fmt: skip
        row = ws.db.execute(
            "SELECT id FROM suggestions WHERE segment_id = ? AND code_id = ?", [sid, code]
        ).fetchone()
    finally:
        ws.close()
    return int(row[0])


def _decisions(side: Path) -> set[tuple[str, int, str, str, str]]:
    """(recording, segment, code, coder, status) of every coder's decision in the database."""
    ws = open_workspace(side)
    try:
        rows = ws.db.execute(
            "SELECT r.key, s.idx, d.code_id, d.coder_id, d.status FROM suggestion_decisions d "
            "JOIN segments s ON s.id = d.segment_id JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id"
        ).fetchall()
    finally:
        ws.close()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def _rebuilt(side: Path, read: object) -> object:
    """What `read(side)` gives on a database rebuilt from the files alone."""
    for f in side.glob("qualtool.db*"):
        f.unlink()
    return read(side)  # type: ignore[operator]


def _both_decide(tmp_path: Path) -> tuple[Path, Path]:
    """anna accepts and boris rejects the same suggestion on their laptops; anna pushes and
    boris pulls and opens the study: the start of both item-2 tests."""
    a, b = _two(tmp_path)
    qt(a, "suggest", "accept", str(_propose(a, "idi-02", 1, "ACC.QUEUE")), "--coder", "anna")
    qt(b, "suggest", "reject", str(_propose(b, "idi-02", 1, "ACC.QUEUE")), "--coder", "boris")
    _commit(a, "anna decides")
    git(a, "push", "-q")
    _commit(b, "boris decides")
    _pull(b)
    qt(b, "ls")
    return a, b


def test_two_coders_deciding_one_suggestion_keep_both_decisions(tmp_path: Path) -> None:
    """Item 2: anna accepts and boris rejects the same suggestion on their laptops; after the
    pulls each decision is in its coder's file and in both databases, and boris.json stays."""
    a, b = _both_decide(tmp_path)
    _commit(b, "merged")
    git(b, "push", "-q")
    _pull(a)
    qt(a, "ls")
    both = {("idi-02", 1, "ACC.QUEUE", "anna", "accepted"),
            ("idi-02", 1, "ACC.QUEUE", "boris", "rejected")}  # fmt: skip
    for side in (a, b):
        assert (side / "codings" / "boris.json").exists()
        assert [r["status"] for r in _records(side, "boris", "suggestion")] == ["rejected"]
        assert [r["status"] for r in _records(side, "anna", "suggestion")] == ["accepted"]
        assert both <= _decisions(side), _decisions(side)
        assert status(side) == "", status(side)
    assert both <= _rebuilt(b, _decisions)  # type: ignore[operator]
    assert status(b) == ""


def test_undoing_a_decision_removes_only_that_coders(tmp_path: Path) -> None:
    """Item 2: boris's undo takes his decision out of his file; anna's pulled one stays."""
    _a, b = _both_decide(tmp_path)
    qt(b, "undo")
    assert _records(b, "boris", "suggestion") == []
    assert [r["status"] for r in _records(b, "anna", "suggestion")] == ["accepted"]
    assert _decisions(b) >= {("idi-02", 1, "ACC.QUEUE", "anna", "accepted")}
    assert not any(d[3] == "boris" for d in _decisions(b))


def test_a_layer_that_becomes_empty_is_kept_so_git_merges(tmp_path: Path) -> None:
    """Item 4: boris uncodes his only coding in A while B recodes in boris.json: the file stays
    (an empty, valid layer), so the pull is an ordinary merge, not a modify/delete conflict."""
    a, b = _two(tmp_path)
    cid = qt(a, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "boris").split()[1].rstrip(":")
    _commit(a, "boris codes")
    git(a, "push", "-q")
    _pull(b)
    qt(b, "ls")
    qt(a, "uncode", cid)
    path = a / "codings" / "boris.json"
    assert path.exists(), "an emptied layer file was deleted"
    left = fmt.parse(path.read_text(encoding="utf-8"), "boris.json").records.values()
    assert [r["kind"] for r in left] == [fmt.DELETED]  # its tombstone: pushed, it stays deleted
    assert json.loads(path.read_text(encoding="utf-8"))[0]["coder"] == "boris"
    _commit(a, "boris uncodes")
    git(a, "push", "-q")
    qt(b, "code", "idi-02#4", "TECH.AUTH", "--coder", "boris")
    _commit(b, "boris codes again")
    _pull(b)  # would stop on «CONFLICT (modify/delete)»
    qt(b, "ls")
    # the union merge keeps the uncoded line beside its tombstone: the tombstone wins, and
    # the layer is written back clean once (TEAM17A: it used to come back)
    codes = {(r["segment"], r["code"]) for r in _records(b, "boris", "coding")}
    assert (4, "TECH.AUTH") in codes and (1, "TECH.OUTAGE") not in codes, codes
    _commit(b, "merge")
    qt(b, "ls")
    assert status(b) == "", status(b)


def _coding_rows(side: Path) -> set[tuple[object, ...]]:
    ws = open_workspace(side)
    try:
        rows = ws.db.execute(
            'SELECT c.coder_id, r.key, s.idx, c.code_id, c.start, c."end" FROM codings c '
            "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id"
        ).fetchall()
    finally:
        ws.close()
    return {tuple(r) for r in rows}


def _add_code(side: Path, code: str, label: str) -> None:
    """Append a top-level code to the codebook file (text edit, as a user would)."""
    path = side / CODEBOOK
    text = path.read_text(encoding="utf-8")
    entry = (
        f"  - id: {code}\n    label_ru: {label}\n    label_en: {label}\n    type: none\n"
        f"    definition: {label}.\n"
    )
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def test_codings_pulled_during_a_codebook_conflict_are_applied_once_it_is_resolved(
    tmp_path: Path,
) -> None:
    """Item 3: A adds a code and codes with it; B edits the codebook at the same place and
    pulls: barriers.yml is in conflict, so anna's coding cannot be placed. Once B resolves the
    conflict the next sync brings the coding in, as a rebuild from the files does."""
    a, b = _two(tmp_path)
    _add_code(a, "NEW.FROMA", "From A")
    qt(a, "sync")
    qt(a, "code", "idi-02#1", "NEW.FROMA", "--coder", "anna")
    _commit(a, "anna adds a code")
    git(a, "push", "-q")
    _add_code(b, "NEW.FROMB", "From B")
    qt(b, "sync")
    _commit(b, "boris adds a code")
    pulled = git_pull_conflicted(b)
    assert "barriers.yml" in pulled, pulled
    qt(b, "ls")  # the codebook is not loaded: anna's coding cannot be placed yet
    path = b / CODEBOOK
    text = path.read_text(encoding="utf-8")
    resolved = [line for line in text.splitlines() if not line.startswith(("<<<<<<<", "=======",
                                                                            ">>>>>>>"))]  # fmt: skip
    path.write_text("\n".join(resolved) + "\n", encoding="utf-8")
    _commit(b, "resolved")
    qt(b, "ls")
    live = _coding_rows(b)
    assert any(r[0] == "anna" and r[3] == "NEW.FROMA" for r in live), live
    assert _rebuilt(b, _coding_rows) == live


def git_pull_conflicted(side: Path) -> str:
    """`git pull` that stops on a conflict: its output (the pull itself fails)."""
    out = subprocess.run(["git", "pull", "--no-rebase", "--no-edit"], cwd=side,
                         capture_output=True, text=True, env={**os.environ, **ENV})  # fmt: skip
    assert out.returncode != 0, out.stdout + out.stderr
    return out.stdout + out.stderr


def test_concurrent_first_open_of_a_fresh_clone(tmp_path: Path) -> None:
    """Item 5: three processes (the TUI and two commands) open a fresh clone at once: none
    fails or prints a traceback; the losers wait, find the migrations and the files read, and
    the database is the one a single open builds."""
    bare = seed_sample(tmp_path)
    b = clone(bare, tmp_path / "B")
    env = child_env(tmp_path, QUALTOOL_VAULT=str(tmp_path / "vault"))
    for _round in range(3):
        for f in b.glob("qualtool.db*"):
            f.unlink()
        procs = [subprocess.Popen([sys.executable, "-m", "qualtool", "-s", str(b), "ls"],
                                  cwd=b, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]  # fmt: skip
        for p in procs:
            out, err = p.communicate()
            assert p.returncode == 0 and "idi-02" in out, err
            assert "Traceback" not in err and "locked" not in err and "busy" not in err, err
        together = _coding_rows(b)
        assert together == _rebuilt(b, _coding_rows)
        assert status(b) == ""


def test_speakers_corrected_on_two_laptops_merge_and_are_normalised(tmp_path: Path) -> None:
    """Item 6: anna and boris correct who the interviewer is in different recordings (and both
    in one recording none had corrected): `git pull` merges speakers.yml without a conflict,
    both laptops read every correction, and the next write leaves one sorted block each."""
    a, b = _two(tmp_path)
    assert "speakers.yml merge=union" in (a / ".gitattributes").read_text(encoding="utf-8")
    qt(a, "suggest", "speakers", "idi-02", "I", "interviewer")
    qt(a, "suggest", "speakers", "fg-01", "P1", "interviewer")
    qt(b, "suggest", "speakers", "idi-01", "R01", "respondent")
    qt(b, "suggest", "speakers", "fg-01", "P2", "respondent")
    _commit(a, "anna's speakers")
    git(a, "push", "-q")
    _commit(b, "boris's speakers")
    _pull(b)  # no conflict
    merged = (b / "speakers.yml").read_text(encoding="utf-8")
    expected = {"fg-01": {"P1": "interviewer", "P2": "respondent"},
                "idi-01": {"R01": "respondent"}, "idi-02": {"I": "interviewer"}}  # fmt: skip
    assert load_speaker_map(b) == expected, merged
    qt(b, "suggest", "speakers", "ms-01", "R", "respondent")  # the next write
    expected["ms-01"] = {"R": "respondent"}
    written = (b / "speakers.yml").read_text(encoding="utf-8")
    assert written == render_speaker_map(expected, language_of(b))  # the study's language


def test_duplicate_lines_a_union_merge_leaves_in_a_layer_are_cleaned(tmp_path: Path) -> None:
    """Item 6: a union merge can keep one record line twice (both laptops made the same coding
    beside different ones). Reading tolerated it, but no write ever cleaned it: the sync that
    reads such a file now writes it back once, sorted, as a fresh write would."""
    a, b = _two(tmp_path)
    qt(a, "code", "idi-02#1", "TECH.OUTAGE", "--coder", "anna")
    _commit(a, "A")
    git(a, "push", "-q")
    path = a / "codings" / "anna.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines[:2], *lines[1:]]) + "\n", encoding="utf-8")  # as a union
    _commit(a, "a union merge's result")
    git(a, "push", "-q")
    _pull(b)
    assert len(set((b / "codings" / "anna.json").read_text().splitlines())) < len(lines) + 1
    qt(b, "ls")
    text = (b / "codings" / "anna.json").read_text(encoding="utf-8")
    assert text == fmt.render("anna", fmt.parse(text, "anna.json").records)
    assert text.splitlines() == lines
    assert _records(b, "anna", "coding")[0]["code"] == "TECH.OUTAGE"
