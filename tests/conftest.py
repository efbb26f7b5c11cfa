from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qualtool.domain import Coding, Method, Participant, Role, Word
from qualtool.files.study import init_study
from qualtool.i18n import set_language
from qualtool.recordings.corpus import add_text_recording
from qualtool.store.codings import add_coding
from qualtool.transcribe.engine import SAMPLE_RATE, EngineOptions, RawSegment
from qualtool.workspace.study import Workspace, open_workspace

REPO = Path(__file__).resolve().parent.parent


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """A bare environment for a CLI subprocess: the code under test (PYTHONPATH), a private HOME,
    and coverage's own variables so `.ci/run` measures what the subprocess runs."""
    # QUALTOOL_LANG: the tests assert the English source strings
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(REPO),
           "QUALTOOL_LANG": "en", **extra}  # fmt: skip
    env.update({k: v for k, v in os.environ.items() if k.startswith(("COVERAGE_", "COV_CORE_"))})
    return env


AUDIO = REPO / "audio"


@pytest.fixture(autouse=True)
def english_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests assert the English source strings; Russian tests ask for "ru" explicitly
    (QUALTOOL_LANG is inherited by the CLI subprocesses too)."""
    monkeypatch.setenv("QUALTOOL_LANG", "en")
    set_language("en")


@pytest.fixture(autouse=True)
def private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's per-machine record (first-steps hint) and the anonymisation vault stay out
    of the real home (a test that needs a particular vault sets QUALTOOL_VAULT itself)."""
    monkeypatch.setenv("QUALTOOL_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path_factory.mktemp("vault")))


@pytest.fixture
def empty_study(tmp_path: Path) -> Workspace:
    """A new study with the shipped codebook and no recordings."""
    study = init_study(tmp_path / "study", name="Тест", year=2025, coder="tester")
    shutil.copy(REPO / "codebooks" / "barriers.yml", study.codebooks_dir / "barriers.yml")
    ws = open_workspace(study.root, sync=True)
    yield ws
    ws.close()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The shipped sample study as a fresh clone has it: files, no database, no transcripts."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(REPO / "study.toml", root / "study.toml")
    shutil.copytree(AUDIO, root / "audio")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    (root / "transcripts").mkdir()
    return root


@pytest.fixture
def sample_study(tmp_path: Path) -> Path:
    """The shipped sample study as it is committed — transcripts, codings and the review's
    decisions included — with no database yet."""
    root = tmp_path / "study"
    root.mkdir()
    for name in ("study.toml", "audio", "codebooks", "transcripts", "codings", "privacy"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    return root


def words_for(text: str, start: float, end: float, prob: float = 0.9) -> tuple[Word, ...]:
    parts = text.split()
    step = (end - start) / max(1, len(parts))
    return tuple(
        Word(start + i * step, start + (i + 1) * step - 0.05, " " + w, prob)
        for i, w in enumerate(parts)
    )


class FakeEngine:
    """Yields scripted segments at recording times, as faster-whisper would for the audio it is
    given: segments before the start offset are skipped, times are relative to that audio."""

    name = "fake"

    def __init__(self, script: list[tuple[float, float, str]], delay: float = 0.0) -> None:
        self.script = script
        self.delay = delay
        self.calls: list[float] = []  # offset (s) each segments() call started at
        self.total = max(e for _, e, _ in script) + 1.0

    def load_audio(self, path: str) -> np.ndarray:
        return np.zeros(int(self.total * SAMPLE_RATE), dtype=np.float32)

    def detect_language(self, audio: np.ndarray, candidates: tuple[str, ...]) -> tuple[str, float]:
        return candidates[0], 1.0

    def segments(
        self, audio: np.ndarray, language: str, options: EngineOptions
    ) -> Iterator[RawSegment]:
        offset = self.total + 1.0 - len(audio) / SAMPLE_RATE  # the runner pads 1 s of silence
        self.calls.append(round(offset, 3))
        for start, end, text in self.script:
            if start < offset - 1e-6:
                continue
            if self.delay:
                time.sleep(self.delay)
            yield RawSegment(
                start - offset, end - offset, " " + text,
                words=words_for(text, start - offset, end - offset), avg_logprob=-0.2,
                no_speech_prob=0.01, compression_ratio=1.3,
            )  # fmt: skip


SCRIPT = [
    (0.0, 3.0, "Расскажите, как вы получали услугу?"),
    (
        3.5,
        8.0,
        "Мне пришлось три раза приходить в ЦОН, потому что требовали дополнительные справки.",
    ),
    (9.0, 12.0, "А через портал пробовали?"),
    (12.5, 17.0, "Портал постоянно зависал, электронная подпись не срабатывала."),
    (18.0, 22.0, "Сроки оказания услуги были нарушены, я ждал больше месяца."),
]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine(SCRIPT)


# A short interview the TUI tests open and code (tests/tui/, tests/coding/).
TURNS = [
    ("I", "Как вы получали услугу?"),
    ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
    ("R01", "Портал завис. Очередь была два часа."),
]


async def open_transcript(pilot, row: int = 1):  # type: ignore[no-untyped-def]
    """From the recordings screen: open the first transcript, cursor on row `row`."""
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(row):
        await pilot.press("down")
    await pilot.pause()


def seed_snapshot_study(ws: Workspace, memo: str = "") -> None:
    """The study every screen snapshot shows (English and Russian): an interview coded by two
    coders on the same words, and a one-line focus group."""
    db = ws.db
    add_text_recording(db, "idi-01", [
        ("I", "Расскажите, как вы получали пособие."),
        ("R01", "Мне пришлось три раза приходить в ЦОН, каждый раз требовали новую справку."),
        ("R01", "Портал завис, и я стояла в очереди два часа."),
    ], service="Пособие многодетным", region="ВКО",
       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО")])  # fmt: skip
    add_text_recording(db, "fg-01", [("P1", "Сотрудники отвечают резко.")],
                       method=Method.FOCUS_GROUP, service="Справки", region="Абай")  # fmt: skip
    seg_id, text = db.execute("SELECT id, text FROM segments WHERE idx = 1").fetchone()
    q = "каждый раз требовали новую справку"
    start = text.index(q)
    for coder in ("anna", "boris"):
        add_coding(db, Coding(seg_id, "BUR.EXTRA_DOCS", coder, start, start + len(q), memo))
