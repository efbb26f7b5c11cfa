"""Render a Report: Markdown through a Jinja2 template (editable by authors), DOCX with
python-docx (real headings, «» quotes in italics after the attribution, as in the seeds).

Template variables: `report` (title, scope, generated, totals, anonymised, timestamps),
`sections` (flattened, each with level, title, counts, quotes, recommendations); the filter
`guillemets` wraps a quote in «».
"""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

import jinja2

from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import export_file
from qualtool.i18n import _
from qualtool.report.attribution import guillemets
from qualtool.report.sections import Report

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "report.md.j2"


def markdown(report: Report, template: Path | None = None) -> str:
    path = template or DEFAULT_TEMPLATE
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            _("cannot read template {path}: {error}").format(path=path, error=exc)
        ) from None
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)  # fmt: skip
    env.filters["guillemets"] = guillemets
    try:
        text = env.from_string(source).render(report=report, sections=report.walk())
    except jinja2.TemplateError as exc:
        raise InvalidInput(
            _("template {name}: {error}").format(name=path.name, error=exc)
        ) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def docx(report: Report, path: Path) -> None:
    # python-docx loads lxml and its templates: only when a DOCX is asked for
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    doc.add_heading(report.title, level=0)
    meta = doc.add_paragraph()
    meta.add_run(f"{report.scope}. Сформировано {report.generated:%d.%m.%Y}").italic = True
    if report.anonymised:
        meta.add_run("; персональные данные заменены псевдонимами").italic = True
    doc.add_paragraph(report.totals.overview())
    for s in report.walk():
        doc.add_heading(s.title, level=min(s.level, 4))
        if s.counts.codings:
            doc.add_paragraph(s.counts.sentence())
        for q in s.quotes:
            p = doc.add_paragraph()
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.add_run(q.lead + " ")
            p.add_run(guillemets(q.text)).italic = True
            if report.timestamps:
                p.add_run(f" ({q.recording}, {q.time})")
        if s.recommendations:
            doc.add_paragraph().add_run("Рекомендации:").bold = True
            ordered = sorted(s.recommendations, key=lambda r: r.addressee)
            for addressee, recs in groupby(ordered, key=lambda r: r.addressee):
                doc.add_paragraph().add_run(f"{addressee}:").italic = True
                for r in recs:
                    item = doc.add_paragraph(style="List Bullet")
                    item.add_run(r.text + " ")
                    item.add_run(f"({r.status.label_ru})").italic = True
    with export_file(path) as tmp:
        doc.save(str(tmp))
