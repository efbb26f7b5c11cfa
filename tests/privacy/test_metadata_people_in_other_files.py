"""The people of the recordings' metadata in the study's other files: a speaker label in
speakers.yml and a conflict file (conflicts/) naming the interviewer «Шолпан Кенжебаева» — in
another case form, by her surname alone — lose her name at `anonymise --apply` as every other
text does, with her pseudonym, and the correction in speakers.yml still names the segments'
label. Also when the apply is killed after its database step and finished by the next command
with the vault locked: the plan's texts, not a cleaning made anew knowing no one (which left
her in speakers.yml)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import cli, env_vault, kill_apply_at, new_study

from qualtool.files.speaker_map import load_speaker_map, set_role
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

NEEDLES = ["шолпан", "кенжебаев"]
LABELS = ["Шолпан Кенжебаева", "Кенжебаева"]  # the interviewer's turns, as an import labels them


def make_study(tmp_path: Path) -> Path:
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    rec = add_text_recording(ws.db, "idi-01", [(LABELS[0], "Расскажите, как всё было?"),
                                               ("R01", "Очередь была два часа."),
                                               (LABELS[1], "А потом?")],
                             interviewer="Шолпан Кенжебаева")  # fmt: skip
    write_outputs(ws, rec)
    for label in LABELS:
        set_role(root, "idi-01", label, "interviewer")
    (root / "conflicts").mkdir()
    (root / "conflicts" / "vera-20250101T000000.json").write_text(json.dumps(
        {"source": "vera.json", "conflicts": [{"recording": "idi-01", "quote": "Шолпан "
         "Кенжебаева спросила про очередь", "memo": "уточнить у Кенжебаевой"}]},
        ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    ws.save_manifest()
    ws.close()
    return root


def check_clean(root: Path) -> None:
    """No form of her name in any file; speakers.yml names the segments' labels, and she has
    one pseudonym in the metadata, the labels and the conflict file."""
    assert_no_name(root, NEEDLES)
    manifest = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    her = re.search(r"interviewer: (Имя-\d+)", manifest)
    assert her, manifest
    md = (root / "transcripts" / "idi-01.md").read_text(encoding="utf-8")
    labels = set(load_speaker_map(root)["idi-01"])
    # both labels are her: «Кенжебаева» alone is the study's one Кенжебаева (`in_study`)
    assert labels == {her[1]} and f"{her[1]}: А потом?" in md, (labels, md)
    conflict = (root / "conflicts" / "vera-20250101T000000.json").read_text(encoding="utf-8")
    assert f"{her[1]} спросила" in conflict and '"recording": "idi-01"' in conflict, conflict
    assert f"уточнить у {her[1]}" in conflict, conflict


def test_labels_and_conflicts_lose_the_interviewers_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    assert {"speakers.yml", "conflicts/vera-20250101T000000.json"} <= set(names_left(root, NEEDLES))
    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    check_clean(root)


def test_a_killed_apply_finished_with_the_vault_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed once its database step committed; the next command cannot open the vault (a
    passphrase it is not given), so no one's name can be known then: the files are still
    written as the plan made them."""
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    kill_apply_at(root, {**env, "QUALTOOL_VAULT_PASSPHRASE": "долгий пароль"}, "committed",
                  tmp_path / "stopped")  # fmt: skip
    assert "speakers.yml" in names_left(root, NEEDLES)  # step 4 had not begun
    nxt = cli(root, "ls", env=env)  # no passphrase: the vault stays locked
    assert nxt.returncode == 0, nxt.stderr
    assert "an interrupted anonymisation was completed" in nxt.stderr
    assert not (root / "privacy" / "apply-intent.json").exists()
    check_clean(root)
