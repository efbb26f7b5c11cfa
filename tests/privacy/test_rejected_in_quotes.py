"""A finding the reviewer rejected stays in the coded quotes as it stays in the transcript; a
recording left out of `anonymise KEY` keeps its quotes too. The quotes used to be scanned
again without the decisions («Этернити», a mis-heard word, became «Имя-N» in every coder's
layer while the transcript kept it), so a quote no longer matched its segment."""

from __future__ import annotations

import pytest

from qualtool.coding.actions import apply_codes
from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

MISHEARD = "У нас в районе очень тяжело с Этернити приходится выезжать в районный центр."
NAMED = "Меня принимала Гульнара Серикбаевна, очень вежливая."


def _quotes(ws: Workspace) -> dict[str, str]:
    rows = ws.db.execute(
        "SELECT r.key, c.quote, s.text, c.start, c.end FROM codings c"
        " JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id"
        " JOIN recordings r ON r.id = t.recording_id"
    ).fetchall()
    for _key, quote, text, start, end in rows:
        assert quote == text[start:end], (quote, text)  # a quote is its segment's words
    return {key: quote for key, quote, *_ in rows}


def _code_all(ws: Workspace, key: str, text: str) -> None:
    sid = ws.db.execute(
        "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id"
        " JOIN recordings r ON r.id = t.recording_id WHERE r.key = ?", (key,)
    ).fetchone()[0]  # fmt: skip
    apply_codes(ws.db, sid, (0, len(text)), ["STAFF.CONDUCT"], "anna")


@pytest.fixture
def study(empty_study: Workspace) -> Workspace:  # its own vault: tests/conftest.py
    add_text_recording(empty_study.db, "fg-01", [("P1", MISHEARD)])
    add_text_recording(empty_study.db, "idi-01", [("R01", NAMED)])
    _code_all(empty_study, "fg-01", MISHEARD)
    _code_all(empty_study, "idi-01", NAMED)
    return empty_study


def test_a_rejected_finding_stays_in_the_quotes(study: Workspace) -> None:
    pseud = Pseudonymiser(study_vault(study).secret, {})
    findings = review.segment_findings(study, pseud)
    misheard = [f for f in findings if f.entity.text == "Этернити"]
    assert misheard, [f.entity.text for f in findings]  # the detector does flag it
    review.decide(study, misheard[0], "reject")
    anonymise(study, study_vault(study))
    quotes = _quotes(study)
    assert quotes["fg-01"] == MISHEARD
    assert "Гульнара" not in quotes["idi-01"]


def test_a_recording_left_out_keeps_its_quotes(study: Workspace) -> None:
    anonymise(study, study_vault(study), keys=["idi-01"])
    quotes = _quotes(study)
    assert quotes["fg-01"] == MISHEARD
    assert "Гульнара" not in quotes["idi-01"]
