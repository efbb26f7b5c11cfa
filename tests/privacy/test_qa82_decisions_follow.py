"""QA82: review decisions must stay on their words through edits, splits and merges.

Each test is a user flow that ends with `--apply` leaving a name in the study (an added
span lost) or replacing a word the reviewer kept (a reject lost or spread)."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import KEPT, focus_group_kept

from qualtool.coding.editing import edit_segment_text, merge_with_next, split_segment
from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

# «асель» in lower case: the detector misses it, the reviewer adds it by hand (`--add`, TUI «n»)
MISSED = "Потом асель из окна три мне помогла, очередь была большая."


def _seg_ids(ws: Workspace) -> list[int]:
    return [r[0] for r in ws.db.execute("SELECT id FROM segments ORDER BY idx")]


def _texts(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.db.execute("SELECT text FROM segments ORDER BY idx")]


def _pseud(ws: Workspace) -> Pseudonymiser:
    v = study_vault(ws)
    return Pseudonymiser(v.secret, v.numbers)


def _add_missed(ws: Workspace, idx: int) -> None:
    text = _texts(ws)[idx]
    s = text.index("асель")
    review.add_span(ws, "idi-01", idx, s, s + len("асель"), "person", text)
    found = {f.entity.text: f.status for f in review.segment_findings(ws, _pseud(ws))}
    assert found.get("асель") == "add", found


def test_an_added_span_follows_an_edit_before_it(empty_study: Workspace) -> None:
    """`--add` a name the detector missed, fix a typo earlier in the same segment, --apply:
    the added span was matched only at its old offsets, so it silently vanished from the review
    and --apply left the name in every file (and dropped the add decision as «carried out»)."""
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", MISSED)])
    _add_missed(ws, 0)
    edit_segment_text(ws, _seg_ids(ws)[0], "Ну, " + MISSED)  # a word typed in front
    found = {f.entity.text: f.status for f in review.segment_findings(ws, _pseud(ws))}
    assert found.get("асель") == "add", found
    anonymise(ws, study_vault(ws))
    assert "асель" not in _texts(ws)[0], _texts(ws)


def test_an_added_span_survives_a_split_of_an_earlier_segment(empty_study: Workspace) -> None:
    """Decisions are keyed by segment index: splitting an earlier segment renumbers every later
    one, so the add on «idi-01#1» no longer finds its words and the name is not replaced."""
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("I", "Расскажите, пожалуйста, как всё было?"),
                                         ("R01", MISSED)])  # fmt: skip
    _add_missed(ws, 1)
    split_segment(ws, _seg_ids(ws)[0], len("Расскажите,"))
    anonymise(ws, study_vault(ws))
    assert not any("асель" in t for t in _texts(ws)), _texts(ws)


def test_a_rejected_word_survives_a_split_of_an_earlier_segment(empty_study: Workspace) -> None:
    ws = empty_study
    focus_group_kept(ws)
    split_segment(ws, _seg_ids(ws)[0], len("Расскажите,"))
    after = {f.entity.text: f.status for f in review.segment_findings(ws, _pseud(ws))}
    assert after.get("Этернити") == "reject", after


def test_a_rejected_word_survives_a_merge_with_the_segment_before(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "fg-01", [("P2", "Ну да."), ("P2", KEPT)])
    f = next(f for f in review.segment_findings(ws, _pseud(ws)) if f.entity.text == "Этернити")
    review.decide(ws, f, "reject")
    merge_with_next(ws, _seg_ids(ws)[0], True)
    anonymise(ws, study_vault(ws))
    assert "Этернити" in _texts(ws)[0], _texts(ws)


def test_one_reject_does_not_spread_to_the_same_words_elsewhere_in_the_segment(
    empty_study: Workspace,
) -> None:
    """Reject «Ерлан Сейткалиев» once (the shop), leave the second (the person) pending, edit
    the segment's start: `_moved` hands the one reject to both, and --apply keeps the person's
    name."""
    ws = empty_study
    text = ("В магазине Ерлан Сейткалиев нам не помогли, а потом Ерлан Сейткалиев сам "
            "позвонил.")  # fmt: skip
    add_text_recording(ws.db, "idi-01", [("R01", text)])
    first = min((f for f in review.segment_findings(ws, _pseud(ws))
                 if f.entity.text == "Ерлан Сейткалиев"), key=lambda f: f.entity.start)  # fmt: skip
    review.decide(ws, first, "reject")
    edit_segment_text(ws, _seg_ids(ws)[0], "Итак, " + text)
    statuses = [f.status for f in review.segment_findings(ws, _pseud(ws))
                if f.entity.text == "Ерлан Сейткалиев"]  # fmt: skip
    assert statuses == ["reject", "pending"], statuses
    anonymise(ws, study_vault(ws))
    assert _texts(ws)[0].count("Ерлан Сейткалиев") == 1, _texts(ws)


