"""Keys, file names and metadata named after a person the apply's segment findings did not
name: a key «интервью-айгерим-бековой» over a transcript without a name; a key and an
interviewer added after the person was replaced by an earlier apply (the vault knows her);
file names and keys in Latin letters or with underscores («sholpan_kenzhebaeva.flac»,
«imported:Шолпан_К_заметки.txt», a conflicts/ file's source path). After `anonymise --apply`
no form of the names is left in any file's bytes or name, or in qualtool.db."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import AUDIO
from name_leaks import assert_no_name, names_left
from study_seed import cli, env_vault

from qualtool.domain import Recording
from qualtool.files.study import init_study
from qualtool.privacy import key_names, metadata, outside_names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import import_transcript, write_outputs

REPO = Path(__file__).resolve().parents[2]
NEEDLES = ["шолпан", "кенжебаев", "sholpan", "kenzhebaev", "айгерим", "беков"]
SCRIPT = "[00:00:01] R: Очередь была два часа.\n[00:00:05] R: Портал завис.\n"


KNOWN = outside_names.reviewed(
    [Entity(Kind.PERSON, 0, 17, "Шолпан Кенжебаева", "шолпан кенжебаев")]
)


@pytest.mark.parametrize(
    ("stem", "names"),
    [
        ("интервью-айгерим-бековой", "айгерим-бековой"),
        ("шолпан-кенжебаева-повтор", "шолпан-кенжебаева"),
        ("sholpan_kenzhebaeva_notes", "sholpan_kenzhebaeva"),
        ("interview-sholpan-kenzhebaeva", "sholpan-kenzhebaeva"),
        ("Sholpan_Kenzhebayeva", "Sholpan_Kenzhebayeva"),  # y for е
        ("Шолпан_К_заметки", "Шолпан"),
        ("sholpan_kenzhebaeva_dana", "sholpan_kenzhebaeva"),  # «dana» is also a word
        ("интервью-шолпан", "шолпан"),
    ],
)
def test_a_person_in_a_key_or_file_stem(stem: str, names: str) -> None:
    found = key_names.find(stem, KNOWN)
    assert [e.text for e in found] == [names]
    if "шолпан" in names.lower() or "sholpan" in names.lower():
        assert found[0].key == "шолпан кенжебаев"  # one person, one pseudonym


@pytest.mark.parametrize("stem", ["idi-01", "интервью-цон-алматы", "dana-report", "notes_2025",
                                  "admin_bulletin"])  # fmt: skip
def test_no_person_in_an_ordinary_key(stem: str) -> None:
    assert key_names.find(stem, KNOWN) == []


def test_latin_spellings_fold_their_variants() -> None:
    assert key_names.skeleton("Kenzhebayeva") == key_names.latin("Кенжебаева")
    assert key_names.skeleton("Asel") == key_names.skeleton("Assel") == key_names.latin("Асель")
    assert key_names.skeleton("Khadisha") == key_names.skeleton("Hadisha")
    assert key_names.skeleton("Zhanar") == key_names.skeleton("Janar") == key_names.latin("Жанар")


@pytest.mark.parametrize(
    ("model", "cleaned"),
    [
        ("imported:Шолпан_К_заметки.txt", "imported:Имя-1_К_заметки.txt"),
        ("imported:sholpan_kenzhebaeva_notes.txt", "imported:Имя-1_notes.txt"),
        ("imported:Гульнара Серикбаевна.txt", "imported:Имя-1.txt"),
        ("imported:idi-01.txt", "imported:idi-01.txt"),
    ],
)
def test_an_imported_files_name_is_cleaned(model: str, cleaned: str) -> None:
    pseud = Pseudonymiser(b"k" * 32)
    det = Detector()

    def stem(s: str) -> str:
        return metadata.clean_stem(s, pseud, det.detect, KNOWN)

    assert metadata.clean_source(model, lambda t: pseud.apply(t, det.detect), stem) == cleaned


def make_study(tmp_path: Path) -> Path:
    study = init_study(tmp_path / "study", name="Ключи", year=2025, coder="anna")
    shutil.copy(REPO / "codebooks" / "barriers.yml", study.codebooks_dir / "barriers.yml")
    ws = open_workspace(study.root, sync=True)
    first = add_text_recording(ws.db, "idi-01", [
        ("R01", "Меня принимала Шолпан Кенжебаева, она была вежлива."),
    ])  # fmt: skip
    write_outputs(ws, first)
    quiet = add_text_recording(ws.db, "интервью-айгерим-бековой", [("R01", "Всё было быстро.")])
    write_outputs(ws, quiet)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    return study.root


def add_later(tmp_path: Path, root: Path) -> None:
    """After the first apply: a recording named after the person it replaced, her file in Latin
    letters, a transcript imported from a file named after her, a conflicts/ file."""
    ws = open_workspace(root, sync=True)
    again = add_text_recording(ws.db, "шолпан-кенжебаева-повтор", [("R01", "Очередь была.")],
                               interviewer="Шолпан Кенжебаева")  # fmt: skip
    write_outputs(ws, again)
    src = tmp_path / "sholpan_kenzhebaeva.flac"
    shutil.copy(AUDIO / "idi-01.flac", src)
    rec = import_file(ws.study, ws.db, src, Recording(key="interview-sholpan-kenzhebaeva"))
    typed = tmp_path / "sholpan_kenzhebaeva_notes.txt"
    typed.write_text(SCRIPT, "utf-8")
    import_transcript(ws, rec, typed, allow_originals=True)
    other = add_text_recording(ws.db, "idi-03", [("R01", "Справку не дали.")])
    typed = tmp_path / "Шолпан_К_заметки.txt"
    typed.write_text(SCRIPT, "utf-8")
    import_transcript(ws, other, typed, allow_originals=True)
    conflicts = ws.study.root / "conflicts"
    conflicts.mkdir()
    (conflicts / "vera-20250101T000000.json").write_text(json.dumps(
        {"source": "/home/vera/sholpan_kenzhebaeva_dana.json", "conflicts": []},
        ensure_ascii=False), encoding="utf-8")  # fmt: skip
    ws.save_manifest()
    ws.save_layers()
    ws.close()


def test_apply_renames_every_key_and_file_named_after_someone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NEEDLES)
    first = (root / "transcripts" / "idi-01.md").read_text(encoding="utf-8")
    person = first.split("принимала ")[1].split(",")[0]
    assert person.startswith("Имя-")
    add_later(tmp_path, root)
    assert names_left(root, NEEDLES)  # the check sees the new names
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NEEDLES)
    manifest = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    assert f"interviewer: {person}\n" in manifest  # the same person, whole: not «Шолпан Имя-2»
    slugged = person.lower()
    assert (root / "transcripts" / f"{slugged}-повтор.json").exists()
    assert (root / "transcripts" / f"interview-{slugged}.json").exists()
    ws = open_workspace(root, sync=False)
    try:
        models = [m for (m,) in ws.db.execute("SELECT model FROM transcripts") if m]
        keys = [r.key for r in rec_store.list_recordings(ws.db)]
    finally:
        ws.close()
    assert any(m.startswith(f"imported:{person}_notes") for m in models), models
    assert not any("айгерим" in k for k in keys), keys


def test_a_known_persons_latin_spelling_in_any_text() -> None:
    """A memo or a path in Latin letters: the known person's spelling is found, an English word
    that only looks like a short name part is not."""
    known = outside_names.reviewed([Entity(Kind.PERSON, 0, 10, "Ольга Тен", "ольга тен")])
    found = outside_names.known_in("Called Olga at ten; see /tmp/olga_ten.json", known)
    assert [e.text for e in found] == ["Olga", "olga"]
