"""The command line's handle on the study: opened on first use, closed (and coder files saved)
when the command ends, so commands that need no study (init, model) never open one."""

from __future__ import annotations

from pathlib import Path

import click

from qualtool.i18n import resolve_language, set_language
from qualtool.team.exchange import save_layers
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
            cfg = self._ws.study.config
            set_language(resolve_language(cfg.ui_language, cfg.languages))
            self._codings = coding_fingerprint(self._ws)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            if coding_fingerprint(self._ws) != self._codings:
                save_layers(self._ws)  # codings/<coder>.json follow every change
            self._ws.close()


pass_ctx = click.make_pass_decorator(Context)
