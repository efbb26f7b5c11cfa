"""`--help` speaks the interface language: a Russian interface printed click's headings in
Russian («Использование:», «Параметры:») around our commands' and options' help in English.
Every command of the tree is walked, so a command or option added with an untranslated help
text fails here."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from qualtool.cli.main import cli
from qualtool.i18n import _, set_language
from qualtool.workspace.study import Workspace


def _walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, (*path, name))


PATHS = list(_walk(cli))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _texts(command: click.Command) -> list[str]:
    """What a user reads in the command's --help: its own text, every parameter's help."""
    own = [inspect.cleandoc(command.help)] if command.help else []
    return own + [p.help for p in command.params if getattr(p, "help", None)]


def _flat(text: str) -> str:
    """Help is re-wrapped to the terminal's width (and a hyphenated word may break): compare
    without whitespace."""
    return re.sub(r"\s+", "", text)


def _help(path: tuple[str, ...], lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUALTOOL_LANG", lang)
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="qualtool")
    assert result.exit_code == 0, result.output
    return result.output


def test_the_tree_is_walked() -> None:
    """The walk reaches the subcommands of every group, and each has help to check."""
    assert len(PATHS) > 50
    assert {("codebook", "edit"), ("suggest", "accept"), ("refi", "import")} <= set(PATHS)
    assert all(_texts(_command(p)) for p in PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "qualtool")
def test_every_help_text_is_printed_in_russian(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    command = _command(path)
    out = _flat(_help(path, "ru", monkeypatch))
    set_language("ru")
    for text in _texts(command):
        russian = _(text)
        assert russian != text, f"no Russian for {text!r}"
        assert _flat(russian) in out
        assert _flat(text) not in out.replace(_flat(russian), ""), text  # a list of values stays
    assert _flat(_("Show this message and exit.")) in out
    assert "Show" not in out
    if isinstance(command, click.Group):  # each subcommand's line, shortened from the Russian
        for sub in command.commands.values():
            line = _flat(sub.get_short_help_str(limit=20).removesuffix("..."))
            assert line and line in out, sub.name
            assert re.search("[а-яё]", line, re.I), line


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "qualtool")
def test_english_help_is_the_source_text(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _help(path, "en", monkeypatch)
    for text in _texts(_command(path)):
        assert _flat(text) in _flat(out)
    # the examples' study data is Russian (a region, a service, a key made from a file name)
    data = ("ВКО", "Пособие многодетным", "интервью-гульнара-серикбаевна")
    assert not re.search("[а-яё]", functools.reduce(lambda t, d: t.replace(d, ""), data, out),
                         re.I), out  # fmt: skip


def test_the_language_can_change_between_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help stays English in the command objects (built once per process, as is click's
    --help option), so Russian, English and Russian again each print their own."""
    for lang, said, not_said in [
        ("ru", "Проверить файл кодовой книги", "Validate the codebook file"),
        ("en", "Validate the codebook file", "Проверить файл кодовой книги"),
        ("ru", "Показать эту справку и выйти.", "Show this message and exit."),
    ]:
        out = _help(("codebook", "check"), lang, monkeypatch)
        assert said in out and not_said not in out, out


def test_a_russian_study_gets_russian_help(
    empty_study: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No QUALTOOL_LANG: the study found here (Russian) chooses the language."""
    monkeypatch.delenv("QUALTOOL_LANG")
    monkeypatch.chdir(empty_study.study.root)
    result = CliRunner().invoke(cli, ["anonymise", "--help"], prog_name="qualtool")
    assert "Вернуть оригиналы (нужен ключ хранилища)." in result.output
    assert "Put the originals back" not in result.output
