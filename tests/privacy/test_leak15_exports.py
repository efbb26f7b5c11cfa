"""Session 14's leak hunt, exports made before `--apply`: the codebook riding along in a QDPX
kept its examples' names, a transcript's «imported:<file>» its file's, the study's name went
out as the QDPX project's and the DOCX title, the report printed the recommendations as
written; and one person was «Имя-1» in the MD report and «Имя-2» in the QDPX (each export
numbered people as it met them). One numbering now: the apply's."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from study_seed import add_recording, cli, env_vault

from qualtool.coding.actions import apply_codes
from qualtool.files import codebook_edit
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.workspace.study import open_workspace

NAMES = ["Сейткалиев", "Ерлан", "Айгерим", "Нурлановн"]
RECOMMENDATIONS = """\
recommendations:
  - id: R1
    text: Провести беседу с Ерланом Сейткалиевым.
    addressee: ЦОН
    codes: [STAFF.CONDUCT]
"""


def _blobs(path: Path) -> dict[str, str]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}
    return {path.name: path.read_text(encoding="utf-8")}


def test_exports_before_apply_name_no_one_and_number_people_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Жалобы на Ерлана Сейткалиева", year=2025,
                       coder="anna", codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    open_workspace(root, sync=True).close()
    add_recording(root, "idi-01", ["Меня принимал Ерлан Сейткалиев.",
                                   "Потом Айгерим Нурлановна нагрубила мне."])  # fmt: skip
    (study.codebooks_dir / "recommendations.yml").write_text(RECOMMENDATIONS, encoding="utf-8")
    ws = open_workspace(root, sync=True)
    codebook_edit.edit_fields(ws.study.codebook_path, "STAFF.CONDUCT",
                              examples=["Ерлан Сейткалиев грубо ответил"])  # fmt: skip
    ws.db.execute("UPDATE transcripts SET model = 'imported:Ерлан_Сейткалиев.docx'")
    second = ws.db.execute("SELECT id, text FROM segments ORDER BY idx").fetchall()[1]
    apply_codes(ws, second[0], (0, len(second[1])), ["STAFF.CONDUCT"], "anna")
    ws.close()
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("md", "docx"):
        r = cli(root, "report", "--all-coders", "--format", fmt, "-o", str(out / f"r.{fmt}"),
                env=env)  # fmt: skip
        assert r.returncode == 0, r.stderr
    r = cli(root, "refi", "export", str(out / "s.qdpx"), env=env)
    assert r.returncode == 0, r.stderr
    blobs = {f"{p.name}!{n}": text for p in sorted(out.iterdir()) for n, text in _blobs(p).items()}
    left = {k: [n for n in NAMES if n.lower() in v.lower()] for k, v in blobs.items()}
    assert not {k: v for k, v in left.items() if v}, left
    # Айгерим Нурлановна is the apply's second person (the first segment names Ерлан): the
    # same number in the report, whose only quote is hers, and in the QDPX
    md = blobs["r.md!r.md"]
    quote = next(line for line in md.splitlines() if "нагрубила" in line)
    assert re.findall(r"Имя-\d+", quote) == ["Имя-2"], md
    assert md.startswith("# Жалобы на Имя-1")  # the title: Ерлан, the apply's first
    qdpx_text = "".join(v for k, v in blobs.items() if k.startswith("s.qdpx!sources/"))
    assert "Меня принимал Имя-1." in qdpx_text and "Потом Имя-2 нагрубила" in qdpx_text
