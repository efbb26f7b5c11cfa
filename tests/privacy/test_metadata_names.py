"""Names in a recording's metadata: a recording named after its respondent, an interviewer and
a participant typed as real names. The listing names each; after `anonymise --apply` no case
form of them is left in any file of the study — file names included — or in qualtool.db's
bytes; pseudonyms already in the metadata stay; `--restore` gives back every file, byte for
byte and under its own name."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import AUDIO
from name_leaks import assert_no_name, names_left
from study_seed import cli, env_vault, every_file, named_import

from qualtool.coding.actions import apply_codes, write_memo
from qualtool.domain import Memo, Participant, Recording, Role
from qualtool.files.study import init_study
from qualtool.privacy import metadata
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.privacy.review import study_detector
from qualtool.recordings.corpus import add_text_recording
from qualtool.recordings.importing import import_file
from qualtool.team.assignments import assign
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import import_transcript, write_outputs

REPO = Path(__file__).resolve().parents[2]
FILE = "Интервью Гульнара Серикбаевна.flac"
KEY = "интервью-гульнара-серикбаевна"
SCRIPT = [
    (0.0, 3.0, "Расскажите, как вы получали услугу?"),
    (3.5, 8.0, "Мне пришлось три раза приходить в ЦОН, справки требовали каждый раз."),
    (9.0, 12.0, "Портал завис, подпись не срабатывала."),
]
# every case form of the names (and the words the key and file were made of)
NEEDLES = ["гульнар", "серикбаевн", "айгерим", "беков"]


def make_study(tmp_path: Path) -> Path:
    ws, rec = named_import(tmp_path, "Метаданные", FILE, Participant(
        "Гульнара Серикбаевна", Role.RECIPIENT, "f", attributes={"обращение": "Гульнара"}))  # fmt: skip
    assert rec.key == KEY
    typed = tmp_path / "Гульнара Серикбаевна.txt"  # a transcript typed elsewhere, named after her
    typed.write_text("".join(f"[00:00:{int(a):02d}] R: {t}\n" for a, _b, t in SCRIPT), "utf-8")
    import_transcript(ws, rec, typed)
    seg = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    apply_codes(ws, seg, (0, 12), ["STAFF.CONDUCT"], "anna")
    write_memo(ws, Memo("recording", KEY, "Перезвонить Гульнаре после обеда", "anna"))
    assign(ws, KEY, "anna")
    other = add_text_recording(ws.db, "idi-02", [("R01", "Очередь была два часа.")],
                               interviewer="Интервьюер 1",
                               participants=[Participant("R01", Role.RECIPIENT)])  # fmt: skip
    write_outputs(ws, other)
    # a text source (no media file) named after the interviewer: its key, path and checksum
    talk = add_text_recording(ws.db, "беседа-айгерим", [("R01", "Всё было быстро.")])
    write_outputs(ws, talk)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    return ws.study.root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in every_file(root)
            if not p.name.startswith("qualtool.db")}  # fmt: skip


def test_listing_names_the_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    out = cli(root, "anonymise", env=env)
    assert out.returncode == 0, out.stderr
    assert f"{KEY}: interviewer «Айгерим Бекова» → Имя-" in out.stdout
    assert f"{KEY}: participant «Гульнара Серикбаевна» → Имя-" in out.stdout
    assert f"{KEY}: participant's обращение «Гульнара» → Имя-" in out.stdout
    assert f"{KEY}: the recording's key holds «гульнара-серикбаевна» → it will be renamed to " \
           "интервью-имя-" in out.stdout  # fmt: skip
    assert f"audio/{FILE} holds a name" in out.stdout
    assert "Интервьюер 1" not in out.stdout and "R01 " not in out.stdout  # pseudonyms already
    ru = cli(root, "anonymise", env=env, lang="ru")
    assert f"{KEY}: интервьюер «Айгерим Бекова» → Имя-" in ru.stdout, ru.stdout
    assert "будет переименована в интервью-имя-" in ru.stdout
    assert names_left(root, NEEDLES)  # only listed: nothing changed


def test_apply_leaves_no_name_in_metadata_files_or_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    before = snapshot(root)
    assert any("qualtool.db" in k for k in names_left(root, NEEDLES))  # sees the database too
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert "2 recordings renamed" in r.stdout
    assert_no_name(root, NEEDLES)
    manifest = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    assert "interviewer: Интервьюер 1" in manifest and "pseudonym: R01" in manifest
    key = next(p.stem for p in (root / "transcripts").glob("интервью-имя-*.json"))
    assert f"key: {key}" in manifest and f'"recording": "{key}"' in (
        root / "codings" / "anna.json").read_text(encoding="utf-8")  # fmt: skip
    assert f"recording: {key}" in (root / "codings" / "assignments.yml").read_text("utf-8")
    talk = next(p.stem for p in (root / "transcripts").glob("беседа-имя-*.json"))
    digest = hashlib.sha256(f"text:{talk}".encode()).hexdigest()
    assert f"file: text:{talk}\n  sha256: {digest}" in manifest  # not the old key's hash
    listed = cli(root, "ls", env=env)
    assert key in listed.stdout and "idi-02" in listed.stdout
    assert cli(root, "undo", env=env).returncode == 1  # apply leaves no history to undo
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 0, back.stderr
    assert snapshot(root) == before  # every file back, under its own name
    shown = cli(root, "show", KEY, env=env)
    assert "Айгерим Бекова" in shown.stdout and "Гульнара Серикбаевна" in shown.stdout


def test_restore_after_a_rename_of_ones_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recording renamed again after --apply: --restore brings the text back but leaves
    it under the new key, and puts no transcript file beside it for a key no longer there."""
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    key = next(p.stem for p in (root / "transcripts").glob("интервью-имя-*.json"))
    assert cli(root, "rename", key, "idi-01", env=env).returncode == 0
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 1, back.stderr  # not everything came back: said, non-zero
    assert f"transcripts/{KEY}.json: its recording was renamed since" in back.stderr
    assert back.stderr.splitlines()[-1].startswith("error: ") and \
        "could not be restored and stay in the vault (see above)" in back.stderr  # fmt: skip
    stems = sorted(p.stem for p in (root / "transcripts").glob("*.json"))
    assert stems == ["idi-01", "idi-02", "беседа-айгерим"]
    shown = cli(root, "show", "idi-01", env=env)
    assert "Айгерим Бекова" in shown.stdout and "audio/idi-01.flac" in shown.stdout


