"""A transcript JSON with git's conflict markers (two laptops renamed one recording to different
names: git writes both versions into one file). It was refused as «not a qualtool transcript
JSON (Expecting value…)», which told the coder nothing about the way out."""

from __future__ import annotations

import pytest

from qualtool.domain.errors import InvalidInput
from qualtool.files.transcript_formats import parse

OURS, BASE, THEIRS = "<" * 7, "=" * 7, ">" * 7  # spelt out, a repository grep would flag them
MERGED = f"""{{
{OURS} HEAD
  "recording": "idi-02b",
{BASE}
  "recording": "idi-02c",
{THEIRS} origin/main
  "segments": []
}}
"""


def test_conflict_markers_name_the_way_out() -> None:
    with pytest.raises(InvalidInput) as err:
        parse(MERGED, "json")
    message = str(err.value)
    assert "git merge --abort" in message and "qualtool rename" in message


def test_a_marker_inside_a_turn_is_not_taken_for_one() -> None:
    text = '{"segments": [{"start": 0, "end": 1, "text": "он сказал <<<<<<< и ушёл"}]}'
    segs, _ = parse(text, "json")
    assert [s.text for s in segs] == ["он сказал <<<<<<< и ушёл"]
