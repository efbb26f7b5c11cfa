"""Playback hands the right stretch of the recording to whichever player is installed, and says
why when it cannot play (no player, no sound device, missing file)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import AUDIO

from qualtool.recordings import playback


def fake_player(bin_dir: Path, name: str, log: Path) -> None:
    """A stand-in player on PATH that records the arguments it was started with."""
    script = bin_dir / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin:/bin")
    return folder


def test_mpv_gets_start_length_and_extra_args(bin_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    log = tmp_path / "args.txt"
    fake_player(bin_dir, "mpv", log)
    monkeypatch.setenv("QUALTOOL_PLAYER_ARGS", "--ao=null --volume=50")
    assert playback.unavailable_reason() is None
    proc = playback.play(AUDIO / "idi-01.flac", 3.5, 8.0)
    assert proc.wait(timeout=10) == 0
    args = log.read_text(encoding="utf-8").split("\n")
    assert args[:4] == ["--no-video", "--really-quiet", "--start=3.50", "--length=4.50"]
    assert args[4:6] == ["--ao=null", "--volume=50"]
    assert args[6] == str(AUDIO / "idi-01.flac")


def test_ffplay_when_mpv_is_missing(bin_dir: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    if any((Path(d) / "mpv").exists() for d in ("/usr/bin", "/bin")):
        pytest.skip("a real mpv is installed system-wide")
    log = tmp_path / "args.txt"
    fake_player(bin_dir, "ffplay", log)
    monkeypatch.setenv("QUALTOOL_PLAYER_ARGS", "-volume 0")
    cmd = playback.command(AUDIO / "idi-01.flac", 10.0, 10.02)
    assert cmd[:2] == ["ffplay", "-nodisp"]
    assert cmd[cmd.index("-ss") + 1] == "10.00" and cmd[cmd.index("-t") + 1] == "0.10"  # min 0.1 s
    assert cmd[-3:] == ["-volume", "0", str(AUDIO / "idi-01.flac")]


def test_no_player_and_no_device_are_explained(bin_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(playback, "PLAYERS", ("qualtool-no-such-player",))
    reason = playback.unavailable_reason()
    assert reason is not None and "install mpv" in reason
    with pytest.raises(RuntimeError, match="install mpv"):
        playback.play(AUDIO / "idi-01.flac", 0, 1)


def test_missing_audio_file_is_refused(bin_dir: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    fake_player(bin_dir, "mpv", tmp_path / "args.txt")
    monkeypatch.setenv("QUALTOOL_PLAYER_ARGS", "--ao=null")
    with pytest.raises(RuntimeError, match="missing"):
        playback.play(tmp_path / "gone.flac", 0, 1)
    assert not (tmp_path / "args.txt").exists()
