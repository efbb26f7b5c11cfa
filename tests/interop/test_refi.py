"""REFI-QDA: exports validate against the published XSDs (shipped in tests/data/refi), our
QDPX round-trips, and a project in another tool's style imports."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

from qualtool.domain import Coding, Memo, Participant, Role
from qualtool.domain.errors import InvalidInput
from qualtool.files.codebook import load_codebook as load_file
from qualtool.files.study import init_study
from qualtool.interop.qdc import export_qdc, qdc_to_yaml, read_qdc
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import add_coding, add_memo
from qualtool.workspace.study import Workspace, open_workspace

DATA = Path(__file__).parents[1] / "data" / "refi"
REPO = Path(__file__).resolve().parents[2]
TURNS = [
    ("I", "Как вы получали услугу?"),
    ("R01", "Три раза ходила в ЦОН. Каждый раз просили новую справку."),
    ("R01", "Портал завис, и я стояла в очереди два часа."),
]


def coded(ws: Workspace) -> set[tuple[str, str, str, str]]:
    rows = ws.db.query(
        "SELECT r.key, c.code_id, c.coder_id, c.quote FROM codings c JOIN segments s ON "
        "s.id = c.segment_id JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON "
        "r.id = t.recording_id"
    )
    return {(r["key"], r["code_id"], r["coder_id"], r["quote"]) for r in rows}


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    db = empty_study.db
    add_text_recording(db, "idi-x", TURNS, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО")])  # fmt: skip
    segs = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY idx")]
    text1 = TURNS[1][1]
    s = text1.index("просили")
    add_coding(
        db, Coding(segs[1], "BUR.EXTRA_DOCS", "anna", s, len(text1) - 1, "", memo="ключевая")
    )
    add_coding(db, Coding(segs[1], "BUR.REPEAT_VISIT", "boris", 0, 22, ""))
    add_coding(db, Coding(segs[2], "TECH.OUTAGE", "anna", 0, 12, ""))
    add_coding(db, Coding(segs[2], "ACC.QUEUE", "boris", 15, 43, ""))
    add_memo(db, Memo("code", "ACC.QUEUE", "очереди по утрам", "boris"))
    return empty_study


def test_qdpx_export_is_valid_and_complete(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    s = export_qdpx(ws, out)
    assert (s.sources, s.codings, s.coders, s.notes) == (1, 4, 2, 1)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        xml = z.read("project.qde")
        text = z.read(next(n for n in names if n.startswith("sources/"))).decode()
    assert not xml.startswith(b"\xef\xbb\xbf") and all(
        n == "project.qde" or n.startswith(("sources/", "qualtool/")) for n in names
    )
    xmlschema.XMLSchema(DATA / "Project.xsd").validate(xml.decode())
    assert text.splitlines()[1] == "R01: " + TURNS[1][1]
    # offsets point at the quote in the source text
    start = int(xml.split(b'startPosition="')[1].split(b'"')[0])
    end = int(xml.split(b'endPosition="')[1].split(b'"')[0])
    assert text[start:end] in {"просили новую справку", "Три раза ходила в ЦОН."}


def test_qdpx_export_with_audio_is_valid(sample_copy: Path, tmp_path: Path) -> None:
    from qualtool.workspace.transcripts import import_transcript_files

    for f in (REPO / "transcripts").glob("*.json"):
        (sample_copy / "transcripts" / f.name).write_bytes(f.read_bytes())
    ws = open_workspace(sample_copy)
    import_transcript_files(ws)
    sid = ws.db.execute("SELECT id FROM segments LIMIT 1").fetchone()[0]
    add_coding(ws.db, Coding(sid, "BUR.EXTRA_DOCS", "anna", 0, 5, ""))
    out = tmp_path / "sample.qdpx"
    export_qdpx(ws, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode()
    xmlschema.XMLSchema(DATA / "Project.xsd").validate(xml)
    assert "<AudioSource" in xml and "<SyncPoint" in xml and "<TranscriptSelection" in xml
    assert 'path="relative://audio/' in xml


def test_our_qdpx_round_trips_into_a_new_study(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(ws, out)
    other = init_study(tmp_path / "other", name="Другое", year=2025, coder="lead")
    (other.codebooks_dir / "barriers.yml").write_text(ws.study.codebook_path.read_text())
    ws2 = open_workspace(other.root, sync=True)
    report = import_qdpx(ws2, out)
    assert report.sources == ["idi-x"] and report.codings == 4 and not report.new_codes
    assert coded(ws2) == coded(ws)
    assert ws2.db.execute("SELECT count(*) FROM codings WHERE memo = 'ключевая'").fetchone()[0] == 1
    again = import_qdpx(ws2, out)  # idempotent: same text → same recording, nothing new
    assert again.sources == [] and again.codings == 0 and again.already == 4
    assert (other.root / "transcripts" / "idi-x.md").exists()
    # a fresh clone of the other study rebuilds the text recording from its files
    (other.root / "qualtool.db").unlink()
    ws2.close()
    ws3 = open_workspace(other.root)
    assert ws3.db.execute("SELECT count(*) FROM segments").fetchone()[0] == 3


def _atlas_style(tmp_path: Path) -> Path:
    """As ATLAS.ti/MAXQDA write it: \\r\\n text with \\n offsets, capitalised Sources/,
    a non-codable category, an annotation without a code, braces around GUIDs."""
    text = "Интервьюер: Что было сложно?\r\nРеспондент: Очереди огромные, ждали три часа.\r\n"
    flat = text.replace("\r\n", "\n")
    a = flat.index("Очереди")
    b = flat.index("три часа.") + len("три часа")
    c = flat.index("ждали")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="ATLAS project" origin="ATLAS.ti Win 23.4.0">
 <Users><User guid="{{A1B2C3D4-0000-4000-8000-000000000001}}" name="Dana"/></Users>
 <CodeBook><Codes>
  <Code guid="11111111-0000-4000-8000-000000000001" name="Доступность" isCodable="false">
   <Code guid="11111111-0000-4000-8000-000000000002" name="Очереди" isCodable="true" color="#46AA00"/>
   <Code guid="11111111-0000-4000-8000-000000000003" name="Долгое ожидание" isCodable="true">
    <Description>Ждут результата или приёма слишком долго</Description></Code>
  </Code></Codes></CodeBook>
 <Sources>
  <TextSource guid="22222222-0000-4000-8000-000000000001" name="Интервью 7"
      plainTextPath="internal://22222222-0000-4000-8000-000000000001.txt">
   <PlainTextSelection guid="33333333-0000-4000-8000-000000000001" startPosition="{a}" endPosition="{b}"
       creatingUser="{{A1B2C3D4-0000-4000-8000-000000000001}}">
    <Coding guid="44444444-0000-4000-8000-000000000001" creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
     <CodeRef targetGUID="11111111-0000-4000-8000-000000000002"/></Coding>
    <Coding guid="44444444-0000-4000-8000-000000000002">
     <CodeRef targetGUID="{{11111111-0000-4000-8000-000000000003}}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="33333333-0000-4000-8000-000000000002" startPosition="{c}" endPosition="{c + 5}">
    <Description>уточнить у респондента</Description>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>"""
    path = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ATLAS project.qde", xml.encode("utf-8"))
        z.writestr("Sources/22222222-0000-4000-8000-000000000001.txt", text.encode("utf-8"))
    return path


