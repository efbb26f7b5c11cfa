"""Tables behind the prose: every quote (CSV/XLSX for authors who work in spreadsheets), code
frequency by service/region/method, code co-occurrence, code × recording; a terminal bar chart,
and a PNG when matplotlib happens to be installed."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qualtool.domain import Codebook
from qualtool.files.writing import export_file
from qualtool.i18n import _
from qualtool.report.quotes import Quote


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[object]]


def quotes_table(quotes: Sequence[Quote], cb: Codebook) -> Table:
    header = [_("code"), _("label"), _("quote"), _("attribution"), _("recording"), _("time"),
              _("method"), _("service"), _("region"), _("speaker label"), _("coder"), _("key_quote"),
              _("memo"), _("coding_id")]  # fmt: skip
    rows = [_quote_row(q, cb) for q in quotes]
    return Table("Цитаты", header, rows)


def _quote_row(q: Quote, cb: Codebook) -> list[object]:
    label = cb.get(q.code_id).label_ru if q.code_id in cb else ""
    return [q.code_id, label, q.text, q.lead, q.recording, q.time, q.method, q.service or "",
            q.region or "", q.speaker or "", q.coder, "yes" if q.pinned else "", q.memo or "",
            q.coding_id]  # fmt: skip


# the report's own language (titles are Russian like its sections): «по услугам», not «по service»
BY_RU = {"service": "услугам", "region": "регионам", "method": "методам"}


def frequency(quotes: Sequence[Quote], cb: Codebook, by: str) -> Table:
    """Distinct segments per code and group (service, region or method)."""
    attr = {"service": "service", "region": "region", "method": "method"}[by]
    cells: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    groups: set[str] = set()
    for q in quotes:
        g = getattr(q, attr) or "—"
        groups.add(g)
        cells[q.code_id][g].add(q.segment_id)
    cols = sorted(groups)
    rows = []
    for _depth, code in cb.walk():
        if code.id in cells:
            counts = [len(cells[code.id].get(g, ())) for g in cols]
            rows.append([code.id, code.label_ru, *counts, sum(counts)])
    return Table(f"Частота кодов по {BY_RU[by]}", [_("code"), _("label"), *cols, _("total")],
                 rows)  # fmt: skip


def cooccurrence(quotes: Sequence[Quote]) -> Table:
    """Segments carrying both codes."""
    per_seg: dict[int, set[str]] = defaultdict(set)
    for q in quotes:
        per_seg[q.segment_id].add(q.code_id)
    codes = sorted({q.code_id for q in quotes})
    pairs: Counter[tuple[str, str]] = Counter()
    for cs in per_seg.values():
        for a in cs:
            for b in cs:
                pairs[(a, b)] += 1
    rows = [[a, *(pairs[(a, b)] for b in codes)] for a in codes]
    return Table("Совместная встречаемость кодов", [_("code"), *codes], rows)


def code_by_recording(quotes: Sequence[Quote]) -> Table:
    recs = sorted({q.recording for q in quotes})
    cells: Counter[tuple[str, str]] = Counter((q.code_id, q.recording) for q in quotes)
    codes = sorted({q.code_id for q in quotes})
    rows = [[c, *(cells[(c, r)] for r in recs), sum(cells[(c, r)] for r in recs)] for c in codes]
    return Table("Коды × записи", [_("code"), *recs, _("total")], rows)


def write_csv(table: Table, path: Path) -> None:
    with export_file(path) as tmp, tmp.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)  # the BOM: Excel opens it as UTF-8
        w.writerow(table.header)
        w.writerows(table.rows)


def write_xlsx(tables: Sequence[Table], path: Path) -> None:
    # openpyxl is slow to import: only when an XLSX is asked for
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(t.title[:31])
        ws.append(t.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append(row)
        for col in ws.columns:
            width = min(60, max(len(str(c.value or "")) for c in col) + 2)
            ws.column_dimensions[col[0].column_letter].width = width
            for c in col[1:]:
                c.alignment = Alignment(wrap_text=width >= 60, vertical="top")
        ws.freeze_panes = "A2"
    with export_file(path) as tmp:
        wb.save(tmp)


def bar_chart(pairs: Sequence[tuple[str, int]], width: int = 40) -> str:
    """Horizontal bars in the terminal (eighth-block resolution)."""
    if not pairs:
        return "(нет данных)"
    top = max(v for _k, v in pairs) or 1
    label_w = min(34, max(len(k) for k, _v in pairs))
    blocks = " ▏▎▍▌▋▊▉█"
    lines = []
    for k, v in pairs:
        eighths = round(v / top * width * 8)
        bar = "█" * (eighths // 8) + (blocks[eighths % 8] if eighths % 8 else "")
        lines.append(f"{k[:label_w]:<{label_w}} {bar} {v}")
    return "\n".join(lines)


def png_chart(pairs: Sequence[tuple[str, int]], path: Path, title: str) -> bool:
    """False when matplotlib is not installed (it is optional)."""
    try:  # matplotlib is optional and heavy: only for PNG charts
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(pairs) + 1))
    ax.barh([k for k, _v in pairs][::-1], [v for _k, v in pairs][::-1], color="#2980b9")
    ax.set_title(title)
    fig.tight_layout()
    try:
        with export_file(path) as tmp:
            fig.savefig(tmp, dpi=150, format="png")
    finally:
        plt.close(fig)
    return True
