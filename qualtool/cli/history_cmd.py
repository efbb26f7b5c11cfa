"""`qualtool undo` / `qualtool redo`: the same history as ctrl+z / ctrl+y in the TUI."""

from __future__ import annotations

import click

from qualtool.cli.context import Context, pass_ctx
from qualtool.cli.help_texts import command
from qualtool.coding import history
from qualtool.i18n import N_, _


@command(name="undo")
@click.option("--list", "show", is_flag=True, help=N_("Show the recent history instead."))
@pass_ctx
def undo_cmd(ctx: Context, show: bool) -> None:
    """Undo the newest coding, transcript or codebook action (from here or the TUI)."""
    if show:
        for _id, label, undone in history.history(ctx.ws):
            mark = _("(undone)") + " " if undone else ""
            click.echo(f"{_id:>6} {mark}{label}")
        return
    click.echo(_("undone: {label}").format(label=history.undo(ctx.ws)))


@command(name="redo")
@pass_ctx
def redo_cmd(ctx: Context) -> None:
    """Do again the action undone last."""
    click.echo(_("redone: {label}").format(label=history.redo(ctx.ws)))


COMMANDS = [undo_cmd, redo_cmd]
