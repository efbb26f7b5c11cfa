"""Coded quotes ready for a report: exact text, context and attribution, anonymised on export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualtool.domain.errors import InvalidInput
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import _
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.report.attribution import Level, attribution
from qualtool.store.codings import has_codings
from qualtool.store.db import Database
from qualtool.store.reporting import Scope, quotes


@dataclass(frozen=True, slots=True)
class Quote:
    coding_id: int
    code_id: str
    coder: str
    text: str  # exactly the stored segment text under the span (anonymised if asked)
    original_matches: bool  # the stored quote snapshot equals the current text under the span
    lead: str  # attribution lead-in
    recording: str
    method: str
    service: str | None
    region: str | None
    speaker: str | None
    respondent: str  # recording + speaker: "distinct respondents" are counted by this
    time: str  # hh:mm:ss of the segment, for the audit trail
    segment_id: int
    pinned: bool
    memo: str | None


def collect(
    db: Database,
    scope: Scope,
    anonymise: bool = True,
    level: Level = Level.FULL,
    pseudonymiser: Pseudonymiser | None = None,
) -> list[Quote]:
    """Interviewer turns are not respondents' quotes and are left out. Pass the study's
    pseudonymiser (privacy.apply.export_pseudonymiser) for its numbering; without one a
    throw-away secret still pseudonymises."""
    pseud = (pseudonymiser or Pseudonymiser()) if anonymise else None
    out = []
    for r in quotes(db, scope):
        if r["speaker"] == "I" or r["role"] == "interviewer":
            continue
        exact = r["text"][r["cstart"] : r["cend"]]
        out.append(_quote(r, exact, pseud, level))
    return out


def _quote(r: dict[str, Any], exact: str, pseud: Pseudonymiser | None, level: Level) -> Quote:
    return Quote(
        coding_id=r["coding_id"],
        code_id=r["code_id"],
        coder=r["coder_id"],
        text=pseud.apply(exact) if pseud else exact,
        original_matches=exact == r["quote"],
        lead=attribution(r, level),
        recording=r["recording"],
        method=r["method"],
        service=r["service"],
        region=r["person_region"] or r["rec_region"],
        speaker=r["speaker"],
        respondent=f"{r['recording']}:{r['speaker'] or '?'}",
        time=format_timestamp(r["start"]),
        segment_id=r["segment_id"],
        pinned=bool(r["key_quote"]),
        memo=pseud.apply(r["memo"]) if pseud and r["memo"] else r["memo"],
    )


def layer_scope(
    db: Database, coders: tuple[str, ...], consensus: bool | None, **filters: Any
) -> Scope:
    """Which layer a report speaks for: the coders named, or the adjudicated consensus layer —
    by default the consensus layer once the team has one (disagreements settled there), and
    everyone's codings before that (duplicates of the same span are merged later)."""
    if consensus and coders:
        raise InvalidInput(_("choose either --consensus or --coder, not both"))
    if consensus is None and not coders:
        consensus = has_codings(db, "consensus")
    return Scope(coders=("consensus",) if consensus else coders, **filters)
