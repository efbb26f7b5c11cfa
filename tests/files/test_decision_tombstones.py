"""privacy/decisions.yml identity and tombstones without git: whatever order a union merge
leaves the lines of one decision in, every laptop reads the same decision (or none)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qualtool.files import decision_tombstones as dead_lines
from qualtool.files import decisions as dfile

MADE = dfile.Decision("idi-01#2", 0, 5, "person", "s-" + "a" * 24, dfile.ADD)
MOVED = dfile.after_split([MADE], "idi-01", 1, 3)[0]  # renumbered: idi-01#3
REJECTED = replace(MADE, decision=dfile.REJECT)
DEAD = dfile.tombstone(MADE)
OTHER = dfile.Decision("fg-01#0", 0, 10, "person", "s-" + "b" * 24, dfile.ADD)


def _read(tmp: Path, lines: list[dfile.Decision]) -> list[dfile.Decision]:
    path = tmp / dfile.DECISIONS_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(dfile.HEADER + "".join(dfile.line(d) for d in lines), encoding="utf-8")
    return sorted(dfile.read(tmp), key=dfile.line_order)


def test_a_renumbered_line_keeps_its_identity_and_a_tombstone_has_no_hash() -> None:
    assert MOVED.where == "idi-01#3" and MOVED.origin == MADE.origin == "idi-01#2@0-5"
    assert "origin: 'idi-01#2@0-5'" in dfile.line(MOVED) and "origin" not in dfile.line(MADE)
    assert DEAD.digest == dfile.NO_DIGEST and DEAD.where == "idi-01#2" and DEAD.dead
    assert dfile.tombstone(MOVED) == DEAD


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([MADE, MOVED, REJECTED, DEAD, OTHER]), min_size=1, max_size=5),
       st.randoms())  # fmt: skip
def test_every_order_of_the_lines_reads_the_same(
    tmp_path_factory: object, lines: list[dfile.Decision], rnd: random.Random
) -> None:
    tmp = tmp_path_factory.mktemp("d")  # type: ignore[attr-defined]
    first = _read(tmp, lines)
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert _read(tmp, shuffled) == first
    mine = [d for d in first if d.origin == MADE.origin]
    if DEAD in lines:
        assert not mine
    elif {MADE, MOVED, REJECTED} & set(lines):
        assert len(mine) == 1
        if MOVED in lines:
            assert mine[0].where == "idi-01#3"
        if REJECTED in lines and MADE not in lines:
            assert mine[0].decision == dfile.REJECT


def test_a_saved_file_keeps_its_tombstones_and_a_new_decision_there_is_another(
    tmp_path: Path,
) -> None:
    dfile.save(tmp_path, [OTHER, DEAD])
    dfile.save(tmp_path, [OTHER])  # a later save of the live decisions keeps the tombstone
    assert DEAD in dfile.every(tmp_path) and dfile.read(tmp_path) == [OTHER]
    again = dead_lines.fresh_origin(MADE, {d.origin for d in dfile.every(tmp_path)})
    assert again.origin == "idi-01#2@0-5/1"
    dfile.save(tmp_path, [OTHER, again])
    assert sorted(dfile.read(tmp_path), key=dfile.line_order) == [OTHER, again]
    assert DEAD in dfile.every(tmp_path)
