"""The command line's handle on the study: opened on first use, closed (and coder files saved)
when the command ends, so commands that need no study (init, model) never open one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualtool.workspace.study import Workspace, open_workspace


def coding_fingerprint(ws: Workspace) -> tuple[object, ...]:
    return tuple(ws.db.execute(
        "SELECT count(*), total(id * 7 + start * 3 + \"end\" + key_quote * 5 + "
        "length(code_id) + length(coalesce(memo, '')) + length(coder_id)) FROM codings"
    ).fetchone())  # fmt: skip


class Context:
    def __init__(self, study: Path | None) -> None:
        self.study_path = study
        self._ws: Workspace | None = None
        self._codings: tuple[object, ...] = ()

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = open_workspace(self.study_path)
            if self._ws.opened:
                for line in self._ws.opened.layers.conflicts:
                    click.echo(f"conflict: {line}", err=True)
            self._codings = coding_fingerprint(self._ws)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            failing = sys.exc_info()[0] is not None  # the command itself failed
            try:
                report = self._ws.save_layers()  # codings/<coder>.json follow every change
                for line in report.conflicts:
                    click.echo(f"conflict: {line}", err=True)
            except Exception:
                if not failing:
                    raise  # else the command's own error is the one line the user sees
            finally:
                self._ws.close()


pass_ctx = click.make_pass_decorator(Context)
