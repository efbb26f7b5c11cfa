"""A committed suggestion decision undone (its tombstone written in the coder's layer), then a
split on the same laptop renumbers its segment, then the decision is made again: the new
decision took its segment's index now as its identity, so its line stood beside the tombstone
— a dead line left in codings/<coder>.json for good, the decision still read as made. The
decision made again takes back the identity it was first made with, and so does the coding an
accept makes again: one line each, the same bytes as if it had never been undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitstudy import clone, git, qt, seed_sample, status
from test_stale_decision_union import ACCEPTED

from qualtool.coding.editing import split_segment
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import open_workspace

STATUS = {"accept": "accepted", "reject": "rejected"}


def _split_first_segment(study: Path) -> None:
    """idi-02#0 split in two: the suggestion's segment (#1) is #2 now."""
    ws = open_workspace(study)
    try:
        seg = tr_store.find_segment(ws.db, "idi-02", 0)
        split_segment(ws, seg.id or 0, seg.text.index("как"))
    finally:
        ws.close()


def _decision_lines(study: Path) -> list[str]:
    text = (study / "codings" / "anna.json").read_text(encoding="utf-8")
    return [x for x in text.splitlines() if '"suggestion' in x]


def _laptop(tmp_path: Path, name: str, decision: str, undo_first: bool) -> Path:
    bare = tmp_path / f"{name}.seed"
    bare.mkdir()
    study = clone(seed_sample(bare), tmp_path / name)
    qt(study, "suggest", "run")
    qt(study, "suggest", decision, "1", "--coder", "anna")
    git(study, "add", "-A")
    git(study, "commit", "-qm", "decided")
    if undo_first:
        qt(study, "undo")
        assert '"suggestion-withdrawn"' in "".join(_decision_lines(study))  # committed: a tombstone
    _split_first_segment(study)
    if undo_first:
        qt(study, "suggest", decision, "1", "--coder", "anna")  # made again, after the split
    return study


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_a_decision_made_again_after_a_split_replaces_its_tombstone(
    tmp_path: Path, decision: str
) -> None:
    again = _laptop(tmp_path, "again", decision, undo_first=True)
    never = _laptop(tmp_path, "never", decision, undo_first=False)
    lines = _decision_lines(again)
    assert len(lines) == 1 and '"suggestion-withdrawn"' not in lines[0], lines
    assert lines == _decision_lines(never)  # the bytes of a decision never undone
    listed = qt(again, "suggest", "ls", "--status", STATUS[decision])
    assert ACCEPTED in listed, listed
    before = (again / "codings" / "anna.json").read_bytes()
    qt(again, "sync", "--all")
    assert (again / "codings" / "anna.json").read_bytes() == before
    # the accept's coding too: made again on its words, its tombstone goes — the whole file
    # as if the decision had never been undone
    assert before == (never / "codings" / "anna.json").read_bytes()
    assert '"kind": "deleted"' not in before.decode("utf-8")
    git(again, "add", "-A")
    git(again, "commit", "-qm", "again")
    qt(again, "sync")
    assert status(again) == ""
