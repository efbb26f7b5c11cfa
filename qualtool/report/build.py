"""Build a report from the study: scope → quotes → sections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qualtool.report.attribution import Level
from qualtool.report.quotes import export_quotes
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
    quotes = export_quotes(ws, scope, anonymise, level)
    all_segments = coded_segment_count(ws.db, scope)
    sections = group(load_codebook(ws.db), quotes, load_recommendations(recommendations_path(ws)),
                     by, quotes_per_section, all_segments)  # fmt: skip
    return Report(
        title=title or ws.study.config.name,
        grouping=by,
        generated=date.today(),
        scope=describe(scope),
        sections=sections,
        totals=Counts.of(quotes, all_segments),
        anonymised=anonymise,
        timestamps=timestamps,
    )
