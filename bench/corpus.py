"""A generated study for benches: N transcripts × W words of sentences from the seed reports.

Shared by bench/search.py and bench/tui.py. The seed reports live outside the repo
(../shared/seeds); when absent, the codebook's own quotes and the sample transcripts are used.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from qualtool.domain import Method, Participant, Role
from qualtool.files.study import init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace, open_workspace

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SERVICES = [
    "Пособие многодетным",
    "Справка о несудимости",
    "Лицензия",
    "Регистрация ИП",
    "Прописка",
]
REGIONS = ["ВКО", "СКО", "Абай", "Туркестанская", "Алматы"]
METHODS = [Method.INTERVIEW, Method.FOCUS_GROUP, Method.MYSTERY_SHOPPER]


def seed_sentences() -> list[str]:
    text = ""
    if SEEDS.exists():
        text = " ".join(p.read_text(errors="ignore") for p in sorted(SEEDS.glob("*.txt")))
    else:
        text = (REPO / "codebooks" / "barriers.yml").read_text()
    out = []
    for sent in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text)):
        words = sent.split()
        if 5 <= len(words) <= 40 and sum(ch.isalpha() for ch in sent) > 0.6 * len(sent):
            out.append(sent.strip())
    return out


def build(root: Path, transcripts: int = 100, words: int = 10_000, seed: int = 7) -> Workspace:
    rng = random.Random(seed)
    sentences = seed_sentences()
    study = init_study(root, name="bench", year=2025, coder="bench")
    (study.codebooks_dir / "barriers.yml").write_text(
        (REPO / "codebooks" / "barriers.yml").read_text()
    )
    ws = open_workspace(study.root, sync=True)
    for n in range(transcripts):
        turns: list[tuple[str | None, str]] = []
        count = 0
        while count < words:
            text = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 2)))
            speaker = "I" if rng.random() < 0.2 else f"R{n:03d}"
            turns.append((speaker, text))
            count += len(text.split())
        add_text_recording(
            ws.db, f"gen-{n:03d}", turns, method=METHODS[n % 3],
            service=SERVICES[n % len(SERVICES)], region=REGIONS[n % len(REGIONS)],
            participants=[Participant(f"R{n:03d}", Role.RECIPIENT, "f", "35-44")],
        )  # fmt: skip
    return ws


def word_count(ws: Workspace) -> int:
    return sum(len(r[0].split()) for r in ws.db.execute("SELECT text FROM segments"))
