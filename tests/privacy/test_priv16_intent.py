"""Session 16 (PRIV16 item 7): `privacy/apply-intent.json`, outside the vault, held the planned
text of speakers.yml with a renamed recording's original key in it («интервью-гульнара-…»), so
an apply killed mid-way left an original name on disk until the next command. The intent
holds only pseudonymised texts; the apply still finishes with the same files."""

from __future__ import annotations

from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, env_vault, kill_apply_at, new_study

from qualtool.files import speaker_map
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

KEY = "интервью-гульнара-серикбаева"
TURNS = ["Расскажите.", "Меня зовут Гульнара Серикбаева, я пришла за справкой."]
NAMES = ["Гульнар", "Серикбаев", "Тулеген"]


@pytest.mark.parametrize("stage", ["before-db", "committed"])
def test_the_intent_of_a_killed_apply_holds_no_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)  # the interviewer's label names him
    add_text_recording(ws.db, KEY, [("Ержан Тулегенов", TURNS[0]), ("R01", TURNS[1])],
                       region="Алматы", service="ЦОН")  # fmt: skip
    write_outputs(ws, rec_store.list_recordings(ws.db)[0])
    ws.save_manifest()
    ws.close()
    (root / speaker_map.FILE).write_text(
        speaker_map.render_speaker_map({KEY: {"Ержан Тулегенов": "interviewer"}}, "ru"),
        encoding="utf-8",
    )
    kill_apply_at(root, env, stage, tmp_path / "stopped")
    intent = root / "privacy" / "apply-intent.json"
    assert intent.exists()
    assert_no_name(root, NAMES, [intent])
    nxt = cli(root, "ls", env=env)  # finishes (or rolls back) the apply
    assert nxt.returncode == 0, nxt.stderr
    if stage == "committed":
        assert_no_name(root, NAMES)
        assert "interviewer" in (root / speaker_map.FILE).read_text(encoding="utf-8")
