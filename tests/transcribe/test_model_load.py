"""The real load path of faster-whisper: a broken model folder or an unreachable hub model
becomes one ModelUnavailable that says how to get a working model — never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualtool.domain.errors import ModelUnavailable
from qualtool.transcribe import model, whisper


def test_truncated_model_bin_is_refused_with_the_way_out(tmp_path: Path) -> None:
    good = model.cache_dir() / "whisper-base-ct2"
    if not (good / "config.json").exists():
        pytest.skip("the offline model is not installed (qualtool model install-offline)")
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(good / name, broken / name)
    (broken / "model.bin").write_bytes((good / "model.bin").read_bytes()[:4096])  # cut short
    spec = model.resolve(str(broken))
    with pytest.raises(ModelUnavailable, match="cannot load model") as err:
        whisper._load_model(spec, "cpu", "int8", 1)
    assert model.HOW_TO_GET in str(err.value)
    assert not any(str(broken) == key[0] for key in whisper._cache)  # nothing half-loaded kept


def test_hub_model_without_network_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    spec = model.resolve("qualtool-test/no-such-model")
    assert not spec.local
    with pytest.raises(ModelUnavailable, match="cannot get model 'qualtool-test/no-such-model'"):
        whisper._load_model(spec, "cpu", "int8", 1)
