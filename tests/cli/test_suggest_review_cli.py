"""What a Russian-speaking coder met reviewing suggestions from the command line: a quote cut
inside a word, a bulk-accept question that said neither how many nor from what score (and
answered «Error: invalid input» in English to «д»), a mistyped recording key or the method
`ls` prints (IDI) that silently found nothing; and a `transcribe --help` silent on the glossary
that study.toml sets."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualtool.autocode import suggest as autocode
from qualtool.cli.main import cli, main
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import suggestions as sug_store
from qualtool.workspace.study import Workspace

LONG = ("Сначала пробовал через портал eGov, но сайт постоянно зависал, ЭЦП не подписывала "
        "заявление.")  # fmt: skip


@pytest.fixture
def study(empty_study: Workspace, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two pending suggestions (80 % and 10 %) on one text-only interview, a Russian reader."""
    db = empty_study.db
    add_text_recording(db, "idi-x", [("R01", LONG), ("R01", "Очередь была большая.")])
    ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY idx")]
    sug_store.propose(db, [
        {"segment_id": ids[0], "code_id": "TECH.OUTAGE", "start": 0, "end": len(LONG),
         "quote": LONG, "score": 0.8, "reason": "words: сайт"},
        {"segment_id": ids[1], "code_id": "ACC.QUEUE", "start": 0, "end": 20,
         "quote": "Очередь была большая", "score": 0.1, "reason": "words: очередь"},
    ])  # fmt: skip
    monkeypatch.setenv("QUALTOOL_LANG", "ru")
    return str(empty_study.study.root)


def test_ls_cuts_a_long_quote_after_a_word_and_says_so(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--study", study, "suggest", "ls"])
    line = next(x for x in capsys.readouterr().out.splitlines() if "TECH.OUTAGE" in x)
    assert line.endswith("ЭЦП не…»"), line  # was «… ЭЦП не »: cut inside, no mark


def test_accept_all_asks_with_how_many_and_from_what_score(study: str) -> None:
    run = CliRunner().invoke(cli, ["--study", study, "suggest", "accept-all"], input="д\nn\n")
    share = f"{autocode.DEFAULT_ACCEPT:.0%}"
    assert f"Закодировать без просмотра 1 ожидающее предложение с оценкой от {share}?" in run.output
    assert "Error: invalid input" not in run.output  # «д» is answered in Russian
    assert "Ошибка: ответьте y (да) или n (нет)" in run.output, run.output
    run = CliRunner().invoke(cli, ["--study", study, "suggest", "accept-all", "--min-score",
                                   "0.05"], input="y\n")  # fmt: skip
    assert "2 ожидающих предложения с оценкой от 5%?" in run.output, run.output
    assert "принято предложений: 2" in run.output


def test_accept_all_checks_the_code_before_asking(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--study", study, "suggest", "accept-all", "--code", "NOPE"])
    out, err = capsys.readouterr()
    assert "Закодировать" not in out and "NOPE" in err


@pytest.mark.parametrize("args", [["suggest", "run", "-r", "idi-y"],
                                  ["suggest", "ls", "-r", "idi-y"],
                                  ["search", "очередь", "-r", "idi-y"]])  # fmt: skip
def test_an_unknown_recording_key_is_an_error_not_an_empty_result(
    study: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--study", study, *args])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "нет записи 'idi-y'" in err and len(err.strip().splitlines()) == 1, err


def test_method_filter_takes_the_short_names_ls_prints(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--study", study, "search", "очередь", "--method", "idi"])
    assert "idi-x#1" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--study", study, "search", "очередь", "--method", "интервью"])
    assert "interview (idi)" in capsys.readouterr().err


def test_transcribe_help_explains_the_glossary_settings(study: str) -> None:
    run = CliRunner().invoke(cli, ["--study", study, "transcribe", "--help"])
    text = " ".join(run.output.split())
    for words in ("`glossary` в разделе [transcription] файла study.toml", "glossary_prompt = true",
                  "transcript show KEY --flagged", "по умолчанию: `batched` в study.toml"):  # fmt: skip
        assert words in text, text


def test_an_empty_listing_says_so(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`suggest ls` printed nothing at all: read as «no barriers» or as a command that did
    nothing. An empty queue points to `suggest run`; an empty filter says nothing matches."""
    main(["--study", study, "suggest", "ls", "--status", "accepted"])
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == "подходящих предложений нет", err
    main(["--study", study, "suggest", "reject", "1", "2"])
    capsys.readouterr()
    main(["--study", study, "suggest", "ls"])
    out, err = capsys.readouterr()
    assert out == "" and "очередь пуста: `qualtool suggest run` ищет предложения" in err, err


def test_accept_all_names_what_it_left_below_the_threshold(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """«accepted 1» alone hid the 10 % suggestion still waiting: review it, don't take the
    queue for done."""
    main(["--study", study, "suggest", "accept-all", "--yes"])
    out, err = capsys.readouterr()
    assert "принято предложений: 1" in out
    share = f"{autocode.DEFAULT_ACCEPT:.0%}"
    assert f"1 ожидающее предложение с оценкой ниже {share}: просмотрите его" in err, err
    main(["--study", study, "suggest", "accept-all", "--yes", "--min-score", "0.05"])
    out, err = capsys.readouterr()
    assert "принято предложений: 1" in out and err == "", err
