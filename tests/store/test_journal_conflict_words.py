"""A step the undo history cannot take (its rows changed outside it: a sync, a pulled file)
names what changed in the interface's words: the Russian line read «нельзя отменить …:
suggestions с тех пор изменена», the table's name in English and the verb in the wrong number."""

from __future__ import annotations

import pytest
from conftest import TURNS

from qualtool.coding import apply_codes
from qualtool.coding.history import undo
from qualtool.domain.errors import InvalidInput
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace


@pytest.mark.parametrize(("lang", "words"), [("ru", "кодировки с тех пор изменены"),
                                             ("en", "codings changed outside")])  # fmt: skip
def test_a_conflict_names_the_rows_in_the_interface_language(
    empty_study: Workspace, lang: str, words: str
) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-x", TURNS)
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    apply_codes(ws, sid, (0, 13), ["TECH.OUTAGE"], "anna")
    ws.db.execute("UPDATE codings SET memo = 'правка извне'")  # as a sync from a pulled file
    set_language(lang)
    try:
        with pytest.raises(InvalidInput) as err:
            undo(ws)
    finally:
        set_language("en")
    assert words in str(err.value), str(err.value)
    assert lang == "en" or "codings" not in str(err.value)
