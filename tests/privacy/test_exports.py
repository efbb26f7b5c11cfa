"""Exports are pseudonymised by default even before apply; QDPX leaves the audio out once the
study is anonymised (the voices still say the names) unless asked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from qualtool.domain import Coding
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.privacy.apply import anonymise, export_pseudonymiser, study_vault
from qualtool.privacy.redact import layer_redactors
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.team.exchange import export_coder
from qualtool.workspace.study import Workspace

TEXT = "Мне помогла Гульнара Сейткалиева, её номер 8 701 765 43 21, спасибо ей."


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    db = empty_study.db
    add_text_recording(db, "idi-a", [("R01", TEXT)])
    db.execute("UPDATE recordings SET format = 'wav', path = 'audio/idi-a.wav'")
    sid = db.execute("SELECT id FROM segments").fetchone()[0]
    s = TEXT.index("Сейткалиева")
    add_coding(db, Coding(sid, "STAFF.CONDUCT", "anna", s, len(TEXT), "", memo="Гульнара молодец"))
    return empty_study


def qdpx(ws: Workspace, path: Path, **kw: object) -> tuple[str, str]:
    export_qdpx(ws, path, **kw)  # type: ignore[arg-type]
    with zipfile.ZipFile(path) as z:
        xml = z.read("project.qde").decode()
        texts = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("sources/"))
    return xml, texts


def test_qdpx_pseudonymised_by_default_audio_out_after_apply(ws: Workspace, tmp_path: Path) -> None:
    xml, texts = qdpx(ws, tmp_path / "a.qdpx")
    assert "Сейткалиев" not in xml + texts and "765 43 21" not in texts and "Гульнара" not in xml
    assert "Имя-1" in texts and "AudioSource" in xml  # not anonymised yet: audio goes along
    xml, texts = qdpx(ws, tmp_path / "b.qdpx", pseudonymise=False)
    assert "Сейткалиев" in texts
    anonymise(ws, study_vault(ws))
    xml, _ = qdpx(ws, tmp_path / "c.qdpx")
    assert "AudioSource" not in xml
    xml, _ = qdpx(ws, tmp_path / "d.qdpx", include_audio=True)
    assert "AudioSource" in xml


def test_export_coder_pseudonymised(ws: Workspace, tmp_path: Path) -> None:
    item, memo = layer_redactors(ws, export_pseudonymiser(ws))
    export_coder(ws, "anna", tmp_path / "anna.json", redact=item, redact_memo=memo)
    doc = json.loads((tmp_path / "anna.json").read_text(encoding="utf-8"))
    (c,) = doc["codings"]
    assert "Сейткалиев" not in json.dumps(doc, ensure_ascii=False)
    assert c["segment_text"][c["start"] : c["end"]] == c["quote"] and c["memo"].startswith("Имя-")
