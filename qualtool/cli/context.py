"""The command line's handle on the study: opened on first use, closed (and coder files saved)
when the command ends, so commands that need no study (init, model) never open one."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from qualtool.domain import Codebook
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.files.study import load_study
from qualtool.i18n import _, resolve_language, set_language
from qualtool.privacy.apply import resume_on_open
from qualtool.store.codebook import load_codebook
from qualtool.workspace.study import Workspace, open_workspace


class Context:
    def __init__(self, study: Path | None) -> None:
        self.study_path = study
        self._ws: Workspace | None = None
        self.said: set[str] = set()  # conflicts the opening printed: `sync` does not repeat them

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = self._open()
            cfg = self._ws.study.config
            set_language(resolve_language(cfg.ui_language, cfg.languages))
            if self._ws.opened:
                if self._ws.opened.codebook_problem:
                    click.echo(
                        _("warning: {codebook_problem}").format(
                            codebook_problem=self._ws.opened.codebook_problem
                        ),
                        err=True,
                    )
                opened = self._ws.opened
                for line in opened.settled:
                    click.echo(line, err=True)
                for line in dict.fromkeys(opened.layers.conflicts + opened.speaker_conflicts):
                    click.echo(_("conflict: {line}").format(line=line), err=True)
                    self.said.add(line)
            outcome = resume_on_open(self._ws)
            if outcome == "completed":
                click.echo(_("an interrupted anonymisation was completed"), err=True)
            elif outcome == "rolled back":
                click.echo(_("an interrupted anonymisation was rolled back: nothing was "
                             "anonymised; run `qualtool anonymise --apply` again"), err=True)  # fmt: skip
        return self._ws

    def _open(self) -> Workspace:
        """Open the study; a Ctrl+C while a new database is being built from the files (a
        fresh clone: every transcript and layer read) removes that half-built cache, so the
        next command builds it whole — it is rebuilt from the files anyway, and a partial
        one would be taken for a synced one."""
        try:
            db_path: Path | None = load_study(self.study_path or Path.cwd()).db_path
        except QualtoolError:
            db_path = None  # open_workspace says what is wrong, in its words
        fresh = db_path is not None and not db_path.exists()
        try:
            return open_workspace(self.study_path)
        except KeyboardInterrupt:
            pass
        gc.collect()  # the interrupted open's connection, closed before its files go
        if fresh and db_path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        raise KeyboardInterrupt

    def close(self) -> None:
        if self._ws is not None:
            failing = sys.exc_info()[0] is not None  # the command itself failed
            try:
                report = self._ws.save_layers()  # codings/<coder>.json follow every change
                for line in report.conflicts:
                    click.echo(_("conflict: {line}").format(line=line), err=True)
            except Exception:
                if not failing:
                    raise  # else the command's own error is the one line the user sees
            finally:
                self._ws.close()


def require_codebook(ws: Workspace) -> Codebook:
    """Commands that work through the codebook say so, instead of silently finding nothing."""
    cb = load_codebook(ws.db)
    if not len(cb):
        hint = ws.opened.codebook_problem if ws.opened and ws.opened.codebook_problem else None
        raise InvalidInput(hint or _(
            "the study has no codebook yet: put one at {path} (it is read on the next command)"
        ).format(path=ws.study.relative(ws.study.codebook_path)))  # fmt: skip
    return cb


pass_ctx = click.make_pass_decorator(Context)
