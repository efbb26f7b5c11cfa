"""A new coding's origin (store.codings._origin) used to read every origin its coder has in the
transcript, once per coding: a large QDPX import felt it. Now each candidate is one lookup by
(coder, origin) through an index; the origins given are the same as before."""

from __future__ import annotations

import json
from typing import Any

from qualtool.domain import Coding
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding, update_coding
from qualtool.store.db import Database
from qualtool.workspace.study import Workspace

CODES = ("BUR.EXTRA_DOCS", "TECH.OUTAGE", "ACC.QUEUE")
WORDS = "Три раза ходила в ЦОН и каждый раз просили новую справку у меня"


def _as_before(db: Database, coding: Coding, idx: int) -> str:
    """The origin as the earlier release computed it: every origin read, then the first free."""
    where: list[Any] = [idx, coding.start, coding.end, coding.code_id]
    taken = {r[0] for r in db.execute(
        "SELECT c.origin FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_id = ? AND s.transcript_id = (SELECT transcript_id FROM segments "
        "WHERE id = ?)", [coding.coder_id, coding.segment_id])}  # fmt: skip
    n = 1
    while json.dumps(where, ensure_ascii=False, separators=(",", ":")) in taken:
        where = [*where[:4], n]
        n += 1
    return json.dumps(where, ensure_ascii=False, separators=(",", ":"))


def test_many_new_codings_get_the_origins_they_got_before(empty_study: Workspace) -> None:
    db = empty_study.db
    for key in ("idi-a", "idi-b"):
        add_text_recording(db, key, [("R01", WORDS)] * 6)
    segments = [tuple(r) for r in db.execute("SELECT id, idx FROM segments ORDER BY id")]
    made = 0
    for round_ in range(3):  # the same places again, each after the last round's moved away
        for sid, idx in segments:
            for n, code in enumerate(CODES):
                for coder in ("anna", "boris"):
                    coding = Coding(sid, code, coder, n * 4, n * 4 + 9, "")
                    expected = _as_before(db, coding, idx)
                    c = add_coding(db, coding)
                    origin = db.execute("SELECT origin FROM codings WHERE id = ?", [c.id])
                    assert origin.fetchone()[0] == expected
                    made += 1
                    # moved on: the next one made here is another coding of the same origin
                    update_coding(db, c.id or 0, start=n * 4 + 20 + round_, end=n * 4 + 30 + round_)
    assert made == 3 * len(segments) * len(CODES) * 2
    suffixed = db.execute("SELECT count(*) FROM codings WHERE json_array_length(origin) = 5")
    assert suffixed.fetchone()[0] > 0  # the fifth item was given, as before


def test_an_origin_is_looked_up_through_the_index(empty_study: Workspace) -> None:
    plan = " ".join(str(r[-1]) for r in empty_study.db.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM codings c JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_id = ? AND c.origin = ? AND s.transcript_id = ? LIMIT 1",
        ["anna", "[0,0,1,\"X\"]", 1]))  # fmt: skip
    assert "codings_coder_origin" in plan, plan
