"""Play a stretch of a recording through whatever player is installed (mpv, then ffplay).

Optional by design: machines without a player or a sound device get a clear reason instead
of a crash. `QUALTOOL_PLAYER_ARGS` adds arguments (tests use `--ao=null` for a silent mpv).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from qualtool.i18n import _

PLAYERS = ("mpv", "ffplay")


def find_player() -> str | None:
    return next((p for p in PLAYERS if shutil.which(p)), None)


def unavailable_reason() -> str | None:
    """None when playback can work; otherwise what the user should know."""
    if find_player() is None:
        return _("no audio player found: install mpv (or ffmpeg's ffplay) to listen to segments")
    if not os.environ.get("QUALTOOL_PLAYER_ARGS") and not (
        Path("/dev/snd").exists()
        or os.environ.get("PULSE_SERVER")
        or os.environ.get("XDG_RUNTIME_DIR")
    ):
        return _("no sound device on this machine: playback is disabled")
    return None


def command(path: Path, start: float, end: float) -> list[str]:
    player = find_player()
    extra = shlex.split(os.environ.get("QUALTOOL_PLAYER_ARGS", ""))
    length = max(0.1, end - start)
    if player == "mpv":
        return ["mpv", "--no-video", "--really-quiet", f"--start={start:.2f}",
                f"--length={length:.2f}", *extra, str(path)]  # fmt: skip
    return ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "-ss", f"{start:.2f}",
            "-t", f"{length:.2f}", *extra, str(path)]  # fmt: skip


def play(path: Path, start: float, end: float) -> subprocess.Popen[bytes]:
    """Start playing in the background; the caller may terminate() it to stop."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    if not path.exists():
        raise RuntimeError(_("the audio file is missing: {path}").format(path=path))
    return subprocess.Popen(command(path, start, end), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
