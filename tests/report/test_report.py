"""Reports: structure, attribution, ordering, anonymisation, exact quotes, DOCX/CSV/XLSX."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import child_env
from docx import Document
from openpyxl import load_workbook

from qualtool.coding import set_key_quote
from qualtool.domain import Coding, Method, Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.report import render, tables
from qualtool.report.attribution import Level, attribution
from qualtool.report.build import build_report
from qualtool.report.quotes import collect, export_quotes
from qualtool.report.sections import GroupBy
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import add_coding
from qualtool.store.reporting import Scope
from qualtool.workspace.study import Workspace

IDI = [
    ("I", "Расскажите о получении пособия."),
    ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
    ("R01", "Специалист Иванова сказала принести справку о составе семьи ещё раз."),
    ("R01", "Портал завис, когда я загружала документы."),
]
FG = [
    ("P1", "Требовали дополнительные справки, которых нет в перечне."),
    ("P2", "Требовали дополнительные справки, которых нет в перечне!"),
    ("P2", "Очередь была огромная, стояли два часа."),
]


def code(ws: Workspace, key: str, idx: int, code_id: str, quote: str, coder: str = "anna") -> int:
    sid, text = ws.db.execute(
        "SELECT s.id, s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id JOIN "
        "recordings r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?", [key, idx]
    ).fetchone()  # fmt: skip
    start = text.index(quote)
    return add_coding(ws.db, Coding(sid, code_id, coder, start, start + len(quote), "")).id or 0


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    db = empty_study.db
    add_text_recording(db, "idi-x", IDI, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО")])  # fmt: skip
    add_text_recording(db, "fg-x", FG, method=Method.FOCUS_GROUP, service="Лицензия",
                       region="Абай", participants=[Participant("P1", Role.RECIPIENT, "m", "25-34"),
                                                    Participant("P2", Role.ENTREPRENEUR, "f")])  # fmt: skip
    w = empty_study
    code(w, "idi-x", 1, "BUR.EXTRA_DOCS", "каждый раз требовали новую справку")
    code(w, "idi-x", 2, "BUR.EXTRA_DOCS", IDI[2][1])
    code(w, "idi-x", 1, "BUR.REPEAT_VISIT", "Мне пришлось три раза приходить в ЦОН")
    code(w, "idi-x", 3, "TECH.OUTAGE", IDI[3][1])
    code(w, "fg-x", 0, "BUR.EXTRA_DOCS", FG[0][1])
    code(w, "fg-x", 1, "BUR.EXTRA_DOCS", FG[1][1])  # a near-duplicate of P1's words
    code(w, "fg-x", 2, "ACC.QUEUE", FG[2][1])
    code(w, "fg-x", 2, "ACC.QUEUE", FG[2][1], coder="boris")  # same span, second coder
    return w


def test_attribution_in_the_seeds_style() -> None:
    q = {"method": "interview", "role": "recipient", "gender": "f", "age_band": "35-44",
         "person_region": "ВКО", "speaker": "R01"}  # fmt: skip
    assert attribution(q) == "Из глубинного интервью с услугополучателем (женщина, 35–44, ВКО):"
    assert attribution(q, Level.ROLE) == "Из глубинного интервью с услугополучателем:"
    assert attribution({**q, "method": "focus_group", "role": "entrepreneur"}) == (
        "Участница фокус-группы (предприниматель, 35–44, ВКО):"
    )
    assert attribution({**q, "method": "mystery_shopper"}) == (
        "Из наблюдения «тайного покупателя» (ВКО):"
    )


def test_sections_by_code_follow_the_codebook(ws: Workspace) -> None:
    rep = build_report(ws, GroupBy.CODE)
    titles = [(s.level, s.key) for s in rep.walk()]
    assert titles == [(2, "BUR"), (3, "BUR.EXTRA_DOCS"), (3, "BUR.REPEAT_VISIT"), (2, "TECH"),
                      (3, "TECH.OUTAGE"), (2, "ACC"), (3, "ACC.QUEUE")]  # fmt: skip
    extra = next(s for s in rep.walk() if s.key == "BUR.EXTRA_DOCS")
    assert (extra.counts.interviews, extra.counts.focus_groups) == (1, 1)
    assert extra.counts.respondents == 3 and extra.candidates == 4
    texts = [q.text for q in extra.quotes]
    # the two focus-group lines are near-duplicates: only one is used
    assert sum("перечне" in t for t in texts) == 1 and len(texts) == 3
    # different respondents before a second quote from the same one
    assert len({q.respondent for q in extra.quotes[:2]}) == 2
    queue = next(s for s in rep.walk() if s.key == "ACC.QUEUE")
    assert len(queue.quotes) == 1  # two coders, one span: one quote
    assert [r.id for r in extra.recommendations] == []  # no recommendations file in this study


def test_pinned_quote_comes_first(ws: Workspace) -> None:
    cid = code(ws, "fg-x", 1, "BUR.EXTRA_DOCS", "Требовали дополнительные справки", "boris")
    set_key_quote(ws, cid, True)
    extra = next(s for s in build_report(ws).walk() if s.key == "BUR.EXTRA_DOCS")
    assert extra.quotes[0].coding_id == cid and extra.quotes[0].pinned


def test_anonymised_by_default_and_quotes_are_exact(ws: Workspace) -> None:
    quotes = export_quotes(ws, Scope())
    named = next(q for q in quotes if "справку о составе" in q.text)
    assert "Иванова" not in named.text and "Имя-1" in named.text
    raw = collect(ws.db, Scope(), None)
    for q in raw:  # every exported quote is exactly the stored transcript text
        row = ws.db.execute('SELECT s.text, c.start, c."end" FROM codings c JOIN segments s '
                            "ON s.id = c.segment_id WHERE c.id = ?", [q.coding_id]).fetchone()  # fmt: skip
        assert q.text == row[0][row[1] : row[2]] and q.original_matches
    assert not any(q.speaker == "I" for q in raw)


def test_markdown_and_template_override(ws: Workspace, tmp_path: Path) -> None:
    rep = build_report(ws, GroupBy.CODE, timestamps=True)
    md = render.markdown(rep)
    assert md.startswith("# Тест\n") and "\n## Бюрократизм и волокита\n" in md
    assert "Из глубинного интервью с услугополучателем (женщина, 35–44, ВКО): *«" in md
    assert "(idi-x, 00:00:06)" in md and "\n\n\n" not in md
    tpl = tmp_path / "t.md.j2"
    tpl.write_text("{% for s in sections %}{{ s.key }};{% endfor %}")
    assert render.markdown(rep, tpl).strip().startswith("BUR;BUR.EXTRA_DOCS;")


def test_grouping_by_service_region_method(ws: Workspace) -> None:
    by_service = build_report(ws, GroupBy.SERVICE)
    assert [s.title for s in by_service.sections] == ["Лицензия", "Пособие"]
    assert [c.key for c in by_service.sections[0].children] == ["BUR", "ACC"]
    by_method = build_report(ws, GroupBy.METHOD)
    assert [s.title for s in by_method.sections] == ["Глубинное интервью", "Фокус-группа"]
    assert [s.title for s in build_report(ws, GroupBy.REGION).sections] == ["Абай", "ВКО"]


def test_docx_structure(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    render.docx(build_report(ws), out)
    doc = Document(str(out))
    heads = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert heads[0] == ("Title", "Тест") and ("Heading 2", "Бюрократизм и волокита") in heads
    assert ("Heading 3", "Требование дополнительных документов") in heads
    quote_runs = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("«")]
    assert quote_runs and all(r.italic for r in quote_runs)
    assert all(r.text.endswith("»") for r in quote_runs)


def test_quote_tables_and_analysis(ws: Workspace, tmp_path: Path) -> None:
    quotes = collect(ws.db, Scope(), None)
    cb = load_codebook(ws.db)
    t = tables.quotes_table(quotes, cb)
    tables.write_csv(t, tmp_path / "q.csv")
    rows = list(csv.reader((tmp_path / "q.csv").open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["code", "label", "quote"] and len(rows) == len(quotes) + 1
    freq = tables.frequency(quotes, cb, "method")
    extra = next(r for r in freq.rows if r[0] == "BUR.EXTRA_DOCS")
    assert freq.header == ["code", "label", "focus_group", "interview", "total"]
    assert freq.title == "Частота кодов по методам"
    assert extra[2:] == [2, 2, 4]
    co = tables.cooccurrence(quotes)
    i, j = co.header.index("BUR.EXTRA_DOCS"), co.header.index("BUR.REPEAT_VISIT")
    assert next(r for r in co.rows if r[0] == "BUR.REPEAT_VISIT")[i] == 1
    assert next(r for r in co.rows if r[0] == "BUR.EXTRA_DOCS")[j] == 1
    tables.write_xlsx([t, freq, co, tables.code_by_recording(quotes)], tmp_path / "q.xlsx")
    wb = load_workbook(tmp_path / "q.xlsx")
    assert wb.sheetnames[0] == "Цитаты" and wb["Цитаты"].max_row == len(quotes) + 1
    chart = tables.bar_chart([("a", 4), ("b", 2)], width=8)
    assert chart.splitlines() == ["a ████████ 4", "b ████ 2"]


def test_report_cli_on_the_sample_study(tmp_path: Path) -> None:
    """The shipped study (codings/ layers included) gives a DOCX from a fresh clone."""
    import shutil

    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "sample"
    for part in ("audio", "codebooks", "transcripts", "codings"):
        shutil.copytree(repo / part, root / part)
    shutil.copy(repo / "study.toml", root / "study.toml")
    env = child_env(tmp_path)
    run = [sys.executable, "-m", "qualtool"]
    r = subprocess.run([*run, "report", "--by", "code", "--format", "docx", "-o", "r.docx"],
                       cwd=root, capture_output=True, text=True, env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = Document(str(root / "r.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Грубость, дискриминация" in text and "согласованный слой" in text
    assert "Участница фокус-группы (услугополучатель, 45–54, Туркестанская):" in text
    r = subprocess.run([*run, "report", "--region", "Марс"], cwd=root, capture_output=True,
                       text=True, env=env)  # fmt: skip
    assert r.returncode == 1 and "nothing coded" in r.stderr