def test_other_tools_qdpx_imports(empty_study: Workspace, tmp_path: Path) -> None:
    ws = empty_study
    report = import_qdpx(ws, _atlas_style(tmp_path), default_coder="lead")
    assert report.sources == ["интервью-7"] and report.codings == 2 and report.memos == 1
    # «Очереди» is our ACC.QUEUE label; the other two codes are new, under IMP.*
    assert report.new_codes == ["IMP.DOSTUPNOST", "IMP.DOLGOE_OZHIDANIE"]
    got = coded(ws)
    assert ("интервью-7", "ACC.QUEUE", "dana", "Очереди огромные, ждали три часа") in got
    # no creatingUser on the Coding: the selection's user coded it
    assert ("интервью-7", "IMP.DOLGOE_OZHIDANIE", "dana", "Очереди огромные, ждали три часа") in got
    cb = load_file(ws.study.codebook_path)  # written back to the codebook file, valid
    assert cb.get("IMP.DOLGOE_OZHIDANIE").parent_id == "IMP.DOSTUPNOST"
    assert "IMP.DOLGOE_OZHIDANIE" in load_codebook(ws.db)
    seg = ws.db.execute("SELECT speaker, text FROM segments WHERE idx = 1").fetchone()
    assert seg == ("Респондент", "Очереди огромные, ждали три часа.")


def test_broken_qdpx_is_a_clear_error(empty_study: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    with pytest.raises(InvalidInput, match="not a QDPX"):
        import_qdpx(empty_study, bad)
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("project.qde", b"<Project><oops")
    with pytest.raises(InvalidInput, match="broken project XML"):
        import_qdpx(empty_study, bad)


def test_qdc_export_validates_and_converts_back(tmp_path: Path) -> None:
    cb = load_file(REPO / "codebooks" / "barriers.yml")
    out = tmp_path / "barriers.qdc"
    export_qdc(cb, out)
    xmlschema.XMLSchema(DATA / "Codebook.xsd").validate(str(out))
    codes = read_qdc(out)
    assert len(codes) == len(cb) and {c.qualtool_id for c in codes} == {c.id for c in cb.codes}
    yml = tmp_path / "back.yml"
    yml.write_text(qdc_to_yaml(codes, "back"))
    back = load_file(yml)
    assert {c.id for c in back.codes} == {c.id for c in cb.codes}
    assert back.get("BUR.DELAY").parent_id == "BUR"
