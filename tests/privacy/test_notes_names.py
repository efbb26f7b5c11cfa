"""A recording's notes, typed into audio/recordings.yml by hand («Со слов Шолпан Кенжебаева…»)
and read by `qualtool sync`: the listing, an export made before `--apply` and `--apply` leave
no form of the name anywhere, and the notes name the interview's person by the interview's
pseudonym — her full name in the notes makes the transcript's «Шолпан» and «Кенжебаевой» hers,
and a surname alone in the notes («Перезвонить Бековой») is the interview's «Айгерим Бекова»."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from name_leaks import assert_no_name
from ruamel.yaml import YAML
from study_seed import add_recording, cli, numbers, study_of, transcript

NOTES = {"int-01": "Со слов Шолпан Кенжебаева…", "int-02": "Перезвонить Бековой в пятницу."}
NAMES = ["Шолпан", "Кенжебаев", "Айгерим", "Беков"]  # every form holds one, in any case


def _notes_by_hand(root: Path) -> None:
    """The notes written into audio/recordings.yml, as a user edits it, and synced."""
    path = root / "audio" / "recordings.yml"
    yaml = YAML()
    doc = yaml.load(path.read_text(encoding="utf-8"))
    for entry in doc["recordings"]:
        entry["notes"] = NOTES[entry["key"]]
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)


def _notes(root: Path) -> dict[str, str]:
    doc = YAML(typ="safe").load((root / "audio" / "recordings.yml").read_text(encoding="utf-8"))
    return {e["key"]: e.get("notes", "") for e in doc["recordings"]}


def test_a_name_in_the_notes_is_replaced_with_the_interviews_pseudonym(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "int-01", [
        "Шолпан пришла в ЦОН утром.",
        "У Кенжебаевой не было справки о доходах.",
    ])  # fmt: skip
    add_recording(root, "int-02", ["Меня принимала Айгерим Бекова, она была вежлива."])
    _notes_by_hand(root)
    synced = cli(root, "sync", env=env)
    assert synced.returncode == 0, synced.stderr
    assert _notes(root) == NOTES
    assert cli(root, "anonymise", env=env).returncode == 0

    out = tmp_path / "out"
    out.mkdir()
    export = cli(root, "refi", "export", str(out / "s.qdpx"), env=env)
    assert export.returncode == 0, export.stderr
    with zipfile.ZipFile(out / "s.qdpx") as z:
        z.extractall(out / "qdpx")
    project = (out / "qdpx" / "project.qde").read_text(encoding="utf-8")
    assert "Со слов Имя-" in project and "Перезвонить Имя-" in project, project
    assert_no_name(out, NAMES, sorted(p for p in out.rglob("*") if p.is_file()))

    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    her = [numbers(line) for line in transcript(root, "int-01")]
    (bekova,) = [numbers(line) for line in transcript(root, "int-02")]
    assert her[0] == her[1] and len(her[0]) == 1, her  # «Шолпан», «Кенжебаевой»: one person
    assert _notes(root) == {"int-01": f"Со слов Имя-{her[0][0]}…",
                            "int-02": f"Перезвонить Имя-{bekova[0]} в пятницу."}  # fmt: skip
    assert_no_name(root, NAMES)
