"""Coder-layer identity and tombstones without git: whatever order a union merge leaves the lines
of one coding in, every laptop reads the same one record (or its tombstone), and merging the
database's version with the file's against what both agreed on keeps a deletion."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from qualtool.files import layer_format as fmt
from qualtool.files import layer_merge

ORIGIN = {"kind": "coding", "recording": "idi-01", "segment": 0, "start": 87, "end": 119,
          "code": "BUR.EXTRA_DOCS", "quote": "требовали дополнительные справки", "memo": None,
          "key_quote": False, "provenance": "manual"}  # fmt: skip
MOVED = fmt.placed_at({**ORIGIN, "segment": 1, "start": 22, "end": 54}, fmt.origin(ORIGIN))
MEMO = {**ORIGIN, "memo": "boris: too many"}
RECODED = fmt.placed_at({**ORIGIN, "code": "BUR.RESUBMIT"}, fmt.origin(ORIGIN))
DEAD = fmt.tombstone(ORIGIN)


def _layer(lines: list[dict[str, object]]) -> str:
    return fmt.render("dana", {}).replace("\n]", "".join(
        "\n," + json.dumps(r, ensure_ascii=False) for r in lines) + "\n]")  # fmt: skip


def test_one_identity_for_a_moved_or_recoded_line() -> None:
    assert fmt.record_key(MOVED) == fmt.record_key(ORIGIN) == fmt.record_key(RECODED)
    assert fmt.record_key(DEAD) == fmt.record_key(ORIGIN) and "quote" not in DEAD
    assert "origin" not in ORIGIN and MOVED["origin"] == [0, 87, 119, "BUR.EXTRA_DOCS"]


def test_a_re_anchor_and_a_memo_are_one_coding_a_tombstone_ends_it() -> None:
    parsed = fmt.parse(_layer([MEMO, MOVED]), "dana.json")
    (rec,) = parsed.records.values()
    assert (rec["segment"], rec["start"], rec["memo"]) == (1, 22, "boris: too many")
    assert not parsed.conflicts and parsed.duplicates == 1
    (rec,) = fmt.parse(_layer([RECODED, MOVED]), "dana.json").records.values()
    assert (rec["segment"], rec["code"]) == (1, "BUR.RESUBMIT")
    (rec,) = fmt.parse(_layer([MOVED, DEAD, MEMO]), "dana.json").records.values()
    assert fmt.is_dead(rec)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([ORIGIN, MOVED, MEMO, RECODED, DEAD]), min_size=1, max_size=5),
       st.randoms())  # fmt: skip
def test_every_order_of_the_lines_reads_the_same(lines: list[dict[str, object]],
                                                 rnd: random.Random) -> None:  # fmt: skip
    first = fmt.parse(_layer(lines), "dana.json").records
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert fmt.parse(_layer(shuffled), "dana.json").records == first
    assert len(first) == 1
    assert fmt.is_dead(next(iter(first.values()))) == (DEAD in lines)


def test_merge3_keeps_a_deletion_and_gives_it_back_on_undo() -> None:
    key = fmt.record_key(ORIGIN)
    # deleted here, the file unchanged: a tombstone is written
    assert layer_merge.merge3({key: ORIGIN}, {key: ORIGIN}, {}).records == {key: DEAD}
    # deleted here, moved in the file (a colleague's split): still deleted, not reported
    merged = layer_merge.merge3({key: ORIGIN}, {key: MOVED}, {})
    assert merged.records == {key: DEAD} and not merged.conflicts
    # deleted in the file, moved here: deleted; memo changed here: deleted and reported
    assert layer_merge.merge3({key: ORIGIN}, {key: DEAD}, {key: MOVED}).records == {key: DEAD}
    merged = layer_merge.merge3({key: ORIGIN}, {key: DEAD}, {key: MEMO})
    assert merged.records == {key: DEAD} and len(merged.conflicts) == 1
    # undone here (the row is back), the tombstone unchanged in the file: the coding
    assert layer_merge.merge3({key: DEAD}, {key: DEAD}, {key: ORIGIN}).records == {key: ORIGIN}
    # a memo here and a move there: one coding, the file's place and this side's memo
    merged = layer_merge.merge3({key: ORIGIN}, {key: MOVED}, {key: MEMO})
    (rec,) = merged.records.values()
    assert (rec["segment"], rec["memo"]) == (1, "boris: too many") and not merged.conflicts
