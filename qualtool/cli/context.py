"""The command line's handle on the study: opened on first use, closed (and coder files saved)
when the command ends, so commands that need no study (init, model) never open one."""

from __future__ import annotations

from pathlib import Path

import click

from qualtool.store.codings import fingerprint
from qualtool.team.exchange import save_layers
from qualtool.workspace.study import Workspace, open_workspace


class Context:
    def __init__(self, study: Path | None) -> None:
        self.study_path = study
        self._ws: Workspace | None = None
        self._codings: tuple[object, ...] = ()

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = open_workspace(self.study_path)
            self._codings = fingerprint(self._ws.db)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            if fingerprint(self._ws.db) != self._codings:
                save_layers(self._ws)  # codings/<coder>.json follow every change
            self._ws.close()


pass_ctx = click.make_pass_decorator(Context)
