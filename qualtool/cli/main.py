"""`qualtool` entry point: the click group, the study lookup and the error contract.

Every user mistake is a QualtoolError: printed as one `error:` line, exit status 1. Ctrl-C
exits 130 after the command's own cleanup has run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from qualtool import __version__
from qualtool.cli import (
    codebook_cmd,
    history_cmd,
    privacy_cmd,
    recordings_cmd,
    report_cmd,
    search_cmd,
    team_cmd,
    transcribe_cmd,
    tui_cmd,
)
from qualtool.cli.click_texts import use_our_catalogue
from qualtool.cli.context import Context
from qualtool.cli.help_texts import HelpGroup
from qualtool.domain.errors import CodebookError, QualtoolError
from qualtool.files.study import load_study
from qualtool.i18n import ENV, N_, _, resolve_language, set_language, unknown_language
from qualtool.store import db as db_store


def _speak_study_language(study: Path | None) -> str | None:
    """The interface language of the study at `study` (or here, upwards); without one
    QUALTOOL_LANG or the locale. Returns the study's `ui_language` setting."""
    try:
        cfg = load_study(study or Path.cwd()).config
    except QualtoolError:
        set_language(resolve_language())  # no study here (init, model …) or a broken study.toml
        return None
    set_language(resolve_language(cfg.ui_language, cfg.languages))
    return cfg.ui_language


def _warn_unknown_language(raw: str | None, source: str) -> None:
    problem = unknown_language(raw, source)
    if problem:
        click.echo(_("warning: {problem}").format(problem=problem), err=True)


class _Group(HelpGroup):
    """Speaks the study's language before click parses the command line: an unknown option
    of `qualtool` itself is reported before the group's callback has read study.toml."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:  # fmt: skip
        study = os.environ.get("QUALTOOL_STUDY")
        _speak_study_language(Path(study) if study else None)
        return super().make_context(info_name, args, parent, **extra)


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})  # fmt: skip
@click.option(
    "--study",
    "-s",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="QUALTOOL_STUDY",
    help=N_("Study folder (default: the nearest folder with a study.toml, from here upwards)."),
)
@click.version_option(__version__, prog_name="qualtool")
@click.pass_context
def cli(ctx: click.Context, study: Path | None) -> None:
    """qualtool: transcribe, review, code and report interview and focus-group recordings.

    Without a command it opens the study in the terminal UI.
    """
    ctx.obj = Context(study)
    ctx.call_on_close(ctx.obj.close)
    # speak the study's language from the first line, not only once the study is opened
    configured = _speak_study_language(study)
    # said once, here (this runs once per command), in the language the command then speaks
    _warn_unknown_language(os.environ.get(ENV), ENV)
    _warn_unknown_language(configured, "study.toml ui_language")
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_cmd.tui)


def _register() -> None:
    for module in (
        recordings_cmd,
        codebook_cmd,
        transcribe_cmd,
        search_cmd,
        privacy_cmd,
        team_cmd,
        history_cmd,
        report_cmd,
        tui_cmd,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
use_our_catalogue()  # click's own usage errors and help headings in the interface language


def _safe_streams() -> None:
    """Under `LANG=C PYTHONUTF8=0` stdout is ASCII: Cyrillic would crash every print. Write
    UTF-8 instead (what any terminal or file receiving Russian text can show)."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc and enc not in ("utf8", "utf16", "utf32") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _utf8_args(argv: list[str]) -> list[str]:
    """Under an ASCII locale Python hands Cyrillic arguments over as surrogate escapes: they
    are UTF-8 bytes (what every terminal sends), so decode them as such."""
    out = []
    for arg in argv:
        try:
            out.append(arg.encode("utf-8", "surrogateescape").decode("utf-8"))
        except UnicodeError:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    _safe_streams()
    argv = _utf8_args(sys.argv[1:] if argv is None else argv)
    db_store.on_wait = lambda message: click.echo(message, err=True)
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
    except OSError as exc:
        if isinstance(exc, PermissionError | FileNotFoundError | IsADirectoryError):
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(
                _("error: {strerror}{where}").format(strerror=exc.strerror, where=where), err=True
            )
            sys.exit(1)
        raise
    except Exception as exc:
        err = db_store.user_error(exc)
        if err is None:
            raise
        click.echo(_("error: {err}").format(err=err), err=True)
        sys.exit(1)
