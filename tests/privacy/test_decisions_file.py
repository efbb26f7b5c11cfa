"""privacy/decisions.yml beyond the QA82 flows: split/merge renumbering is undone with the
edit, a decision is its own undo step, what a union merge leaves is read, and a hash this
laptop cannot read is never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import KEPT, focus_group_kept

from qualtool.coding.editing import edit_segment_text, merge_with_next, split_segment
from qualtool.coding.history import redo, undo
from qualtool.domain.errors import InvalidInput
from qualtool.files import decisions as decisions_file
from qualtool.privacy import decisions, review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace


def _pseud(ws: Workspace) -> Pseudonymiser:
    return Pseudonymiser(study_vault(ws).secret, {})


def _status(ws: Workspace, words: str) -> list[str]:
    return [f.status for f in review.segment_findings(ws, _pseud(ws)) if f.entity.text == words]


def _ids(ws: Workspace) -> list[int]:
    return [r[0] for r in ws.db.execute("SELECT id FROM segments ORDER BY idx")]


def test_undo_of_a_split_and_a_merge_puts_the_decisions_back(empty_study: Workspace) -> None:
    ws = empty_study
    focus_group_kept(ws)
    path = ws.study.root / decisions.DECISIONS_FILE
    before = path.read_text(encoding="utf-8")
    split_segment(ws, _ids(ws)[0], len("Расскажите,"))
    assert "'fg-01#2'" in path.read_text(encoding="utf-8")
    assert _status(ws, "Этернити") == ["reject"]
    undo(ws)
    assert path.read_text(encoding="utf-8") == before
    redo(ws)
    assert "'fg-01#2'" in path.read_text(encoding="utf-8")
    merge_with_next(ws, _ids(ws)[1], True)  # «пожалуйста…» + the reply: the reject moves in
    assert _status(ws, "Этернити") == ["reject"]
    undo(ws)
    assert "'fg-01#2'" in path.read_text(encoding="utf-8")
    assert _status(ws, "Этернити") == ["reject"]


def test_undo_right_after_a_decision_takes_back_the_decision(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "fg-01", [("P2", KEPT)])
    edit_segment_text(ws, _ids(ws)[0], "Ну, " + KEPT)
    f = next(f for f in review.segment_findings(ws, _pseud(ws)) if f.entity.text == "Этернити")
    review.decide(ws, f, "reject")
    undo(ws)
    assert _status(ws, "Этернити") == ["pending"]
    text = ws.db.execute("SELECT text FROM segments").fetchone()[0]
    assert text.startswith("Ну, "), text  # the edit before it stays


def test_what_a_union_merge_leaves_is_read(tmp_path: Path) -> None:
    """The same line twice, and two reviewers' different decisions on one span: read once,
    the one that replaces winning (a disagreement errs on the side of privacy)."""
    line = "  - {where: 'a#0', start: 0, end: 3, kind: person, digest: s-ab, decision: %s}\n"
    (tmp_path / "privacy").mkdir()
    (tmp_path / decisions.DECISIONS_FILE).write_text(
        decisions_file.HEADER + line % "reject" + line % "accept" + line % "reject",
        encoding="utf-8")  # fmt: skip
    assert [d.decision for d in decisions.load(tmp_path)] == ["accept"]


def test_an_empty_file_keeps_its_header_and_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / "privacy").mkdir()
    (tmp_path / decisions.DECISIONS_FILE).write_text("x: 1\n", encoding="utf-8")
    assert decisions.save(tmp_path, [])
    assert (tmp_path / decisions.DECISIONS_FILE).read_text(encoding="utf-8").endswith(
        "decisions:\n")  # fmt: skip
    assert decisions.load(tmp_path) == []
    assert not decisions.save(tmp_path, [])  # unchanged: not written again


def test_a_stale_study_keyed_decision_goes_a_foreign_one_stays(empty_study: Workspace) -> None:
    """After --apply: a marked (study-keyed) decision whose words are gone is dropped; an
    unmarked hash this laptop cannot read (another laptop's legacy key) is kept as it was."""
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", KEPT)])
    stale = decisions.Decision("idi-01#0", 0, 2, "person", review.span_digest(b"k", "xx"),
                               "reject")  # fmt: skip
    foreign = decisions.Decision("idi-01#0", 3, 5, "person", "0123456789abcdef01234567", "add")
    decisions.record(ws.study.root, stale, foreign)
    anonymise(ws, study_vault(ws))
    assert decisions.load(ws.study.root) == [foreign]


def test_the_laptop_that_can_read_a_legacy_hash_converts_it(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision keyed by this laptop's vault (before decisions were keyed by the study) is
    rewritten with the study key the first time this laptop lists: from then on every clone
    reads it, and no laptop-keyed hash is left for another laptop to keep for ever."""
    ws = empty_study
    add_text_recording(ws.db, "fg-01", [("P2", KEPT)])
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-a"))
    k = KEPT.index("Этернити")
    legacy = _pseud(ws).digest("span", "этернити")[:24]
    decisions.record(ws.study.root,
                     decisions.Decision("fg-01#0", k, k + 8, "person", legacy, "reject"))  # fmt: skip
    assert _status(ws, "Этернити") == ["reject"]
    text = (ws.study.root / decisions.DECISIONS_FILE).read_text(encoding="utf-8")
    assert legacy not in text and "digest: s-" in text, text


def test_a_split_with_a_broken_decisions_file_is_refused_before_writing(
    empty_study: Workspace,
) -> None:
    ws = empty_study
    add_text_recording(ws.db, "fg-01", [("P2", KEPT)])
    (ws.study.root / "privacy").mkdir(exist_ok=True)
    (ws.study.root / decisions.DECISIONS_FILE).write_text("decisions: [}\n", encoding="utf-8")
    texts = {p.name: p.read_bytes() for p in ws.study.transcripts_dir.glob("*")}
    with pytest.raises(InvalidInput, match=r"decisions\.yml"):
        split_segment(ws, _ids(ws)[0], len("У нас"))
    assert len(_ids(ws)) == 1
    assert {p.name: p.read_bytes() for p in ws.study.transcripts_dir.glob("*")} == texts
