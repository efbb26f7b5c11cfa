"""decisions/<name>.json: the file-backed decisions API (e.g. the pseudonym map by HMAC id)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.domain.errors import InvalidInput
from qualtool.files import records


def test_update_rereads_the_file_and_writes_only_changes(tmp_path: Path) -> None:
    assert records.update(tmp_path, "pseudonyms", {"h1": {"kind": "PER", "n": 1}}) == []
    path = records.path_for(tmp_path, "pseudonyms")
    text = path.read_text()
    # a colleague's record arrives on disk (a git pull)
    head, rest = text.split("\n", 1)
    path.write_text(head + '\n,{"id": "h0", "kind": "PER", "n": 2}\n' + rest)
    mtime = path.stat().st_mtime_ns
    records.update(tmp_path, "pseudonyms", {"h1": {"kind": "PER", "n": 1}})  # no change
    assert path.stat().st_mtime_ns == mtime
    records.update(tmp_path, "pseudonyms", {"h2": {"kind": "PER", "n": 3}})
    assert set(records.read(tmp_path, "pseudonyms")) == {"h0", "h1", "h2"}
    lines = path.read_text().splitlines()
    assert [line[:12] for line in lines[1:-1]] == [',{"id": "h0"', ',{"id": "h1"', ',{"id": "h2"']


def test_same_id_changed_on_both_sides_keeps_disk_and_reports(tmp_path: Path) -> None:
    records.update(tmp_path, "p", {"h1": {"n": 1}})
    base = records.read(tmp_path, "p")
    records.update(tmp_path, "p", {"h1": {"n": 5}})  # the other side
    assert records.update(tmp_path, "p", {"h1": {"n": 7}}, base=base) == ["h1"]
    assert records.read(tmp_path, "p")["h1"] == {"n": 5}


def test_names_are_safe(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        records.path_for(tmp_path, "../x")
