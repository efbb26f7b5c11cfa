"""Importing recordings: metadata, copies, and every rejection path leaving nothing behind."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import AUDIO

from qualtool.domain import Language, Method, Participant, Recording, Role
from qualtool.domain.errors import InvalidInput
from qualtool.files.manifest import read_manifest
from qualtool.recordings.importing import import_file, import_folder
from qualtool.store import recordings as store
from qualtool.workspace.study import open_workspace

META = Recording(
    method=Method.INTERVIEW, service="Пособие", region="ВКО", language=Language.RU,
    date=date(2025, 6, 12), interviewer="И1", consent=True,
    participants=(Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО"),),
)  # fmt: skip


def test_import_copies_file_and_records_metadata(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "Интервью 7.flac"
    shutil.copy(AUDIO / "idi-01.flac", src)
    rec = import_file(empty_study.study, empty_study.db, src, META)
    assert rec.key == "интервью-7"
    assert rec.path == "audio/Интервью 7.flac"
    assert (empty_study.study.root / rec.path).read_bytes() == src.read_bytes()
    assert 17.5 < rec.duration < 19 and rec.format == "flac"
    assert rec.participants[0].pseudonym == "R01" and rec.participants[0].age_band == "35-44"
    again = store.get_recording(empty_study.db, "интервью-7")
    assert again.service == "Пособие" and again.date == date(2025, 6, 12) and again.consent


@pytest.mark.parametrize("name", ["idi-02.flac", "fg-01.ogg", "ms-01.mp3"])
def test_formats_are_read(empty_study, name: str) -> None:  # type: ignore[no-untyped-def]
    rec = import_file(empty_study.study, empty_study.db, AUDIO / name, Recording())
    assert rec.duration > 10


def _rejected(ws, path: Path, match: str) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p.name for p in ws.study.audio_dir.iterdir())
    rows_before = store.list_recordings(ws.db)
    with pytest.raises(InvalidInput, match=match):
        import_file(ws.study, ws.db, path, META)
    assert store.list_recordings(ws.db) == rows_before  # no row added or changed
    assert sorted(p.name for p in ws.study.audio_dir.iterdir()) == before


def test_rejects_text_file(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "notes.wav"
    p.write_text("это не аудио, а заметки интервьюера\n" * 50, encoding="utf-8")
    _rejected(empty_study, p, "not a readable audio")


def test_rejects_empty_file(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "empty.mp3"
    p.touch()
    _rejected(empty_study, p, "empty file")


def test_rejects_truncated_file(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "cut.flac"
    p.write_bytes((AUDIO / "idi-01.flac").read_bytes()[:60])
    _rejected(empty_study, p, "audio")


def test_rejects_image(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "photo.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    _rejected(empty_study, p, "audio")


def test_rejects_missing_file(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _rejected(empty_study, tmp_path / "nowhere.wav", "no such file")


def test_rejects_duplicate(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_file(empty_study.study, empty_study.db, AUDIO / "idi-01.flac", META)
    copy = tmp_path / "renamed.flac"
    shutil.copy(AUDIO / "idi-01.flac", copy)
    _rejected(empty_study, copy, "duplicate of recording idi-01")
    assert len(store.list_recordings(empty_study.db)) == 1


def test_crash_during_insert_leaves_no_row_and_no_file(empty_study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(db, person):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "upsert_participant", boom)
    with pytest.raises(RuntimeError):
        import_file(empty_study.study, empty_study.db, AUDIO / "idi-01.flac", META)
    assert store.list_recordings(empty_study.db) == []
    assert list(empty_study.study.audio_dir.glob("*.flac")) == []
    assert list(empty_study.study.audio_dir.glob(".*partial")) == []


def test_folder_import_reports_bad_files(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "field"
    folder.mkdir()
    shutil.copy(AUDIO / "idi-01.flac", folder / "a.flac")
    shutil.copy(AUDIO / "ms-01.mp3", folder / "b.mp3")
    (folder / "c.wav").write_text("broken")
    (folder / "readme.txt").write_text("ignored")
    result = import_folder(empty_study.study, empty_study.db, folder, META)
    assert [r.key for r in result.added] == ["a", "b"]
    assert [p.name for p, _ in result.skipped] == ["c.wav"]


def test_manifest_rebuilds_a_lost_database(empty_study) -> None:  # type: ignore[no-untyped-def]
    ws = empty_study
    import_file(ws.study, ws.db, AUDIO / "idi-01.flac", META)
    ws.save_manifest()
    assert read_manifest(ws.study)[0]["participants"][0]["pseudonym"] == "R01"
    ws.close()
    for p in ws.study.root.glob("qualtool.db*"):
        p.unlink()
    ws2 = open_workspace(ws.study.root)
    rec = store.get_recording(ws2.db, "idi-01")
    assert rec.region == "ВКО" and rec.participants[0].gender == "f"
    ws2.close()


def test_fresh_clone_of_sample_study_lists_recordings(sample_copy: Path) -> None:
    ws = open_workspace(sample_copy)
    recs = store.list_recordings(ws.db)
    assert {r.key for r in recs} == {"idi-01", "idi-02", "fg-01", "ms-01"}
    fg = store.get_recording(ws.db, "fg-01")
    assert fg.method == Method.FOCUS_GROUP and len(fg.participants) == 3
    assert len(list(ws.db.query("SELECT id FROM codes"))) >= 50
    ws.close()
