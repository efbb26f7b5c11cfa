"""Property test: random sequences of this coder's actions, undo and redo, with a colleague's
codings arriving in between as a `git pull` brings them (her layer file changed on disk, read
by the next write or by the TUI's idle watch). Undo undoes only this user's actions: no undo
or redo ever drops a pulled coding or leaves it on other words, and the study stays
consistent (files equal the database) after every step."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_undo_properties import CODES, OPS, N, _pick, check, run, template  # noqa: F401

from qualtool.coding import history
from qualtool.domain.errors import QualtoolError
from qualtool.files import layer_format
from qualtool.store import recordings as rec_store
from qualtool.workspace.layers import sha
from qualtool.workspace.study import Workspace, open_workspace

COLLEAGUE = "carla"
PULL = st.tuples(st.just("pull"), N, N, N, N, st.booleans())


def pull(ws: Workspace, op: tuple[Any, ...]) -> None:
    """carla's layer file gains a coding on a segment's words as they are now (she pulled
    this user's work, coded, pushed; this laptop pulled): written on disk only."""
    _name, seg_n, word_n, code_n, _n, _idle = op
    segs = list(ws.db.query("SELECT idx, text FROM segments ORDER BY idx"))
    seg = _pick(segs, seg_n)
    words = seg["text"].split()
    word = _pick(words, word_n)
    start = seg["text"].find(word)
    live = {r[0] for r in ws.db.execute("SELECT id FROM codes")}
    code = _pick([c for c in CODES if c in live], code_n)
    if not word or code is None or len(word) < 3:
        return
    path = ws.study.root / "codings" / f"{COLLEAGUE}.json"
    records = (layer_format.parse(path.read_text(encoding="utf-8"), path.name).records
               if path.exists() else {})  # fmt: skip
    rec = {"kind": "coding", "recording": "idi-x",
           "recording_sha256": rec_store.get_recording(ws.db, "idi-x").checksum,
           "segment": seg["idx"], "segment_sha": sha(seg["text"]), "start": start,
           "end": start + len(word), "quote": word, "code": code, "memo": "carla",
           "provenance": "manual", "key_quote": False}  # fmt: skip
    records[layer_format.record_key(rec)] = rec
    path.parent.mkdir(exist_ok=True)
    path.write_text(layer_format.render(COLLEAGUE, records), encoding="utf-8")


def pulled(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM codings WHERE coder_id = ?",
                             [COLLEAGUE]).fetchone()[0])  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.one_of(OPS, PULL, PULL), min_size=4, max_size=20))
# the team's report (r10): this user inserts a word, carla codes it, the edit is undone
@example(ops=[("edit", 1, 0, 1, 1), ("pull", 1, 0, 0, 0, True), ("undo",), ("redo",)])
def test_undo_never_drops_or_misplaces_a_pulled_coding(
    template: Path,  # noqa: F811
    ops: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        shutil.copytree(template, root)
        ws = open_workspace(root)
        try:
            for op in ops:
                if op[0] == "pull":
                    pull(ws, op)
                    if not op[-1]:
                        continue  # read by the next write, not by the idle watch
                    ws.catch_up()
                    check(ws)
                    continue
                before = pulled(ws)
                with contextlib.suppress(QualtoolError):  # a refusal is fine; state must hold
                    if op[0] in ("undo", "redo"):
                        ws.catch_up()  # what was pulled is read first, then the step
                        before = pulled(ws)
                    run(ws, op)
                ws.catch_up()
                check(ws)
                if op[0] in ("undo", "redo"):
                    assert pulled(ws) >= before, "an undo or redo dropped a pulled coding"
            ws.catch_up()
            kept = pulled(ws)
            while True:
                try:
                    history.undo(ws)
                except QualtoolError:
                    break
                check(ws)
            assert pulled(ws) >= kept, "undoing everything dropped a pulled coding"
        finally:
            ws.close()
