"""Coded quotes ready for a report: exact text, context and attribution, anonymised on export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualtool.domain.codebook import Codebook
from qualtool.domain.errors import InvalidInput
from qualtool.domain.transcript import format_timestamp
from qualtool.i18n import _
from qualtool.privacy.redact import Redactor, export_redactor
from qualtool.report.attribution import Level, attribution
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import has_codings
from qualtool.store.db import Database
from qualtool.store.reporting import Scope, quotes
from qualtool.workspace.study import Workspace


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


def export_quotes(ws: Workspace, scope: Scope, anonymise: bool = True,
                  level: Level = Level.FULL) -> list[Quote]:  # fmt: skip
    """The one service every export of quotes goes through (report md/docx/csv/xlsx, `quotes
    ls`, the TUI export): pseudonymised by the same `Redactor` as QDPX and export-coder, so a
    name the reviewer added is replaced and a word the reviewer kept stays, exactly as
    `anonymise --apply` will write them."""
    return collect(ws.db, scope, export_redactor(ws) if anonymise else None, level)


def export_table(ws: Workspace, scope: Scope, anonymise: bool = True,
                 level: Level = Level.FULL) -> tuple[list[Quote], Codebook]:  # fmt: skip
    """`export_quotes` and the codebook naming their codes in a table (CSV, XLSX), its labels
    as `--apply` leaves them (one redactor for both: building it reads the whole study)."""
    redactor = export_redactor(ws) if anonymise else None
    cb = load_codebook(ws.db)
    return collect(ws.db, scope, redactor, level), redactor.codes(cb) if redactor else cb


def collect(db: Database, scope: Scope, redactor: Redactor | None,
            level: Level = Level.FULL) -> list[Quote]:  # fmt: skip
    """Interviewer turns are not respondents' quotes and are left out. `redactor` None gives
    the text as spoken: for analysis on this machine only (exports use `export_quotes`)."""
    out = []
    for r in quotes(db, scope):
        if r["speaker"] == "I" or r["role"] == "interviewer":
            continue
        out.append(_quote(r, redactor, level))
    return out


def _quote(r: dict[str, Any], redactor: Redactor | None, level: Level) -> Quote:
    exact = r["text"][r["cstart"] : r["cend"]]
    text, memo, key, speaker = exact, r["memo"], r["recording"], r["speaker"]
    if redactor is not None:  # the whole segment, so the review's decisions (by offset) apply
        new, edits = redactor.segment_text(r["segment_id"], r["text"])
        text = redactor.span(new, edits, r["cstart"], r["cend"])[2]
        memo = redactor.text(memo)
        key, speaker = redactor.key(key), redactor.text(speaker)  # as `--apply` renames them
    return Quote(
        coding_id=r["coding_id"],
        code_id=r["code_id"],
        coder=r["coder_id"],
        text=text,
        original_matches=exact == r["quote"],
        lead=attribution(r, level),
        recording=key,
        method=r["method"],
        service=r["service"],
        region=r["person_region"] or r["rec_region"],
        speaker=speaker,
        respondent=f"{key}:{speaker or '?'}",
        time=format_timestamp(r["start"]),
        segment_id=r["segment_id"],
        pinned=bool(r["key_quote"]),
        memo=memo,
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
