"""Our own QDPX back into a new study reproduces the sample study: every field qualtool keeps
(except creation times and database ids), one coding per coding, real segment times."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import xmlschema
from interop_data import DATA
from ruamel.yaml import YAML

from qualtool.domain import Memo
from qualtool.files.study import init_study
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import load_codebook
from qualtool.store.codings import add_memo, list_memos
from qualtool.workspace.study import Workspace, open_workspace

REPO = Path(__file__).resolve().parent.parent.parent


def sample_study(root: Path) -> Workspace:
    """The shipped sample: four recordings with transcripts and three coders' layers, plus a
    participant attribute and two memos so those travel too."""
    for f in (REPO / "transcripts").glob("*.json"):
        shutil.copy(f, root / "transcripts" / f.name)
    shutil.copytree(REPO / "codings", root / "codings")
    manifest = root / "audio" / "recordings.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  - pseudonym: P1\n    role: recipient\n",
        "  - pseudonym: P1\n    role: recipient\n    attributes:\n      статус: многодетная\n"),
        encoding="utf-8")  # fmt: skip
    codebook = root / "codebooks" / "barriers.yml"
    with codebook.open("a", encoding="utf-8") as f:
        f.write("groups:\n- name: Цифровые барьеры\n  codes: [TECH.OUTAGE]\n  sources: [idi-01]\n")
    ws = open_workspace(root, sync=True)
    add_memo(ws.db, Memo("study", "общее", "Очереди — главный барьер в ВКО", "aigerim"))
    add_memo(ws.db, Memo("code", "ACC.QUEUE", "очереди по утрам", "dana"))
    return ws


def snapshot(ws: Workspace) -> dict[str, object]:
    recs = {}
    for r in rec_store.list_recordings(ws.db):
        t = tr_store.get_transcript(ws.db, r.id or 0)
        recs[r.key] = (
            (r.method, r.service, r.region, r.language, r.date, r.interviewer, r.consent,
             r.notes, r.checksum, r.duration, r.format),
            sorted((p.pseudonym, p.role, p.gender, p.age_band, p.region, tuple(p.attributes.items()))
                   for p in r.participants),
            [(s.idx, round(s.start, 3), round(s.end, 3), s.speaker, s.text, s.words, s.flags,
              s.avg_logprob, s.no_speech_prob, s.compression_ratio)
             for s in (t.segments if t else ())],
        )  # fmt: skip
    codings = sorted(ws.db.query(
        'SELECT r.key, s.idx, c.code_id, c.coder_id, c.start, c."end", c.quote, c.memo, '
        "c.key_quote, c.provenance FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id"),
        key=lambda d: tuple(str(v) for v in d.values()))  # fmt: skip
    memos = sorted((m.target_type, m.target_id, m.text, m.coder_id) for m in list_memos(ws.db))
    return {"codebook": load_codebook(ws.db).codes, "recordings": recs, "codings": codings,
            "memos": memos}  # fmt: skip


def test_export_import_reproduces_the_study(sample_copy: Path, tmp_path: Path) -> None:
    ws = sample_study(sample_copy)
    before = snapshot(ws)
    assert len(before["codings"]) == 37 and sum(c["key_quote"] for c in before["codings"]) == 2
    recs = before["recordings"]
    assert len(recs) == 4 and sum(len(segs) for _, _, segs in recs.values()) == 14  # type: ignore[union-attr]
    assert ("статус", "многодетная") in recs["fg-01"][1][0][5]  # type: ignore[index]
    assert len(before["memos"]) == 2 and {c["provenance"] for c in before["codings"]} == {  # type: ignore[union-attr]
        "manual", "consensus"}  # fmt: skip
    out = tmp_path / "sample.qdpx"
    # the text as it is: the sample's mis-heard «Этернити» reads as a name, and a pseudonymised
    # export (the default) would come back as «Имя-1» (tests/privacy covers that side)
    summary = export_qdpx(ws, out, pseudonymise=False)
    assert (summary.sources, summary.codings) == (4, 37)  # once each: no audio+text copies
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode()
    xmlschema.XMLSchema(DATA / "refi" / "Project.xsd").validate(xml)
    # the study folder's name, not where it lies on this machine (REFI-QDA resolves
    # relative:// against it; ours is read relative to the folder holding the .qdpx)
    assert f'basePath="{sample_copy.resolve().name}"' in xml
    assert xml.count("<TranscriptSelection ") == 37 and "<PlainTextSelection " not in xml
    assert '<Set guid="' in xml and "<MemberCode " in xml and "<MemberSource " in xml

    other = init_study(tmp_path / "other", name="Копия", year=2025, coder="lead")
    ws2 = open_workspace(other.root, sync=True)
    report = import_qdpx(ws2, out)
    assert sorted(report.sources) == ["fg-01", "idi-01", "idi-02", "ms-01"]
    assert report.codings == 37 and report.mid_word == 0 and not report.problems
    after = snapshot(ws2)
    for part in ("codebook", "memos", "codings"):
        assert after[part] == before[part], part
    for key, (meta, people, segs) in before["recordings"].items():  # type: ignore[union-attr]
        assert after["recordings"][key][0] == meta, key  # type: ignore[index]
        assert after["recordings"][key][1] == people, key  # type: ignore[index]
        assert after["recordings"][key][2] == segs, key  # type: ignore[index]
    # importing it again adds nothing
    again = import_qdpx(ws2, out)
    assert again.sources == [] and again.codings == 0 and again.already == 37
    assert report.participants > 0 and again.participants == 0  # nobody new the second time


def test_refi_part_alone_keeps_times_codes_and_codings(sample_copy: Path, tmp_path: Path) -> None:
    """What another tool sees (no qualtool/ extras): times from the SyncPoints, the codebook
    from the Codes, codings on the exact words."""
    ws = sample_study(sample_copy)
    before = snapshot(ws)
    full = tmp_path / "full.qdpx"
    export_qdpx(ws, full, pseudonymise=False)  # the text as it is (see above)
    bare = tmp_path / "bare.qdpx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(bare, "w") as dst:
        for name in src.namelist():
            if not name.startswith("qualtool/"):
                dst.writestr(name, src.read(name))
    other = init_study(tmp_path / "bare", name="Без extras", year=2025, coder="lead")
    ws2 = open_workspace(other.root, sync=True)
    report = import_qdpx(ws2, bare)
    assert report.codings == 37 and report.mid_word == 0 and not report.problems
    after = snapshot(ws2)
    assert after["codings"] == before["codings"] and after["memos"] == before["memos"]
    fields = lambda c: (c.id, c.label_ru, c.label_en, c.parent_id, c.definition, c.inclusion,  # noqa: E731
                        c.exclusion, c.color)  # fmt: skip
    assert [fields(c) for c in after["codebook"]] == [fields(c) for c in before["codebook"]]  # type: ignore[union-attr]
    groups = YAML().load(other.codebook_path.read_text(encoding="utf-8"))["groups"]
    assert [dict(g) for g in groups] == [
        {"name": "Цифровые барьеры", "codes": ["TECH.OUTAGE"], "sources": ["idi-01"]}]  # fmt: skip
    for key, (meta, people, segs) in before["recordings"].items():  # type: ignore[union-attr]
        got = after["recordings"][key]  # type: ignore[index]
        assert got[0] == meta and got[1] == people
        assert [s[:5] for s in got[2]] == [s[:5] for s in segs]  # idx, start, end, speaker, text


def test_export_reveals_no_local_path(sample_copy: Path, tmp_path: Path) -> None:
    """Not in the XML, not in the texts, not in qualtool's extras: no byte of the archive
    names the folder the study lies in (nor the temporary folder above it)."""
    ws = sample_study(sample_copy)
    outside = tmp_path / "elsewhere" / "idi-01-original.mp3"  # audio kept outside the study
    outside.parent.mkdir()
    rec = rec_store.get_recording(ws.db, "idi-01")
    shutil.copy(sample_copy / rec.path, outside)
    rec_store.update_recording(ws.db, rec, path=outside.as_posix())
    out = tmp_path / "sample.qdpx"
    export_qdpx(ws, out)
    with zipfile.ZipFile(out) as z:
        blobs = {n: z.read(n) for n in z.namelist()}
        names = " ".join(z.namelist())
    assert 'path="relative://idi-01-original.mp3"' in blobs["project.qde"].decode()
    for needle in {str(tmp_path), tmp_path.resolve().as_posix(), str(sample_copy),
                   sample_copy.resolve().as_posix(), str(Path.home())}:  # fmt: skip
        assert needle not in names
        for name, data in blobs.items():
            assert needle.encode() not in data, (name, needle)
    assert b"absolute://" not in blobs["project.qde"]
