"""Exports made before `anonymise --apply` carry no name from the recordings' metadata: the key
and media file named after the respondent, the interviewer, the participant and a speaker label
go out as `--apply` will rename them — in every format (report md/docx with timestamps, the
quotes table CSV/XLSX, `tables matrix`, `export-coder`, QDPX), zip member names and QDPX paths
and case names included. With anonymisation off the names are there: the check is real."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from study_seed import cli, env_vault, named_import

from qualtool.coding.actions import apply_codes, write_memo
from qualtool.domain import Memo, Participant, Role
from qualtool.workspace.transcripts import import_transcript

REPO = Path(__file__).resolve().parents[2]
FILE = "Интервью Шолпан Кенжебаевой.flac"
KEY = "интервью-шолпан-кенжебаевой"
# every case form, lower case: the stems of the respondent's and the interviewer's names
NEEDLES = ["шолпан", "кенжебаев", "айгерим", "беков"]


def make_study(tmp_path: Path) -> Path:
    ws, rec = named_import(tmp_path, "Экспорт", FILE,
                           Participant("Шолпан Кенжебаева", Role.RECIPIENT, "f"))  # fmt: skip
    assert rec.key == KEY
    typed = tmp_path / "t.txt"
    typed.write_text("[00:00:00] I: Расскажите, как вы получали услугу?\n"
                     "[00:00:04] Шолпан Кенжебаева: Мне пришлось три раза приходить в ЦОН, "
                     "справки требовали каждый раз.\n", "utf-8")  # fmt: skip
    import_transcript(ws, rec, typed)
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    apply_codes(ws, seg, (0, 12), ["STAFF.CONDUCT"], "anna")
    write_memo(ws, Memo("recording", KEY, "Перезвонить после обеда", "anna"))
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    return ws.study.root


def blobs(path: Path) -> dict[str, bytes]:
    """The file's bytes and, for a zip (docx, xlsx, qdpx), each member's name and bytes."""
    out = {path.name: path.read_bytes()}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            out.update({f"{path.name}!{n}": n.encode() + b"\n" + z.read(n) for n in z.namelist()})
    return out


def found(paths: list[Path], stdout: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    everything = {"stdout": stdout.encode()}
    for p in paths:
        everything.update(blobs(p))
    for name, blob in everything.items():
        # openpyxl writes Cyrillic as character references (&#1064;): read them as letters
        low = html.unescape(blob.decode("utf-8", "replace")).lower()
        hit = [n for n in NEEDLES if n in low]
        if hit:
            out[name] = hit
    return out


def export_all(root: Path, out: Path, env: dict[str, str], *originals: str
               ) -> tuple[list[Path], str]:  # fmt: skip
    """Every export format, anonymised unless `originals` holds the flag that keeps names."""
    out.mkdir()
    flag = list(originals)
    runs = [("report", "--format", "md", "--timestamps", "-o", str(out / "r.md"), *flag),
            ("report", "--format", "docx", "--timestamps", "-o", str(out / "r.docx"), *flag),
            ("report", "--format", "csv", "-o", str(out / "q.csv"), *flag),
            ("report", "--format", "xlsx", "-o", str(out / "q.xlsx"), *flag),
            ("quotes", "ls", *flag),
            ("export-coder", "anna", "-o", str(out / "anna.json"), *flag),
            ("refi", "export", str(out / "s.qdpx"), *flag)]  # fmt: skip
    stdout = ""
    for args in runs:
        r = cli(root, *args, env=env)
        assert r.returncode == 0, (args, r.stderr)
        stdout += r.stdout
    if not originals:
        r = cli(root, "tables", "matrix", "-o", str(out / "m.csv"), env=env)
        assert r.returncode == 0, r.stderr
    return sorted(out.iterdir()), stdout


def test_exports_before_apply_carry_no_metadata_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    paths, stdout = export_all(root, tmp_path / "anon", env)
    assert len(paths) == 7
    assert found(paths, stdout) == {}
    md = (tmp_path / "anon" / "r.md").read_text("utf-8")
    assert "(интервью-имя-" in md and ", 00:00:04)" in md  # the key as --apply renames it
    with zipfile.ZipFile(tmp_path / "anon" / "s.qdpx") as z:
        names = z.namelist()
        xml = z.read("project.qde").decode()
    assert any(n.startswith("qualtool/transcripts/интервью-имя-") for n in names), names
    assert 'path="relative://audio/Интервью Имя-' in xml
    assert re.search(r'<Case [^>]*name="Имя-\d+"', xml), xml
    # the same exports keeping the names: every one of them is there, so the check is real
    paths, stdout = export_all(root, tmp_path / "orig", env, "--include-originals")
    hits = found(paths, stdout)
    for name in ("r.md", "r.docx!word/document.xml", "q.csv", "anna.json", "stdout",
                 f"s.qdpx!qualtool/transcripts/{KEY}.json", "s.qdpx!project.qde"):  # fmt: skip
        assert set(hits[name]) >= {"шолпан", "кенжебаев"}, (name, hits)
    assert "айгерим" in hits["s.qdpx!project.qde"]
    assert {"шолпан", "кенжебаев"} <= set(hits["q.xlsx!xl/worksheets/sheet1.xml"]), hits
