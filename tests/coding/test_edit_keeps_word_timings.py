"""A one-word correction in review dropped every word's timing of the segment: playback could no
longer follow the words, the TUI no longer marked the words the model was unsure of. The words
the edit left as they were keep their moments now (as `transcript import` of an edited .txt
already does); undo brings every timing back."""

from __future__ import annotations

from conftest import words_for

from qualtool.coding.editing import edit_segment_text
from qualtool.coding.history import undo
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace

HEARD = "Справку о несудимости ждали две недели в цоне"


def _timed(ws: Workspace) -> int:
    add_text_recording(ws.db, "idi-w", [("R01", HEARD)])
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    tr_store.update_segment(ws.db, sid, words=words_for(HEARD, 10.0, 17.0))
    return int(sid)


def test_an_edit_keeps_the_timings_of_the_words_it_left(empty_study: Workspace) -> None:
    sid = _timed(empty_study)
    before = tr_store.get_segment(empty_study.db, sid).words
    edit_segment_text(empty_study, sid, "Справку о несудимости ждали три недели в ЦОНе.")
    after = tr_store.get_segment(empty_study.db, sid).words
    # «две» became «три»: only it lost its moment; «ЦОНе.» is «цоне» heard, in other letters
    assert [w.text.strip() for w in after] == ["Справку", "о", "несудимости", "ждали", "недели",
                                               "в", "ЦОНе."]  # fmt: skip
    heard = {w.text.strip().casefold().rstrip("."): (w.start, w.end) for w in before}
    assert all((w.start, w.end) == heard[w.text.strip().casefold().rstrip(".")] for w in after)
    undo(empty_study)
    assert tr_store.get_segment(empty_study.db, sid).words == before
