"""Shared click parameter types that turn user text into domain values, with clear errors."""

from __future__ import annotations

from datetime import date

import click

from qualtool.domain import Language, Method, Participant, Role
from qualtool.domain.recording import AGE_BANDS


class MethodType(click.ParamType):
    name = "method"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, Method):
            return value
        try:
            return Method.parse(value)
        except ValueError:
            self.fail(
                f"{value!r}: use interview (idi), focus_group (fg), mystery_shopper (ms) or other"
            )


class DateType(click.ParamType):
    name = "date"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date like 2025-06-30")


class ParticipantType(click.ParamType):
    """PSEUDONYM[:role[:gender[:age_band[:region]]]], e.g. R01:recipient:f:35-44:ВКО"""

    name = "participant"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, Participant):
            return value
        parts = [p.strip() or None for p in value.split(":")]
        parts += [None] * (5 - len(parts))
        pseudonym, role, gender, age, region = parts[:5]
        if not pseudonym:
            self.fail("a participant needs a pseudonym")
        try:
            role_v = Role(role) if role else Role.RECIPIENT
        except ValueError:
            self.fail(f"role {role!r}: use one of {', '.join(r.value for r in Role)}")
        if gender not in (None, "f", "m"):
            self.fail(f"gender {gender!r}: use f or m")
        if age and age not in AGE_BANDS:
            self.fail(f"age band {age!r}: use one of {', '.join(AGE_BANDS)}")
        return Participant(
            pseudonym=pseudonym, role=role_v, gender=gender, age_band=age, region=region
        )


METHOD = MethodType()
DATE = DateType()
PARTICIPANT = ParticipantType()
LANGUAGE = click.Choice([lang.value for lang in Language])
