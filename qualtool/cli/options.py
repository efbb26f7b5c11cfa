"""Shared click parameter types that turn user text into domain values, with clear errors."""

from __future__ import annotations

from datetime import date

import click

from qualtool.domain import Language, Method, Participant
from qualtool.domain.recording import parse_participant
from qualtool.i18n import _


class MethodType(click.ParamType):
    name = "method"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Method:
        if isinstance(value, Method):
            return value
        try:
            return Method.parse(str(value))
        except ValueError:
            self.fail(
                _(
                    "{value!r}: use interview (idi), focus_group (fg), mystery_shopper (ms) or other"
                ).format(value=value)
            )


class DateType(click.ParamType):
    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(_("{value!r} is not a date like 2025-06-30").format(value=value))


class ParticipantType(click.ParamType):
    """PSEUDONYM[:role[:gender[:age_band[:region]]]], e.g. R01:recipient:f:35-44:ВКО"""

    name = "participant"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Participant:
        if isinstance(value, Participant):
            return value
        try:
            return parse_participant(str(value))
        except ValueError as exc:
            self.fail(str(exc))


METHOD = MethodType()
DATE = DateType()
PARTICIPANT = ParticipantType()
LANGUAGE = click.Choice([lang.value for lang in Language])


class SpanType(click.ParamType):
    """START:END characters within a segment (`adjudicate --span`, `suggest accept --span`)."""

    name = "START:END"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        parts = str(value).split(":")
        try:
            start, end = (int(p) for p in parts)
        except ValueError:
            self.fail(_("use START:END, e.g. 10:64"))
        if start < 0 or end <= start:  # reversed or empty: never turned round silently
            self.fail(_("use START:END, e.g. 10:64"))
        return start, end


SPAN = SpanType()
