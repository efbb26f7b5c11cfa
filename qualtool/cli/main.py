"""`qualtool` entry point: the click group, the study lookup and the error contract.

Every user mistake is a QualtoolError: printed as one `error:` line, exit status 1. Ctrl-C
exits 130 after the command's own cleanup has run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualtool import __version__
from qualtool.cli import (
    codebook_cmd,
    recordings_cmd,
    report_cmd,
    search_cmd,
    team_cmd,
    transcribe_cmd,
    tui_cmd,
)
from qualtool.cli.context import Context
from qualtool.domain.errors import CodebookError, QualtoolError
from qualtool.i18n import _, resolve_language, set_language


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--study",
    "-s",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="QUALTOOL_STUDY",
    help="Study folder (default: the nearest folder with a study.toml, from here upwards).",
)
@click.version_option(__version__, prog_name="qualtool")
@click.pass_context
def cli(ctx: click.Context, study: Path | None) -> None:
    """qualtool: transcribe, review, code and report interview and focus-group recordings.

    Without a command it opens the study in the terminal UI.
    """
    ctx.obj = Context(study)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_cmd.tui)


def _register() -> None:
    for module in (
        recordings_cmd,
        codebook_cmd,
        transcribe_cmd,
        search_cmd,
        team_cmd,
        report_cmd,
        tui_cmd,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    set_language(resolve_language())  # QUALTOOL_LANG or the locale until a study is opened
    try:
        cli.main(args=argv, prog_name="qualtool", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(_("cancelled"), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo(_("cancelled"), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CodebookError as exc:
        click.echo(_("error: {exc}").format(exc=exc), err=True)
        sys.exit(1)
    except QualtoolError as exc:
        click.echo(_("error: {exc}").format(exc=exc), err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
