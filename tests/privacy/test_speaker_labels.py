"""A speaker label is a name as often as not in an imported transcript («Гульнара Серикбаевна:»
in a .txt, noScribe, oTranscribe): `anonymise --apply` pseudonymises the names in labels too,
in the database, the transcript files and speakers.yml. They used to survive everywhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.files.speaker_map import HEADER, language_of, load_speaker_map, set_role
from qualtool.i18n import translate
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

TURNS = [("Модератор Асель", "Как вы получали справку?"),
         ("Гульнара Серикбаевна", "Очередь была большая, ждала два часа."),
         ("SPEAKER_00", "Спасибо."), ("R01", "Пожалуйста.")]  # fmt: skip


def test_names_in_speaker_labels_are_pseudonymised(empty_study: Workspace) -> None:
    ws = empty_study
    rec = add_text_recording(ws.db, "idi-s", TURNS)
    write_outputs(ws, rec)
    set_role(ws.study.root, "idi-s", "Гульнара Серикбаевна", "respondent")
    anonymise(ws, study_vault(ws))
    labels = [r[0] for r in ws.db.execute("SELECT speaker FROM segments ORDER BY idx")]
    assert labels[2:] == ["SPEAKER_00", "R01"]
    assert labels[0].startswith("Модератор Имя-") and labels[1].startswith("Имя-"), labels
    root = ws.study.root
    for path in [*sorted((root / "transcripts").glob("idi-s.*")), root / "speakers.yml"]:
        text = path.read_text(encoding="utf-8")
        for name in ("Асель", "Гульнара", "Серикбаевна"):
            assert name not in text, (path.name, name)
    assert load_speaker_map(root) == {"idi-s": {labels[1]: "respondent"}}
    # rewritten by the apply, its comment is still in the study's language
    header = (root / "speakers.yml").read_text(encoding="utf-8").splitlines()[0]
    assert header == f"# {translate(HEADER, language_of(root))}" and language_of(root) == "ru"


def test_a_recording_left_out_keeps_its_labels(empty_study: Workspace) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-s", TURNS)
    add_text_recording(ws.db, "idi-t", TURNS)
    set_role(ws.study.root, "idi-t", "Гульнара Серикбаевна", "respondent")
    anonymise(ws, study_vault(ws), keys=["idi-s"])
    kept = ws.db.execute(
        "SELECT s.speaker FROM segments s JOIN transcripts t ON t.id = s.transcript_id"
        " JOIN recordings r ON r.id = t.recording_id WHERE r.key = 'idi-t' AND s.idx = 1"
    ).fetchone()[0]
    assert kept == "Гульнара Серикбаевна"
    assert load_speaker_map(ws.study.root) == {"idi-t": {kept: "respondent"}}


@pytest.mark.parametrize(("lang", "said", "wrong"), [
    ("en", "anonymised (1 speaker label); rows changed: segments 2;", "nothing found"),
    ("ru", "анонимизировано (1 метка говорящего); изменено строк: сегменты 2;", "ничего не найдено"),
])  # fmt: skip
def test_a_labels_only_apply_says_what_it_replaced(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch, lang: str, said: str, wrong: str
) -> None:
    """The segments' text holds no name, one label does: the summary counts the label (it used
    to say «nothing found» although the label was replaced)."""
    add_text_recording(empty_study.db, "idi-s", [("Гульнара Серикбаевна", "Очередь была большая."),
                                                 ("Гульнара Серикбаевна", "Ждала два часа."),
                                                 ("R01", "Спасибо.")])  # fmt: skip
    monkeypatch.setenv("QUALTOOL_LANG", lang)
    root = str(empty_study.study.root)
    result = CliRunner().invoke(cli, ["--study", root, "anonymise", "--apply"])
    assert result.exit_code == 0, result.output
    assert said in result.output, result.output
    assert wrong not in result.output