def test_a_later_accept_wins_over_an_earlier_reject_of_the_same_words(
    empty_study: Workspace,
) -> None:
    """Reject a name, edit in front of it (the reject follows), change your mind: accept it.
    `record` replaces only a decision on the very same offsets, so the old reject stays beside
    the accept; after a second edit `_moved` picks whichever is nearer — the reject — and
    --apply keeps the name the reviewer accepted."""
    ws = empty_study
    rest = "Ерлан Сейткалиев сказал: у нас в районе очень тяжело, приходится выезжать."
    add_text_recording(ws.db, "fg-01", [("P2", "Мне " + rest)])
    sid = _seg_ids(ws)[0]

    def finding() -> review.Finding:
        return next(f for f in review.segment_findings(ws, _pseud(ws))
                    if f.entity.text == "Ерлан Сейткалиев")  # fmt: skip

    review.decide(ws, finding(), "reject")
    edit_segment_text(ws, sid, "Да, вот так мне " + rest)
    assert finding().status == "reject"
    review.decide(ws, finding(), "accept")
    assert finding().status == "accept"
    edit_segment_text(ws, sid, "Так мне " + rest)
    assert finding().status == "accept", (ws.study.root / "privacy/decisions.yml").read_text()
    anonymise(ws, study_vault(ws))
    assert "Ерлан" not in _texts(ws)[0], _texts(ws)


def test_the_decisions_file_stays_readable_after_apply_carried_out_every_decision(
    empty_study: Workspace,
) -> None:
    """No reject in the file (a new study; the sample ships one, which hides this): --apply
    drops every carried-out decision and writes `decisions:` with no items — YAML null — and
    from then on every `qualtool anonymise` (list, --apply, --reject, F10) fails with «not a
    decisions file ('NoneType' object is not iterable)»."""
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", MISSED)])
    _add_missed(ws, 0)
    anonymise(ws, study_vault(ws))
    review.segment_findings(ws, _pseud(ws))  # raised InvalidInput


def test_legacy_vault_keyed_decisions_are_not_destroyed_by_another_laptops_apply(
    empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decisions made before this release carry hashes keyed by laptop A's vault. They are
    «still read» — on A only. Laptop B (its own vault) sees the kept word as pending, so B's
    --apply replaces it, leaves the name A added by hand, and `forget_replaced` deletes A's add
    decision from the shared file (its hash does not match with B's key): A cannot get it
    back. Expected: B is told the file has decisions it cannot read (or A's listing migrates
    them to the study key), and B's apply does not delete them."""
    from qualtool.privacy import decisions

    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R01", MISSED + " Тяжело у нас с Этернити.")])
    text = _texts(ws)[0]
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-a"))
    a = Pseudonymiser(study_vault(ws).secret, {})

    def legacy(w: str) -> str:
        return a.digest("span", " ".join(w.split()).lower())[:24]

    s, k = text.index("асель"), text.index("Этернити")
    decisions.record(ws.study.root,
                     decisions.Decision("idi-01#0", s, s + 5, "person", legacy("асель"), "add"),
                     decisions.Decision("idi-01#0", k, k + 8, "person", legacy("Этернити"),
                                        "reject"))  # fmt: skip
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault-b"))  # laptop B
    anonymise(ws, study_vault(ws))
    # B cannot read A's add: it keeps it untouched (A's next listing converts it), or B
    # replaced the name — never a name left and the decision gone
    kept = (ws.study.root / "privacy/decisions.yml").read_text()
    assert "асель" not in _texts(ws)[0] or legacy("асель") in kept, (_texts(ws), kept)
    assert "Этернити" in _texts(ws)[0], _texts(ws)
