"""Build a report from the study: scope → quotes → sections."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from qualtool.privacy.redact import export_redactor
from qualtool.report.attribution import Level
from qualtool.report.quotes import collect
from qualtool.report.recommendations import load_recommendations
from qualtool.report.sections import Counts, GroupBy, Report, group
from qualtool.store.codebook import load_codebook
from qualtool.store.reporting import Scope, coded_segment_count
from qualtool.workspace.study import Workspace


def recommendations_path(ws: Workspace) -> Path:
    return ws.study.codebooks_dir / "recommendations.yml"


def describe(scope: Scope) -> str:
    bits = []
    if scope.coders == ("consensus",):
        bits.append("согласованный слой кодирования")
    elif scope.coders:
        bits.append("кодировщики: " + ", ".join(scope.coders))
    for label, value in (("метод", scope.method), ("услуга", scope.service),
                         ("регион", scope.region)):  # fmt: skip
        if value:
            bits.append(f"{label}: {value}")
    if scope.codes:
        bits.append("коды: " + ", ".join(scope.codes))
    return "Отбор: " + ("; ".join(bits) if bits else "все кодированные фрагменты")


def build_report(
    ws: Workspace,
    by: GroupBy = GroupBy.CODE,
    scope: Scope | None = None,
    quotes_per_section: int = 3,
    anonymise: bool = True,
    level: Level = Level.FULL,
    timestamps: bool = False,
    title: str | None = None,
) -> Report:
    scope = scope or Scope()
    redactor = export_redactor(ws) if anonymise else None
    quotes = collect(ws.db, scope, redactor, level)
    all_segments = coded_segment_count(ws.db, scope)
    recs = load_recommendations(recommendations_path(ws))
    name = ws.study.config.name
    if redactor is not None:  # the study's name and the recommendations as `--apply` leaves them
        recs = [replace(r, text=redactor.text(r.text) or r.text,
                        addressee=redactor.text(r.addressee) or r.addressee) for r in recs]  # fmt: skip
        name = redactor.text(name) or name
    cb = load_codebook(ws.db)
    if redactor is not None:  # its headings: the codes' labels as `--apply` leaves them
        cb = redactor.codes(cb)
    sections = group(cb, quotes, recs, by, quotes_per_section, all_segments)
    return Report(
        title=title or name,
        grouping=by,
        generated=date.today(),
        scope=describe(scope),
        sections=sections,
        totals=Counts.of(quotes, all_segments),
        anonymised=anonymise,
        timestamps=timestamps,
    )
