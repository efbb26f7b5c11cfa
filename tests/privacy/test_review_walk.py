"""The review as a reviewer met it in a break-it walkthrough (branch walk-fixes): a two-word
name «always allowed» stayed a finding, blank words were an error, a long paste was echoed back
whole, a broken privacy/decisions.yml crashed the screen on a decision, the span was cut off at
80 columns, accepting an added span dropped it, and a name added on its segment stayed in the
memos, notes and labels after --apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pilot_steps import answer, app_on, press
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualtool.cli.main import cli
from qualtool.coding.actions import apply_codes, write_memo
from qualtool.domain import Memo
from qualtool.domain.errors import InvalidInput
from qualtool.files import speaker_map
from qualtool.privacy import outside_names, review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.privacy.redact import export_redactor
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.tui.app import QualtoolApp
from qualtool.tui.widgets.prompt import Prompt
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

TURNS = [("R01", "Меня зовут Асель Нурланова, мой телефон +7 701 123 45 67."),
         ("R01", "Очередь была большая, и бахытжан тоже жаловался."),
         ("R01", "Ничего больше не помню.")]  # fmt: skip


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(empty_study.db, "idi-w", TURNS)
    return empty_study


def study_bytes(root: Path) -> bytes:
    """Every byte of the study: its files, the database and its WAL."""
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def errors(app: QualtoolApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_always_allow_a_two_word_name_and_undo_it(ws: Workspace) -> None:
    """A name of two words went to privacy/allow.yml as one entry and stayed a finding: the
    detector asks word by word. ctrl+z takes back the allow, not the accept before it."""
    allow_file = ws.study.root / "privacy" / "allow.yml"
    async with app_on(ws, "f10") as (app, pilot):
        kinds = [f.entity.kind.value for f in app.screen.items]
        assert kinds == ["person", "phone"], kinds
        await press(pilot, "a", "down", "w")  # accept the name, then «always allow» the phone
        assert not allow_file.exists()  # refused: one line, nothing written
        assert "only a name" in errors(app)[-1]
        await press(pilot, "up", "w")  # the two-word name: allowed, so no longer a finding
        assert "Асель Нурланова" in allow_file.read_text(encoding="utf-8")
        assert [f.entity.kind.value for f in app.screen.items] == ["phone"]
        await press(pilot, "ctrl+z")  # takes back the allow, not the accept before it
        assert not allow_file.exists()
        assert [f.status for f in app.screen.items] == ["accept", "pending"]
        await press(pilot, "ctrl+y")
        assert [f.entity.kind.value for f in app.screen.items] == ["phone"]
        await press(pilot, "ctrl+z")
    anonymise(ws, study_vault(ws))
    data = study_bytes(ws.study.root)
    for original in ("701 123", "Асель", "Нурланова"):
        assert original.encode() not in data, original


async def _type(pilot: Pilot[Any], words: str) -> None:
    """n on the selected finding, `words` in the question, Enter."""
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, Prompt)
    await answer(pilot, words)


async def test_blank_words_are_esc_and_a_long_paste_is_not_echoed(ws: Workspace) -> None:
    async with app_on(ws, "f10") as (app, pilot):
        await _type(pilot, "   ")
        assert errors(app) == []  # nothing typed: as Esc, no «type the words» error
        await _type(pilot, "слово " * 300)
        assert len(errors(app)) == 1 and len(errors(app)[0]) < 120, errors(app)
        assert [f for f in app.screen.items if f.status == "add"] == []
    assert not (ws.study.root / "privacy" / "decisions.yml").exists()


def test_a_long_paste_is_cut_in_the_refusal(ws: Workspace) -> None:
    rec, idx, text = review.segment_text(ws, "idi-w#0")
    with pytest.raises(InvalidInput) as exc:
        review.add_typed(ws, rec, idx, text, "слово\n" * 300)
    assert len(str(exc.value)) < 120 and "\n" not in str(exc.value)  # one line, not the paste


async def test_a_refused_decision_is_a_notification(ws: Workspace) -> None:
    """A privacy/decisions.yml broken (by hand, by a merge) after the screen listed the
    findings: the decision is refused in one line and the screen stays."""
    path = ws.study.root / "privacy" / "decisions.yml"
    async with app_on(ws, "f10") as (app, pilot):
        path.parent.mkdir(exist_ok=True)
        path.write_text("decisions: [ {where: 'idi-w#0'\n", encoding="utf-8")
        await press(pilot, "a")
        assert errors(app), "no notification"
        assert app.screen.query_one(DataTable).row_count == 2  # still the review screen
    assert path.read_text(encoding="utf-8") == "decisions: [ {where: 'idi-w#0'\n"


async def test_at_80_columns_every_context_keeps_its_whole_span(ws: Workspace) -> None:
    """At 80 columns the context was cut at the right edge, the span with it («…и ⟦бахы»):
    two rows about different words read the same."""
    rec, idx, text = review.segment_text(ws, "idi-w#1")
    review.add_typed(ws, rec, idx, text, "бахытжан тоже жаловался")
    review.add_typed(ws, rec, idx, text, "бахытжан")
    async with app_on(ws, "f10", (80, 24)) as (app, pilot):
        table = app.screen.query_one(DataTable)
        shown = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        spans = [f"⟦{f.entity.text}⟧" for f in app.screen.items]
        assert all(span in cell for span, cell in zip(spans, shown, strict=True)), shown
        assert len(set(shown)) == len(shown)  # two spans in one place read differently
        assert max(map(len, shown)) <= 80 - 37
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert str(table.get_row_at(0)[3]) == app.screen.items[0].context  # room: all of it


async def test_accepting_an_added_span_keeps_it_and_rejecting_withdraws_it(
    ws: Workspace,
) -> None:
    """`a` on a span the reviewer added turned the add into an accept of a finding the detector
    never makes: the row vanished and --apply kept the name."""
    rec, idx, text = review.segment_text(ws, "idi-w#1")
    review.add_typed(ws, rec, idx, text, "бахытжан")
    async with app_on(ws, "f10") as (app, pilot):
        row = next(i for i, f in enumerate(app.screen.items) if f.status == "add")
        app.screen.query_one(DataTable).move_cursor(row=row)
        await press(pilot, "a")
        assert [(f.where, f.status) for f in app.screen.items if f.entity.text == "бахытжан"] == [
            ("idi-w#1", "add")]  # fmt: skip
        assert "already added" in [str(n.message) for n in app._notifications][-1]
        await press(pilot, "x")  # withdrawn: no decision on those words stays behind
        assert all(f.entity.text != "бахытжан" for f in app.screen.items)
        text = (ws.study.root / "privacy" / "decisions.yml").read_text(encoding="utf-8")
        assert "idi-w#1" not in text
        await press(pilot, "ctrl+z")  # the add is back
        assert any(f.status == "add" for f in app.screen.items)
    result = CliRunner().invoke(cli, ["--study", str(ws.study.root), "anonymise",
                                      "--accept", "idi-w#1:24:32"])  # fmt: skip
    assert result.exit_code == 0, result.output
    anonymise(ws, study_vault(ws))
    assert "бахытжан".encode() not in study_bytes(ws.study.root)


def test_a_name_added_on_a_segment_goes_from_every_other_text_too(ws: Workspace) -> None:
    """Only the detector read the memos: a lowercase name it misses, added on its segment in
    the review, was replaced in the transcript and stayed in the coder's memo (codings/*.json,
    the database), the study's memos, the recording's notes, the speaker label and speakers.yml.
    Every one of them now says the segment's pseudonym."""
    name = "бахытжан"
    rec = rec_store.get_recording(ws.db, "idi-w")
    assert rec is not None
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    last = ws.db.execute("SELECT id FROM segments WHERE idx = 2").fetchone()[0]
    ws.db.execute("UPDATE segments SET speaker = ? WHERE id = ?", [name, last])
    ws.db.conn.commit()
    apply_codes(ws, seg, (0, 7), ["ACC.QUEUE"], "anna", memo=f"{name} жаловался дважды")
    write_memo(ws, Memo("segment", str(seg), f"Перезвонить: {name.capitalize()}.", "anna"))
    rec_store.update_recording(ws.db, rec, notes=f"контакт через {name}")
    speaker_map.save_speaker_map(ws.study.root, {"idi-w": {name: "respondent"}})
    ws.save_manifest()
    write_outputs(ws, rec)
    ws.save_layers()
    assert name.encode() in study_bytes(ws.study.root)
    r, idx, text = review.segment_text(ws, "idi-w#1")
    review.add_typed(ws, r, idx, text, name)  # on the segment only
    exported = export_redactor(ws).text(f"{name} жаловался дважды") or ""  # exports: the same
    assert name not in exported and exported.endswith(" жаловался дважды"), exported
    anonymise(ws, study_vault(ws))
    text = ws.db.execute("SELECT text FROM segments WHERE idx = 1").fetchone()[0]
    pseudonym = text.split("и ")[1].split()[0]  # the segment's «Имя-N»
    assert pseudonym.startswith("Имя-"), text
    memo = ws.db.execute("SELECT memo FROM codings").fetchone()[0]
    assert memo == f"{pseudonym} жаловался дважды", (memo, text)
    assert ws.db.execute("SELECT text FROM memos").fetchone()[0] == f"Перезвонить: {pseudonym}."
    assert ws.db.execute("SELECT speaker FROM segments WHERE idx = 2").fetchone()[0] == pseudonym
    assert speaker_map.load_speaker_map(ws.study.root) == {"idi-w": {pseudonym: "respondent"}}
    data = study_bytes(ws.study.root)  # every file, qualtool.db and its WAL included
    for form in (name, name.capitalize(), name.upper()):
        assert form.encode() not in data, form


def test_the_reviewed_words_kept_for_a_resumed_apply_find_the_same_person() -> None:
    """A resumed apply cleans speakers.yml and conflicts/ after the segments were replaced:
    it reads the reviewed words back from the vault's record, each with its identity."""
    spans = [Entity(Kind.PERSON, 0, 8, "Бахытжан", "бахытжан", "manual"),
             Entity(Kind.PHONE, 0, 16, "+7 701 123 45 67", "77011234567")]  # fmt: skip
    known = outside_names.reviewed(spans)
    again = outside_names.known_from(outside_names.known_record(known))
    pseud = Pseudonymiser(b"k" * 32)
    text = "звонил бахытжан, номер +7 701 123 45 67"
    for k in (known, again):
        found = outside_names.known_in(text, k)
        assert pseud.replace(text, found)[0] == "звонил Имя-1, номер [телефон]"
