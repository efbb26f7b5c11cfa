"""`qualtool tui`: the Textual workspace (imported lazily so the CLI starts fast)."""

from __future__ import annotations

import click

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command
from qualtool.i18n import N_


@command()
@click.option("--coder", help=N_("Code as this coder (default: the study's default coder)."))
@pass_ctx
def tui(ctx: Context, coder: str | None = None) -> None:
    """Open the study in the terminal UI."""
    # Textual loads in ~0.3 s: only this command needs it, the batch commands stay quick
    from qualtool.tui.app import QualtoolApp

    ws = ctx.ws
    QualtoolApp(ws, coder=coder or ws.study.config.default_coder).run()


COMMANDS = [tui]
