"""click's own usage errors and help headings speak the interface language: a Russian
interface printed «Usage: … Try 'qualtool --help' for help. Error: No such option» in English
(click asks the gettext module's global catalogue, which our catalogue never reached)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import REPO, child_env

from qualtool.cli.main import cli
from qualtool.workspace.study import Workspace

# (arguments after --study ROOT, what English says, what Russian says)
CASES = [
    (["anonymise", "--x"],
     ["Usage: qualtool anonymise [OPTIONS] [KEYS]...",
      "Try 'qualtool anonymise --help' for help.", "Error: No such option '--x'."],
     ["Использование: qualtool anonymise [OPTIONS] [KEYS]...",
      "Справка: 'qualtool anonymise --help'.", "Ошибка: Нет такого параметра '--x'."]),
    (["search"], ["Error: Missing argument 'QUERY...'."],
     ["Ошибка: Не указан аргумент 'QUERY...'."]),
    (["report", "a", "b"], ["Error: Got unexpected extra arguments (a b)"],
     ["Ошибка: Лишние аргументы (a b)"]),
    (["serch"], ["Error: No such command 'serch'. Did you mean 'search'?"],
     ["Ошибка: Нет такой команды 'serch'. Может быть, 'search'?"]),
    (["report", "--format", "pdf"], ["Error: Invalid value for '--format': 'pdf' is not one of"],
     ["Ошибка: Недопустимое значение '--format': 'pdf' — не одно из значений"]),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("args", "en", "ru"), CASES)
def test_usage_errors_in_the_interface_language(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch, lang: str, args: list[str],
    en: list[str], ru: list[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("QUALTOOL_LANG", lang)
    root = str(empty_study.study.root)
    result = CliRunner().invoke(cli, ["--study", root, *args], prog_name="qualtool")
    assert result.exit_code == 2, result.output
    for line in en if lang == "en" else ru:
        assert line in result.output, result.output
    if lang == "ru":
        assert not [w for w in ("Usage:", "Error:", "for help.") if w in result.output]


def test_an_unknown_option_of_qualtool_itself_speaks_the_studys_language(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed before the group reads study.toml: the language comes from the study found here
    (a Russian study), not from whatever was spoken before."""
    monkeypatch.delenv("QUALTOOL_LANG")
    monkeypatch.chdir(empty_study.study.root)
    result = CliRunner().invoke(cli, ["--stdy", "x"], prog_name="qualtool")
    assert result.exit_code == 2
    assert "Ошибка: Нет такого параметра '--stdy'. Может быть, '--study'?" in result.output


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["Usage: qualtool [OPTIONS]", "Options:", "Commands:", "Show this message and exit."]),
    ("ru", ["Использование: qualtool [OPTIONS]", "Параметры:", "Команды:",
            "Показать эту справку и выйти."]),
])  # fmt: skip
def test_help_headings(lang: str, said: list[str]) -> None:
    """A process of its own: click builds a command's --help option once per process."""
    env = child_env(REPO, QUALTOOL_LANG=lang)
    out = subprocess.run([sys.executable, "-m", "qualtool", "--help"], capture_output=True,
                         text=True, env=env, cwd=REPO).stdout  # fmt: skip
    for line in said:
        assert line in out, out
