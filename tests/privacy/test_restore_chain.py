"""`--restore` after two applies with an edit between them (the leak hunt's repro): every
original comes back — the interviewer, the participant, the recording's key and file name — and
the edit made between the applies is kept, with its own name put back; recordings.yml, the
files on disk and the database agree. An edit that really conflicts is named in one line and
its original stays in the vault, which still opens; the partial outcome is said in one more line
and the exit is non-zero; a second `--restore` after fixing it finishes and empties the vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import cli, env_vault
from test_metadata_names import FILE, KEY, make_study, snapshot

from qualtool.coding.editing import edit_segment_text
from qualtool.privacy.apply import study_vault
from qualtool.privacy.restore import merge_back
from qualtool.store.privacy import segments
from qualtool.workspace.study import open_workspace

NOTES = "Перезвонить Ерлану Сейткалиеву"


def applies(root: Path) -> int:
    ws = open_workspace(root, sync=False)
    try:
        return len(study_vault(ws, create=False).applies)
    finally:
        ws.close()


def renamed_key(root: Path) -> str:
    return next(p.stem for p in (root / "transcripts").glob("интервью-имя-*.json"))


def test_edit_between_two_applies_round_trips(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    before = snapshot(root)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    key = renamed_key(root)
    assert cli(root, "edit", key, "--notes", NOTES, env=env).returncode == 0
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    manifest = (root / "audio" / "recordings.yml").read_bytes()
    assert "Ерлан".encode() not in manifest and "Айгерим".encode() not in manifest
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 0, back.stderr
    assert back.stderr.strip() == "", back.stderr  # nothing left behind
    after = snapshot(root)
    text = after.pop("audio/recordings.yml").decode()
    expected = before.pop("audio/recordings.yml").decode()
    assert after == before  # every other file byte for byte, under its own name
    assert "interviewer: Айгерим Бекова" in text and f"file: audio/{FILE}" in text
    assert f"key: {KEY}" in text and f"notes: {NOTES}" in text
    assert text.replace(f"  notes: {NOTES}\n", "") == expected  # only the edit differs
    assert (root / "audio" / FILE).exists()
    shown = cli(root, "show", KEY, env=env)
    assert "Айгерим Бекова" in shown.stdout and "Гульнара Серикбаевна" in shown.stdout
    assert "Ерлану Сейткалиеву" in shown.stdout
    assert applies(root) == 0
    synced = cli(root, "sync", env=env)
    assert synced.returncode == 0 and cli(root, "show", KEY, env=env).stdout == shown.stdout


def test_a_conflicting_edit_stays_in_the_vault(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    key = renamed_key(root)
    interviewer = next(line for line in (root / "audio" / "recordings.yml").read_text(
        encoding="utf-8").splitlines() if "interviewer: Имя-" in line).split(": ", 1)[1]  # fmt: skip
    edited = f"{interviewer}9"  # the pseudonym typed on: not the apply's any more
    assert cli(root, "edit", key, "--interviewer", edited, env=env).returncode == 0
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 1, back.stderr  # a partial outcome is a failure
    lines = [x for x in back.stderr.splitlines() if x.strip()]
    assert len(lines) == 2 and "recordings" in lines[0] and "interviewer" in lines[0], lines
    assert "vault" in lines[0]
    assert lines[1] == ("error: 1 item could not be restored and stays in the vault (see above); "
                        "the rest is back"), lines  # fmt: skip
    ru = cli(root, "anonymise", "--restore", env=env, lang="ru")
    assert ru.returncode == 1 and ru.stderr.splitlines()[-1].startswith("ошибка: 1 элемент не "), \
        ru.stderr  # fmt: skip
    assert applies(root) == 1  # the interviewer's original is not lost
    shown = cli(root, "show", KEY, env=env)
    assert "Гульнара Серикбаевна" in shown.stdout and edited in shown.stdout
    # fixed: the value the apply wrote, again; the second --restore finishes
    assert cli(root, "edit", KEY, "--interviewer", interviewer, env=env).returncode == 0
    again = cli(root, "anonymise", "--restore", env=env)
    assert again.returncode == 0 and again.stderr.strip() == "", again.stderr
    assert "Айгерим Бекова" in cli(root, "show", KEY, env=env).stdout
    assert applies(root) == 0


def test_merge_back_puts_originals_where_the_pseudonyms_still_are() -> None:
    before = "Меня принимала Айгерим Нурлановна, потом Ерлан."
    after = "Меня принимала Имя-1, потом Имя-2."
    assert merge_back(before, after, after) == before
    edited = "Вчера меня принимала Имя-1, потом Имя-2. Ужас."
    assert merge_back(before, after, edited) == "Вчера " + before[:1].lower() + before[1:] + \
        " Ужас."  # fmt: skip
    assert merge_back(before, after, "Меня принимала Имя-1, потом никто.") == (
        "Меня принимала Айгерим Нурлановна, потом никто.")  # fmt: skip
    assert merge_back(before, after, "Меня принимала Имя-12, потом Имя-2.") is None
    assert merge_back("Айгерим Бекова", "Имя-3", "Имя-3, ведущая") == "Айгерим Бекова, ведущая"


def test_a_renamed_recordings_transcript_edited_since_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recording's transcript moves back to its original key before the vault's copy is
    weighed: edited since the apply, it is written from the database (the edit kept, the key's
    name back), not replaced by the copy from before the edit."""
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    key = renamed_key(root)
    ws = open_workspace(root, sync=True)
    seg = next(s for s in segments(ws.db) if s["recording"] == key and s["idx"] == 2)
    edit_segment_text(ws, seg["id"], seg["text"] + " Ужас.")
    ws.close()
    assert "Ужас".encode() in (root / "transcripts" / f"{key}.json").read_bytes()
    back = cli(root, "anonymise", "--restore", env=env)
    assert back.returncode == 0 and back.stderr.strip() == "", back.stderr
    assert not (root / "transcripts" / f"{key}.json").exists()
    assert "Ужас".encode() in (root / "transcripts" / f"{KEY}.json").read_bytes()
    assert applies(root) == 0
