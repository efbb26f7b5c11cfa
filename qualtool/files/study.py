"""A study is a folder: study.toml, audio/, transcripts/, codebooks/ and the SQLite database.

The folder is the unit a team versions and backs up; the database lives inside it so a study
can be copied as one piece.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.files.study_template import render
from qualtool.i18n import _, resolve_language, study_language, translate

STUDY_FILE = "study.toml"
DB_FILE = "qualtool.db"
MANIFEST = "recordings.yml"  # inside audio/: metadata of every recording, readable in git diffs


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
    glossary_prompt: bool = False  # the glossary also as Whisper's prompt (see the template)


@dataclass(frozen=True, slots=True)
class StudyConfig:
    name: str
    year: int | None = None
    languages: tuple[str, ...] = ("ru", "kk")
    default_coder: str = "coder"
    codebook: str = "codebooks/barriers.yml"
    ui_language: str | None = None  # None: by the study's languages, then the locale
    id: str = ""
    transcription: TranscriptionSettings = field(default_factory=TranscriptionSettings)


@dataclass(frozen=True, slots=True)
class Study:
    root: Path
    config: StudyConfig

    @property
    def id(self) -> str:
        """study.toml's `id`; for a study made before it existed, one derived from its files
        (the id its coder layers recorded, else its name): the same on every clone, never
        written back, so opening a clone changes no file."""
        if self.config.id:
            return self.config.id
        for layer in sorted((self.root / "codings").glob("*.json")):
            try:
                doc = json.loads(layer.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            if isinstance(doc, dict) and isinstance(doc.get("study"), str) and doc["study"]:
                return doc["study"]
        return hashlib.sha256(f"qualtool-study:{self.config.name}".encode()).hexdigest()[:32]

    def written(self, message: str) -> str:
        """A message qualtool writes into the study's shared files, in the study's language
        (`i18n.study_language`), whoever runs it."""
        return translate(message, study_language(self.config.ui_language, self.config.languages))

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


SHIPPED_CODEBOOK = Path(__file__).with_name("data") / "barriers.yml"
GITIGNORE = """\
# qualtool: the database is a cache rebuilt from the study's files; never commit it
qualtool.db
qualtool.db-*
.qualtool/
conflicts/
# reports and tables the TUI writes (F6, F7): shared on purpose, not by `git add -A`; an export
# with --include-originals holds names as spoken
exports/
"""
# coder layers are one record per line: on a same-place edit git keeps both sides' lines and
# qualtool reports the record as a conflict instead of git stopping the merge; the same for the
# review's decisions and speakers.yml (two coders correcting different recordings)
GITATTRIBUTES = (
    "codings/*.json merge=union\ncodings/assignments.yml merge=union\n"
    "privacy/decisions.yml merge=union\nspeakers.yml merge=union\n"
)


def init_study(
    path: Path,
    name: str | None = None,
    year: int | None = None,
    coder: str | None = None,
    codebook: Path | None = None,
) -> Study:
    """Create the folder layout with a new study id and, unless `codebook` is None, the shipped
    barrier codebook (or the given file) so a new study starts ready; refuses to overwrite."""
    path = path.resolve()
    if (path / STUDY_FILE).exists():
        raise InvalidInput(
            _("{path} is already a study ({file} exists)").format(path=path, file=STUDY_FILE)
        )
    if path.exists() and not path.is_dir():
        raise InvalidInput(_("{path} exists and is not a folder").format(path=path))
    for sub in ("audio", "transcripts", "codebooks"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    if codebook is not None and not codebook.is_file():
        raise InvalidInput(_("{path}: no such codebook file").format(path=codebook))
    languages = ["ru", "kk"]
    # its comments in the language the new study will be shown in, chosen as the interface's
    # is (QUALTOOL_LANG, else Russian for a study spoken in Russian)
    text = render(
        resolve_language(None, tuple(languages)),
        study_id=uuid.uuid4().hex,
        name=name or path.name,
        year=year if year is not None else '""',
        languages=languages,
        coder=coder or os.environ.get("USER") or "coder",
    ).replace('year = ""', "# year = 2025")
    (path / STUDY_FILE).write_text(text, encoding="utf-8")
    for file, content in ((".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES)):
        if not (path / file).exists():
            (path / file).write_text(content, encoding="utf-8")
    if codebook is not None and not (path / "codebooks" / "barriers.yml").exists():
        shutil.copyfile(codebook, path / "codebooks" / "barriers.yml")
    return load_study(path)


def find_study(start: Path) -> Path:
    """The nearest folder at or above `start` that holds a study.toml, like git does."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / STUDY_FILE).is_file():
            return folder
    raise QualtoolError(
        _("no study here: {path} has no {file} (create one with `qualtool init PATH`)").format(
            path=start, file=STUDY_FILE
        )
    )


def load_study(path: Path) -> Study:
    root = find_study(path)
    file = root / STUDY_FILE
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(_("{path}: {error}").format(path=file, error=exc)) from exc
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {error}").format(path=file, error=exc.strerror)
        ) from exc
    return Study(root=root, config=_parse_config(raw, file))


def _parse_config(raw: dict[str, object], file: Path) -> StudyConfig:
    study = raw.get("study", {})
    tr = raw.get("transcription", {})
    if not isinstance(study, dict) or not isinstance(tr, dict):
        raise InvalidInput(
            _("{path}: [study] and [transcription] must be tables").format(path=file)
        )
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
            glossary_prompt=bool(tr.get("glossary_prompt", False)),
        )
        year = study.get("year")
        languages = tuple(str(x) for x in study.get("languages", ["ru", "kk"]))
        bad = [x for x in languages if x not in ("ru", "kk")]
        if bad:
            raise InvalidInput(
                _("{path}: unsupported language(s) {languages}; use ru and/or kk").format(
                    path=file, languages=bad
                )
            )
        return StudyConfig(
            name=str(study.get("name", file.parent.name)),
            year=int(year) if year not in (None, "") else None,
            languages=languages,
            default_coder=str(study.get("default_coder", "coder")),
            codebook=str(study.get("codebook", "codebooks/barriers.yml")),
            ui_language=str(study["ui_language"]) if study.get("ui_language") else None,
            id=str(study.get("id", "")),
            transcription=settings,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("{path}: {error}").format(path=file, error=exc)) from exc
