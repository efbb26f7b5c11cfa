"""Our own help — a command's text, its line in its group's list, every option's and argument's
help — in the interface language, translated when it is printed.

click keeps a command's help (its docstring) and an option's `help=` from the moment the
decorators run, at import, long before the study and so the language are known: a Russian
interface printed «Использование: … Параметры:» around English sentences. So the texts stay
English literals — an option's help marked with `N_`, a command's docstring found by
scripts/i18n.py — and `HelpCommand` (every command and group is one: `command`, `group`)
puts each through `_()` for as long as click formats the help, then gives the English back,
so the next command, in whichever language, starts from the same source text. click's own
--help and --version help go through the same step (their msgids are in click_texts).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from qualtool.i18n import N_, _

# click's --help option keeps the help it was built with, once per command and process, in the
# language then spoken: given the source text back, it is translated when printed, like ours
HELP_OPTION = N_("Show this message and exit.")
_TEXTS = ("help", "short_help", "epilog")  # what a Command or Parameter shows as prose


@contextmanager
def spoken(items: list[click.Command | click.Parameter]) -> Iterator[None]:
    """Each item's help texts in the interface language while the block runs. The msgid is the
    text as click shows it (`inspect.cleandoc`: a docstring's indentation is not part of it)."""
    saved = [(item, attr, getattr(item, attr)) for item in items for attr in _TEXTS
             if isinstance(getattr(item, attr, None), str) and getattr(item, attr)]  # fmt: skip
    try:
        for item, attr, text in saved:
            setattr(item, attr, _(inspect.cleandoc(text)))
        yield
    finally:
        for item, attr, text in saved:
            setattr(item, attr, text)


class HelpCommand(click.Command):
    """A command whose help, short help and parameters' help are printed translated."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with spoken([self, *self.get_params(ctx)]):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The line a group lists: shortened from the translated help, not the English one."""
        with spoken([self]):
            return super().get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        built = self._help_option is None  # click builds it on first use, then keeps it
        option = super().get_help_option(ctx)
        if built and option is not None:
            option.help = HELP_OPTION
        return option


class HelpGroup(HelpCommand, click.Group):
    """A group of HelpCommands: `@group.command()` and `@group.group()` make them too."""

    command_class = HelpCommand
    group_class = type


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], HelpCommand]:
    """`click.command` for our commands (their help printed in the interface language)."""
    return click.command(name, cls=HelpCommand, **attrs)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], HelpGroup]:
    """`click.group` for our groups (their help and their commands' in the interface language)."""
    return click.group(name, cls=HelpGroup, **attrs)
