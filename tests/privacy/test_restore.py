"""apply → --restore with the key gives back byte-identical transcript and layer files and the
original rows; without the key (missing key file, wrong key, no passphrase) it refuses clearly
and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import CODED, cli, env_vault, leaks
from test_leak import make_study


def snapshot(root: Path) -> dict[Path, bytes]:
    files = [*(root / "transcripts").iterdir(), *(root / "codings").iterdir()]
    return {p: p.read_bytes() for p in sorted(files)}


def one_line_error(r, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert r.returncode == 1, r.stdout
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_restore_round_trip_with_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    before = snapshot(root)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    after = snapshot(root)
    assert after != before and leaks(list(after)) == {}
    key = next((tmp_path / "vault" / "vault").glob("*.key"))
    moved = tmp_path / "elsewhere.key"
    key.rename(moved)
    one_line_error(cli(root, "anonymise", "--restore", env=env), "key file")
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(b"x" * 44)
    one_line_error(cli(root, "anonymise", "--restore", "--key-file", str(wrong), env=env),
                   "wrong key")  # fmt: skip
    assert snapshot(root) == after  # refusals changed nothing
    r = cli(root, "anonymise", "--restore", "--key-file", str(moved), env=env)
    assert r.returncode == 0, r.stderr
    assert snapshot(root) == before  # byte-identical transcripts and coder layers
    quotes = cli(root, "quotes", "ls", "--all-coders", "--include-originals", env=env)
    assert "Нурлановой" in quotes.stdout
    listed = cli(root, "anonymise", "--key-file", str(moved), env=env)
    assert CODED[15:33] in listed.stdout  # the originals are back in the database too


def test_passphrase_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**env_vault(tmp_path, monkeypatch), "QUALTOOL_VAULT_PASSPHRASE": "длинная фраза 2025"}
    root = make_study(tmp_path)
    before = snapshot(root)
    assert cli(root, "anonymise", "--apply", env=env).returncode == 0
    assert not list((tmp_path / "vault" / "vault").glob("*.key"))
    no_pass = {k: v for k, v in env.items() if k != "QUALTOOL_VAULT_PASSPHRASE"}
    one_line_error(cli(root, "anonymise", "--restore", env=no_pass), "passphrase")
    one_line_error(cli(root, "anonymise", "--restore", "--passphrase", "неверно", env=no_pass),
                   "wrong key or passphrase")  # fmt: skip
    assert cli(root, "anonymise", "--restore", env=env).returncode == 0
    assert snapshot(root) == before
