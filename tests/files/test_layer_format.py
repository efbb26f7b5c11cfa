"""The coder-layer file: deterministic bytes, one record per line, and the three-way merge."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from qualtool.files import layer_format as fmt
from qualtool.files import layer_merge


def coding(seg: int, code: str = "TECH.AUTH", memo: str | None = None, pin: bool = False):  # type: ignore[no-untyped-def]
    return {"kind": "coding", "recording": "idi-01", "segment": seg, "start": 0, "end": 5,
            "code": code, "quote": "слово", "memo": memo, "key_quote": pin,
            "provenance": "manual", "segment_sha": "x"}  # fmt: skip


def recs(*items):  # type: ignore[no-untyped-def]
    return {fmt.record_key(r): r for r in items}


def test_render_is_valid_json_one_record_per_line_sorted() -> None:
    text = fmt.render("anna", recs(coding(10), coding(2), coding(2, "ACC.QUEUE")))
    doc = json.loads(text)
    assert doc[0] == {"coder": "anna", "format": fmt.FORMAT, "version": fmt.VERSION}
    lines = text.splitlines()
    assert lines[0].startswith("[{") and lines[-1] == "]"
    assert all(line.startswith(",{") for line in lines[1:-1])
    assert [r["segment"] for r in doc[1:]] == [2, 2, 10]  # numeric, not "10" < "2"
    assert fmt.parse(text, "x").records == recs(coding(10), coding(2), coding(2, "ACC.QUEUE"))


@given(st.lists(st.integers(0, 500), unique=True), st.randoms())
def test_render_does_not_depend_on_order(segs: list[int], rnd) -> None:  # type: ignore[no-untyped-def]
    items = [coding(s) for s in segs]
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert fmt.render("a", recs(*items)) == fmt.render("a", recs(*shuffled))


def test_union_merged_lines_are_read_and_duplicates_combined() -> None:
    a = fmt.render("anna", recs(coding(1, memo="A")))
    b = fmt.render("anna", recs(coding(1, memo="B")))
    union = a.splitlines()[:-1] + b.splitlines()[1:]  # what merge=union leaves
    parsed = fmt.parse("\n".join(union), "anna.json")
    (rec,) = parsed.records.values()
    assert "A" in rec["memo"] and "B" in rec["memo"]
    assert parsed.conflicts


def test_merge3_takes_each_sides_change_and_keeps_both_on_conflict() -> None:
    base = recs(coding(1), coding(2), coding(3))
    disk = recs(coding(1, memo="there"), coding(3), coding(4))  # 2 removed there, 4 added
    local = recs(coding(1), coding(2), coding(3, pin=True), coding(5))  # 3 pinned, 5 added
    m = layer_merge.merge3(base, disk, local)
    assert set(m.records) == set(recs(coding(1), coding(3), coding(4), coding(5)))
    assert m.records[fmt.record_key(coding(1))]["memo"] == "there"
    assert m.records[fmt.record_key(coding(3))]["key_quote"] is True
    assert not m.conflicts
    both = layer_merge.merge3(base, recs(coding(1, memo="x")), recs(coding(1, memo="y")))
    assert both.conflicts and "x" in both.records[fmt.record_key(coding(1))]["memo"]


def test_a_deletion_never_wins_over_a_change() -> None:
    base = recs(coding(1))
    m = layer_merge.merge3(base, {}, recs(coding(1, memo="new")))
    assert m.records[fmt.record_key(coding(1))]["memo"] == "new"


def test_version_1_files_are_read() -> None:
    v1 = {"format": fmt.FORMAT, "version": 1, "coder": "a", "study": "s", "created_at": "x",
          "codings": [{k: v for k, v in coding(1).items() if k != "kind"} | {"code_label": "L"}],
          "memos": [{"target_type": "code", "target_id": "X", "text": "m"}]}  # fmt: skip
    parsed = fmt.parse(json.dumps(v1), "a.json")
    assert {k[0] for k in parsed.records} == {"coding", "memo"}


def test_a_file_with_merge_markers_is_refused_with_a_hint() -> None:
    import pytest

    from qualtool.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="merge conflict"):
        fmt.parse("[{}\n<<<<<<< HEAD\n,{}\n=======\n>>>>>>> x\n]\n", "a.json")
