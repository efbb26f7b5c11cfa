"""A rejected finding stays rejected after `--apply` replaced a name before it in the same
segment: the replacement moves every later offset, and a decision that kept its old span no
longer matched, so the kept word came back as pending and the next `--apply` replaced it."""

from __future__ import annotations

from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TEXT = (
    "Меня принимала Гульнара Серикбаевна. У нас в районе очень тяжело с Этернити "
    "приходится выезжать в районный центр."
)


def test_a_rejected_finding_after_a_replaced_name_stays_rejected(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", TEXT)])
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    found = {f.entity.text: f for f in review.segment_findings(ws, pseud)}
    assert "Этернити" in found, list(found)
    review.decide(ws, found["Этернити"], "reject")
    anonymise(ws, study_vault(ws))
    after = {f.entity.text: f.status for f in review.segment_findings(ws, pseud)}
    assert after.get("Этернити") == "reject", after
    anonymise(ws, study_vault(ws))  # a second run changes nothing
    text = ws.db.execute("SELECT text FROM segments").fetchone()[0]
    assert "Этернити" in text and "Гульнар" not in text, text
