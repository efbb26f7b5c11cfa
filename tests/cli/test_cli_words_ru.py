"""The CLI's words in the interface's language: the Russian `show` printed English labels
(«file:», «consent: yes», «transcript: done»), `ls` the stored «auto», `rm` asked «remove …
from the study?», `anonymise` listed «pending»/«reject» and summed up «(person: 1)», and
`quotes pin` said «pinned 1»."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualtool.cli.main import cli, main
from qualtool.files.speaker_map import load_speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace


def test_show_and_rm_speak_russian(sample_study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    out = CliRunner().invoke(cli, ["--study", str(sample_study), "show", "fg-01"]).output
    labels = [line.split(":")[0].strip() for line in out.splitlines()]
    assert labels[:4] == ["ключ", "файл", "длит.", "формат"], out
    assert "язык: авто" in out and "согласие: да" in out and "транскрипт: готово" in out
    assert "участник: P2 (предприниматель, m, 35-44)" in out
    assert not {"file", "consent", "transcript", "participant", "language"} & set(labels)
    result = CliRunner().invoke(cli, ["--study", str(sample_study), "rm", "ms-01"], input="n\n")
    assert "убрать ms-01 из исследования?" in result.output
    listed = CliRunner().invoke(cli, ["--study", str(sample_study), "ls"]).output
    assert "авто" in listed and "auto" not in listed
    assert "ms-01" in (sample_study / "audio" / "recordings.yml").read_text(encoding="utf-8")


def test_anonymise_and_pins_speak_russian(
    sample_study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALTOOL_LANG", "ru")

    def qt(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--study", str(sample_study), *args])
        assert result.exit_code == 0, result.output
        return result.output

    # the place name as an earlier Whisper heard it («с Этернити»; the sample reads «сетернедем»
    # now): a name-like word the coder keeps
    md = sample_study / "transcripts" / "fg-01.md"
    heard = sample_study.parent / "fg-01-heard.md"
    heard.write_text(md.read_text(encoding="utf-8").replace("сетернедем", "с Этернити"), "utf-8")
    qt("transcript", "import", "fg-01", str(heard))
    qt("anonymise", "--reject", "fg-01#1:30:38")
    listed = qt("anonymise")
    assert "fg-01#1:30:38   person   отклонено" in listed, listed
    assert " reject " not in listed
    qt("anonymise", "--add", "fg-01#0:0:10:person")  # «Сотрудники», as a test name
    assert "fg-01#0:0:10   person   добавлено" in qt("anonymise")
    applied = qt("anonymise", "--apply", "--passphrase", "пароль-для-теста")
    assert "анонимизировано (имя: 1)" in applied and "person" not in applied, applied
    assert qt("quotes", "pin", "1").strip().endswith("закреплена 1 цитата")


def test_suggest_speakers_speaks_and_reads_russian_roles(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`suggest speakers` listed «interviewer»/«respondent» and «text» in a Russian study and
    took only those English words after WHO: the listing is Russian now, and the word typed may
    be the Russian or the English one; speakers.yml keeps the English value."""
    monkeypatch.delenv("QUALTOOL_LANG", raising=False)
    add_text_recording(empty_study.db, "idi-r", [
        ("SPEAKER_00", "Расскажите, как вы получали справку?"),
        ("SPEAKER_01", "Пришлось ещё раз идти в ЦОН, справку не приняли."),
    ])  # fmt: skip
    root = empty_study.study.root

    def qt(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--study", str(root), "suggest", "speakers", *args])

    listed = qt("idi-r").output
    assert "интервьюер" in listed and "респондент" in listed and "текст" in listed, listed
    assert not {"interviewer", "respondent", "text"} & set(listed.split()), listed
    said = qt("idi-r", "SPEAKER_01", "Интервьюер")
    assert said.exit_code == 0 and "SPEAKER_01 в idi-r: интервьюер" in said.output, said.output
    assert load_speaker_map(root) == {"idi-r": {"SPEAKER_01": "interviewer"}}
    assert "кодировщик" in qt("idi-r").output
    assert qt("idi-r", "SPEAKER_01", "respondent").exit_code == 0
    assert load_speaker_map(root) == {"idi-r": {"SPEAKER_01": "respondent"}}
    before = (root / "speakers.yml").read_bytes()
    capsys.readouterr()
    with pytest.raises(SystemExit) as wrong:
        main(["--study", str(root), "suggest", "speakers", "idi-r", "SPEAKER_01", "начальник"])
    err = capsys.readouterr().err
    assert wrong.value.code == 1 and len(err.strip().splitlines()) == 1, err
    assert "«начальник»" in err or "'начальник'" in err, err
    assert "интервьюер или респондент" in err, err
    assert (root / "speakers.yml").read_bytes() == before


def test_search_role_in_russian_or_english(
    sample_study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--role` took only the stored English values: «--role предприниматель» found nothing,
    as if nobody had said it. Either language finds the same; an unknown word is one error."""
    monkeypatch.setenv("QUALTOOL_LANG", "ru")

    def found(role: str) -> str:
        result = CliRunner().invoke(cli, ["--study", str(sample_study), "search", "районе",
                                          "--role", role])  # fmt: skip
        assert result.exit_code == 0, result.output
        return result.output

    english = found("entrepreneur")
    assert "fg-01" in english, english
    assert found("Предприниматель") == english and found("ENTREPRENEUR") == english
    assert "fg-01" not in found("эксперт")
    assert found("государственный_служащий") == found("civil_servant")
    capsys.readouterr()
    with pytest.raises(SystemExit) as wrong:
        main(["--study", str(sample_study), "search", "районе", "--role", "начальник"])
    err = capsys.readouterr().err
    assert wrong.value.code == 1 and len(err.strip().splitlines()) == 1, err
    assert "предприниматель" in err and "начальник" in err, err
