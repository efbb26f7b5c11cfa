"""A killed `anonymise --apply` finished by the next command while the vault is locked (its
passphrase not given), then `--restore` with the vault open: every original comes back — the
recording's key and its media file's name included, which the finish renamed without the vault
— byte for byte and under its own name. The finish makes the renames the vault's record
journals (the participant's pseudonym and the key's are one person's), named in the intent by
the recording's id and their new names only: after the finish no original name is in any file
of the study or its database, the vault outside it. An apply the next command rolled back with
the vault locked leaves the vault when it next opens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, env_vault, kill_apply_at
from test_metadata_names import FILE, KEY, NEEDLES, make_study, snapshot

from qualtool.privacy.apply import study_vault
from qualtool.workspace.study import open_workspace

SECRET = "долгий пароль"


def _applies(root: Path) -> list[dict[str, object]]:
    ws = open_workspace(root, sync=False)
    try:
        return study_vault(ws, passphrase=SECRET, create=False).applies
    finally:
        ws.close()


@pytest.mark.parametrize("stage", ["committed", "files"])  # before the renames, after them
def test_a_locked_finish_is_restored_with_its_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    unlocked = {**env, "QUALTOOL_VAULT_PASSPHRASE": SECRET}
    root = make_study(tmp_path)
    before = snapshot(root)
    kill_apply_at(root, unlocked, stage, tmp_path / "stopped")
    intent = (root / "privacy" / "apply-intent.json").read_text(encoding="utf-8")
    assert not [n for n in NEEDLES if n in intent.lower()], intent  # the renames by id
    nxt = cli(root, "ls", env=env)  # no passphrase: the vault stays locked
    assert nxt.returncode == 0, nxt.stderr
    assert "an interrupted anonymisation was completed" in nxt.stderr
    assert not (root / "privacy" / "apply-intent.json").exists()
    assert_no_name(root, NEEDLES)  # the database's note for the vault names no one
    manifest = (root / "audio" / "recordings.yml").read_text(encoding="utf-8")
    her = re.search(r"pseudonym: (Имя-\d+)", manifest)
    assert her, manifest
    key = f"интервью-{her[1].lower()}"  # the vault's plan: her pseudonym, not a new number
    assert f"key: {key}\n" in manifest and (root / "transcripts" / f"{key}.json").exists()
    assert (root / "audio" / f"Интервью {her[1]}.flac").exists(), manifest
    assert [a["state"] for a in _applies(root)] == ["pending"]  # the vault was not opened

    back = cli(root, "anonymise", "--restore", env=unlocked)
    assert back.returncode == 0, back.stderr
    assert back.stderr.strip() == "", back.stderr  # nothing left behind
    assert snapshot(root) == before  # every file back, under its own name
    assert (root / "audio" / FILE).exists() and not (root / "transcripts" / f"{key}.json").exists()
    shown = cli(root, "show", KEY, env=env)
    assert "Айгерим Бекова" in shown.stdout and "Гульнара Серикбаевна" in shown.stdout
    assert _applies(root) == []


def test_a_locked_finish_then_another_apply_restores_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next apply, with the vault open, marks the earlier one done first: `--restore` then
    undoes both, last first."""
    env = env_vault(tmp_path, monkeypatch)
    unlocked = {**env, "QUALTOOL_VAULT_PASSPHRASE": SECRET}
    root = make_study(tmp_path)
    before = snapshot(root)
    kill_apply_at(root, unlocked, "committed", tmp_path / "stopped")
    assert cli(root, "ls", env=env).returncode == 0  # finished, the vault locked
    key = next(p.stem for p in (root / "transcripts").glob("интервью-имя-*.json"))
    assert cli(root, "edit", key, "--notes", "Перезвонить Ерлану", env=env).returncode == 0
    r = cli(root, "anonymise", "--apply", env=unlocked)
    assert r.returncode == 0, r.stderr
    assert [a["state"] for a in _applies(root)] == ["done", "done"]
    assert_no_name(root, [*NEEDLES, "ерлан"])
    back = cli(root, "anonymise", "--restore", env=unlocked)
    assert back.returncode == 0 and back.stderr.strip() == "", back.stderr
    after = snapshot(root)
    text = after.pop("audio/recordings.yml").decode()
    expected = before.pop("audio/recordings.yml").decode()
    assert after == before
    assert text.replace("  notes: Перезвонить Ерлану\n", "") == expected


def test_a_locked_rollback_leaves_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    unlocked = {**env, "QUALTOOL_VAULT_PASSPHRASE": SECRET}
    root = make_study(tmp_path)
    before = snapshot(root)
    kill_apply_at(root, unlocked, "in-db", tmp_path / "stopped")  # its transaction never committed
    nxt = cli(root, "ls", env=env)
    assert "rolled back" in nxt.stderr, nxt.stderr
    assert snapshot(root) == before
    assert [a["state"] for a in _applies(root)] == ["pending"]
    back = cli(root, "anonymise", "--restore", env=unlocked)
    assert back.returncode == 0 and back.stderr.strip() == "", back.stderr
    assert snapshot(root) == before and _applies(root) == []