def test_one_person_typed_twice_is_never_left_with_the_name(empty_study) -> None:  # type: ignore[no-untyped-def]
    """«Гульнара» and «Гульнару» are one person, one pseudonym, which the participants table
    holds once: the second is told apart, not left as typed; «R01» and «Интервьюер 1» stay."""
    ws = empty_study
    add_text_recording(ws.db, "idi-01", [("R", "Да.")], interviewer="Интервьюер 1",
                       participants=[Participant("Гульнара"), Participant("R01")])  # fmt: skip
    add_text_recording(ws.db, "idi-02", [("R", "Нет.")], participants=[Participant("Гульнару")])
    planned = metadata.plan(ws, Pseudonymiser(), study_detector(ws), {})
    names = sorted(p["pseudonym"] for p in planned.participants)
    assert names == ["Имя-1", "Имя-1 (2)"], names
    assert not planned.recordings and not planned.renames  # nothing else holds a name


def test_a_file_outside_the_study_is_named_not_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imported with --no-copy, the file is the user's own: --apply renames the key but never
    moves the file, and both the listing and --apply say, one line for the recording, that the
    user must rename or move it; the study records it without the name."""
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Снаружи", year=2025, coder="anna")
    ws = open_workspace(study.root, sync=True)
    outside = tmp_path / "записи" / FILE
    outside.parent.mkdir()
    shutil.copy(AUDIO / "idi-01.flac", outside)
    rec = import_file(ws.study, ws.db, outside, Recording(), copy=False)
    assert rec.key == KEY and rec.path == str(outside)
    shutil.copy(AUDIO / "idi-02.flac", tmp_path / "idi-02.flac")
    kept = import_file(ws.study, ws.db, tmp_path / "idi-02.flac", Recording(), copy=False)
    assert kept.key == "idi-02"  # no name in its path: not mentioned
    ws.save_manifest()
    ws.close()
    said = re.compile(f"warning: {re.escape(KEY)}: the file outside the study "
                      f"{re.escape(str(outside))} holds a name → the study will name it "
                      f"{re.escape(str(outside.parent))}/Интервью Имя-\\d+\\.flac; rename or move "
                      r"the file there yourself \(qualtool does not touch files outside the "
                      r"study\)")  # fmt: skip

    listed = cli(study.root, "anonymise", env=env)
    assert listed.returncode == 0, listed.stderr
    warned = [x for x in listed.stderr.splitlines() if x.startswith("warning")]
    assert len(warned) == 1 and said.fullmatch(warned[0]), listed.stderr
    assert "idi-02" not in listed.stderr
    assert f"{KEY}: the recording's key holds" in listed.stdout  # the key is renamed as ever
    ru = cli(study.root, "anonymise", env=env, lang="ru")
    assert f"предупреждение: {KEY}: файл вне исследования {outside} содержит имя" \
        in ru.stderr, ru.stderr  # fmt: skip

    applied = cli(study.root, "anonymise", "--apply", env=env)
    assert applied.returncode == 0, applied.stderr
    told = [x for x in applied.stderr.splitlines() if x.startswith("warning: ")]
    assert len(told) == 1 and told[0].startswith(f"warning: {KEY}: the file outside the study "
                                                 f"{outside} holds a name"), told  # fmt: skip
    assert outside.exists()  # never moved
    assert sorted(p.name for p in outside.parent.iterdir()) == [FILE]
    shown = cli(study.root, "ls", env=env)
    assert KEY not in shown.stdout and "интервью-имя-" in shown.stdout
    assert_no_name(study.root, NEEDLES)


def test_a_named_file_outside_the_study_is_recorded_without_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«…/home/u/Шолпан_Кенжебаева.flac», added with --no-copy: after --apply no file of the
    study keeps the name — recordings.yml records the path with a pseudonym — and one line
    tells the user to rename or move the file there; qualtool never touches it, so until they
    do its media shows as missing. --restore records the old path again; moved by hand, the
    file is found."""
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Снаружи", year=2025, coder="anna")
    open_workspace(study.root, sync=True).close()
    outside = tmp_path / "home" / "u" / "Шолпан_Кенжебаева.flac"
    outside.parent.mkdir(parents=True)
    shutil.copy(AUDIO / "idi-01.flac", outside)
    audio = outside.read_bytes()
    added = cli(study.root, "add", str(outside), "--no-copy", "--key", "idi-05", env=env)
    assert added.returncode == 0, added.stderr
    manifest = study.root / "audio" / "recordings.yml"
    before = manifest.read_bytes()
    names = ["шолпан", "кенжебаев"]
    assert names_left(study.root, names)

    applied = cli(study.root, "anonymise", "--apply", env=env)
    assert applied.returncode == 0, applied.stderr
    assert_no_name(study.root, names)
    new = next(line.split(": ", 1)[1] for line in manifest.read_text("utf-8").splitlines()
               if line.strip().startswith("file: "))  # fmt: skip
    assert re.fullmatch(rf"{re.escape(str(outside.parent))}/Имя-\d+\.flac", new), new
    told = [x for x in applied.stderr.splitlines() if x.strip()]
    assert told == [f"warning: idi-05: the file outside the study {outside} holds a name, so "
                    f"the study now names it {new}: rename or move the file there yourself "
                    "(qualtool does not touch files outside the study); until then its media "
                    "is missing"], told  # fmt: skip
    assert outside.read_bytes() == audio and sorted(outside.parent.iterdir()) == [outside]
    assert f"file: {new} (missing)" in cli(study.root, "show", "idi-05", env=env).stdout
    for f in study.root.glob("qualtool.db*"):  # rebuilt from the files: the path they record
        f.unlink()
    assert f"file: {new} (missing)" in cli(study.root, "show", "idi-05", env=env).stdout
    assert_no_name(study.root, names)

    back = cli(study.root, "anonymise", "--restore", env=env)
    assert back.returncode == 0, back.stderr
    assert manifest.read_bytes() == before
    shown = cli(study.root, "show", "idi-05", env=env).stdout
    assert f"file: {outside}\n" in shown and "(missing)" not in shown

    assert cli(study.root, "anonymise", "--apply", env=env).returncode == 0
    assert f"file: {new}\n" in manifest.read_text("utf-8")  # the same pseudonym again
    Path(new).parent.mkdir(parents=True, exist_ok=True)
    outside.rename(new)  # the user moves the file as told
    shown = cli(study.root, "show", "idi-05", env=env).stdout
    assert f"file: {new}\n" in shown and "(missing)" not in shown
