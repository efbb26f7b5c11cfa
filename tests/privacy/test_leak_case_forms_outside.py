"""A name the review replaces in the segments leaves every other text in every case form
(leak hunt, session 9): outside the transcript the reviewed words were matched only as the
segment spelt them, so «Вера» added on its segment left «Вере» in the recording's notes, and
a detected «Айгүл Серікқызы» left «Айгүл» alone in a memo — in audio/recordings.yml,
codings/*.json, qualtool.db and every export."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import cli, env_vault, leaks

from qualtool.coding.actions import apply_codes, write_memo
from qualtool.domain import Memo
from qualtool.files.study import init_study
from qualtool.privacy import names, outside_names
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

REPO = Path(__file__).resolve().parents[2]
TURNS = [("R01", "Вера нам отказала в приёме, талон не дали."),
         ("R01", "Сәлеметсіз бе, менің атым Айгүл Серікқызы, ЦОН-да болдым.")]  # fmt: skip
NOTES = "Перезвонить Вере в пятницу. АЙГҮЛ не отвечает."
MEMO = "Айгүл просила не упоминать её; Верой недовольна."
CODING_MEMO = "Вере отказали, веры в ЦОН нет"
FORMS = ["Вера", "Вере", "Верой", "Айгүл", "АЙГҮЛ", "Серікқызы"]


def make_study(tmp_path: Path) -> Path:
    study = init_study(tmp_path / "study", name="Падежи", year=2025, coder="anna")
    (study.codebooks_dir / "barriers.yml").write_bytes(
        (REPO / "codebooks" / "barriers.yml").read_bytes()
    )
    ws = open_workspace(study.root, sync=True)
    rec = add_text_recording(ws.db, "idi-c", TURNS, region="Алматы", service="ЦОН")
    rec = rec_store.update_recording(ws.db, rec, notes=NOTES)
    first, second = [r[0] for r in ws.db.execute("SELECT id FROM segments ORDER BY idx")]
    apply_codes(ws, first, (0, len(TURNS[0][1])), ["STAFF.CONDUCT"], "anna", memo=CODING_MEMO)
    write_memo(ws, Memo("segment", str(second), MEMO, "anna"))
    write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    return study.root


def found(paths: list[Path]) -> dict[str, list[str]]:
    """Files holding a form (as written, upper or lower case, but «веры»: hope, no one's name)."""
    out: dict[str, list[str]] = {}
    for path in paths:
        for form in FORMS:
            blob = path.read_bytes()
            if any(f.encode() in blob for f in {form, form.capitalize(), form.upper()}):
                out.setdefault(str(path), []).append(form)
    return out


def test_every_case_form_of_a_reviewed_name_leaves_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    assert "Вере" in (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    added = cli(root, "anonymise", "--add", "idi-c#0=Вера", env=env)  # the detector misses it
    assert added.returncode == 0, added.stderr
    report = tmp_path / "before.md"  # an export before the apply: redacted the same way
    r = cli(root, "report", "--all-coders", "-o", str(report), env=env)
    assert r.returncode == 0, r.stderr
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert found(files) == {}, found(files)
    assert found([report]) == {}
    qdpx = tmp_path / "study.qdpx"
    r = cli(root, "refi", "export", str(qdpx), env=env)
    assert r.returncode == 0, r.stderr
    assert leaks([qdpx]) == {} and found([qdpx]) == {}
    ws = open_workspace(root)
    segment = ws.db.execute("SELECT text FROM segments WHERE idx = 0").fetchone()[0]
    notes = ws.db.execute("SELECT notes FROM recordings").fetchone()[0]
    memo = ws.db.execute("SELECT memo FROM codings").fetchone()[0]
    ws.close()
    vera = segment.split()[0]  # one person, one pseudonym: the segment's
    assert vera.startswith("Имя-") and notes.startswith(f"Перезвонить {vera} в пятницу."), notes
    assert memo == f"{vera} отказали, веры в ЦОН нет"  # «веры» (faith) is no one's name


def test_a_case_form_is_the_same_person_a_lowercase_word_only_if_reviewed_so() -> None:
    known = outside_names.reviewed(
        Entity(Kind.PERSON, 0, len(w), w, " ".join(names.identity(x) for x in w.split()), "manual")
        for w in ("Гульнара Сериковна", "надежда")
    )
    pseud = Pseudonymiser(b"k" * 32)
    first = pseud.replace("Гульнара Сериковна", outside_names.known_in("Гульнара Сериковна", known))
    text = "К Гульнаре Сериковне ходили; надежде звонили, Гульнара отказала; вере нет"
    new = pseud.replace(text, outside_names.known_in(text, known))[0]
    assert new == f"К {first[0]} ходили; Имя-2 звонили, Имя-3 отказала; вере нет", new


def test_a_name_added_on_a_speaker_label_leaves_its_case_forms_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--add speaker:REC=Надежда` renamed the label and speakers.yml, and left «Надежду» in
    the recording's notes and «Надежде» in the coder's memo (sentence-initial: the detector
    reads neither as a name)."""
    env = env_vault(tmp_path, monkeypatch)
    study = init_study(tmp_path / "study", name="Ярлыки", year=2025, coder="anna")
    (study.codebooks_dir / "barriers.yml").write_bytes(
        (REPO / "codebooks" / "barriers.yml").read_bytes()
    )
    ws = open_workspace(study.root, sync=True)
    turns = [("Надежда", "Мы пришли в ЦОН утром, очередь была большая."),
             ("Интервьюер", "А что было потом?")]  # fmt: skip
    rec = add_text_recording(ws.db, "fg-01", turns, region="ВКО", service="ЦОН")
    rec = rec_store.update_recording(ws.db, rec, notes="Надежду записали отдельно.")
    first = ws.db.execute("SELECT id FROM segments WHERE idx = 0").fetchone()[0]
    apply_codes(ws, first, (0, 10), ["STAFF.CONDUCT"], "anna", memo="Надежде не понравилось")
    write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    root = study.root
    r = cli(root, "anonymise", "--add", "speaker:fg-01=Надежда", env=env)
    assert r.returncode == 0, r.stderr
    layer = tmp_path / "anna.json"
    r = cli(root, "export-coder", "anna", "-o", str(layer), env=env)
    assert r.returncode == 0, r.stderr
    assert "Надежд".encode() not in layer.read_bytes()  # an export before the apply
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    data = b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())
    for form in ("Надежд", "НАДЕЖД", "надежд"):
        assert form.encode() not in data, form
    notes = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    assert "notes: Имя-1 записали отдельно." in notes, notes  # the label's pseudonym
