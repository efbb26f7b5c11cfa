"""Versioned schema: every migration, in the order it is applied. Never edit an applied
migration: add a new one at the end of `store/migrations_team.py` and its `STEPS`. The
order of this list is the order a database is migrated in; the database records each by name."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from qualtool.store import migrations_core, migrations_team

migrations = Migrations("qualtool")
for _step in (*migrations_core.STEPS, *migrations_team.STEPS):
    migrations()(_step)
