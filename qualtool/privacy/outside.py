"""The study's files outside the database that can hold a name: speakers.yml, conflicts/, the
codebooks' examples, the reference transcripts (audio/reference/*.txt).

`anonymise --apply` cleans them in its plan, before anything is written, with the plan's own
pseudonymiser and detector — the one that knows the people of the recordings' metadata
(`metadata.plan`, as the exports use it): a speaker label or a conflict file naming the
interviewer loses her name as every other text does, with the same pseudonym. Their new texts
hold no original, so they travel in the apply's intent file and step 4 only writes them: a
resumed apply (even with its vault locked, when no one's name can be known) writes the very
texts the plan made. It used to clean them anew at the end, knowing no one then, and a killed
apply finished without its vault left «Шолпан Кенжебаева» in speakers.yml.

The names found in the codebooks and the reference transcripts are listed (`Finding`) by
`qualtool anonymise` and the review screen, as the segments' and the metadata's are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from qualtool.domain.errors import QualtoolError
from qualtool.files import codebook_edit, free_text, speaker_map
from qualtool.privacy.entity import Entity
from qualtool.privacy.pseudonyms import Detect, Pseudonymiser, merge_overlapping
from qualtool.privacy.review import context
from qualtool.store.codebook import sync_codebook
from qualtool.store.recordings import list_recordings
from qualtool.workspace.study import Workspace

Labels = set[tuple[str, str]]  # (recording, speaker label) of every segment after the apply


@dataclass(frozen=True, slots=True)
class Finding:
    """A name in a codebook's example or a reference transcript, for the listing; or one in a
    memo or a speaker label to check (`note` says why, a message id translated when shown)."""

    where: str  # codebooks/<file>:<code id> | audio/reference/<key>.txt:<line> | memos | …
    entity: Entity
    replacement: str
    context: str
    note: str = ""
    could: tuple[str, ...] = ()  # the people it could be (`lone_names.candidates`)


@dataclass
class Planned:
    # path (relative to the study) → {"before": sha256 of the file planned from, "after": text}
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # (recording, label) → the label speakers.yml is rewritten with (names replaced)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)


def sha(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def codebook_files(ws: Workspace) -> list[Path]:
    folder = ws.study.codebooks_dir
    return sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.exists() else []


def reference_files(ws: Workspace) -> list[Path]:
    folder = ws.study.root / "audio" / "reference"
    return sorted(folder.glob("*.txt")) if folder.exists() else []


def layer_files(ws: Workspace) -> list[Path]:
    folder = ws.study.root / "codings"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def conflict_files(ws: Workspace) -> list[Path]:
    folder = ws.study.root / "conflicts"
    return sorted(folder.glob("*.json")) if folder.exists() else []


class _Cleaner:
    """One text cleaned: the detector's spans replaced; `where` given, they are listed."""

    def __init__(self, pseud: Pseudonymiser, detect: Detect) -> None:
        self.pseud, self.detect = pseud, detect
        self.findings: list[Finding] = []

    def __call__(self, text: str, where: str | None = None) -> str:
        found = merge_overlapping(text, self.detect(text)) if text else []
        if not found:
            return text
        if where is not None:
            self.findings += [Finding(where, e, self.pseud.replacement(e),
                                      context(text, e.start, e.end)) for e in found]  # fmt: skip
        return self.pseud.replace(text, found)[0]

    def within(self, file: str) -> Callable[[str], str]:
        """A file's texts, each listed at «<file>»."""
        return lambda text: self(text, file)

    def at(self, file: str) -> Callable[[str, str], str]:
        """A codebook's texts, each listed at «<file>:<code id>»."""
        return lambda code, text: self(text, f"{file}:{code}")


def plan_files(ws: Workspace, pseud: Pseudonymiser, detect: Detect, labels: Labels,
               renamed: set[str]) -> Planned:  # fmt: skip
    """Each file's cleaned text (only the files that change), nothing written. `labels`: the
    segments' labels as the apply leaves them; `renamed`: the keys the apply renames, which a
    conflict file's «recording» keeps for the rename service to retarget."""
    clean = _Cleaner(pseud, detect)
    out = Planned()
    root = ws.study.root

    def keep(path: Path, before: bytes, after: str | None) -> None:
        if after is not None and after.encode() != before:
            out.texts[path.relative_to(root).as_posix()] = {"before": sha(before), "after": after}

    if (root / speaker_map.FILE).exists():
        path = root / speaker_map.FILE
        keep(path, path.read_bytes(), _speaker_map(ws, clean, labels, out))
    for path in conflict_files(ws):
        keep(path, path.read_bytes(), _conflict(path, clean, renamed))
    for path in codebook_files(ws):
        rel = path.relative_to(root).as_posix()
        try:  # a file that does not parse is left to `codebook check` (nor read into the db)
            if path.name == free_text.RECOMMENDATIONS:  # the report prints them
                after = free_text.recommendations(path, clean.within(rel))
            else:
                after = codebook_edit.mapped_text(path, clean.at(rel))
        except (QualtoolError, YAMLError, OSError, ValueError):
            continue
        keep(path, path.read_bytes(), after)
    _plan_study_files(ws, clean, keep)
    for path in reference_files(ws):
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.split("\n")
        keep(path, path.read_bytes(), "\n".join(clean(line, f"{rel}:{n}") if line.strip() else line
                                                for n, line in enumerate(lines, 1)))  # fmt: skip
    out.findings = clean.findings
    return out


def _plan_study_files(ws: Workspace, clean: _Cleaner,
                      keep: Callable[[Path, bytes, str | None], None]) -> None:  # fmt: skip
    """The study's name (study.toml: the QDPX project's and the report's title) and its
    glossary (names added so Whisper spells them, copied into the transcripts' settings), each
    name listed at «study.toml:name», «study.toml:glossary»; the
    transcript files of a recording removed from the study (`qualtool rm` leaves them, as it
    leaves its media: nothing is deleted, they are cleaned like every other text); and the
    records of a coder layer for a recording the study does not have (kept in the file only:
    the database's rows, which the apply cleans, never hold them)."""
    toml = ws.study.root / "study.toml"
    with suppress(OSError, ValueError):  # a study.toml that does not load: no study opened
        text = toml.read_text(encoding="utf-8")
        named = free_text.study_name(text, lambda t: clean(t, "study.toml:name"), ws.study.id)
        glossary = free_text.study_glossary(
            named or text, lambda t: clean(t, "study.toml:glossary")
        )
        keep(toml, toml.read_bytes(), glossary or named)
    keys = {r.key for r in list_recordings(ws.db)}
    for path in free_text.orphan_transcripts(ws.study.transcripts_dir, keys):
        try:
            keep(path, path.read_bytes(), free_text.transcript_text(path, clean))
        except (OSError, ValueError):
            continue  # not a transcript qualtool wrote: left as it is
    for path in layer_files(ws):
        try:
            text = path.read_text(encoding="utf-8")
            keep(path, path.read_bytes(), free_text.stray_records(text, path.name, keys, clean))
        except (QualtoolError, OSError, ValueError):
            continue  # unreadable (a merge conflict): `qualtool conflicts` lists it


def _speaker_map(ws: Workspace, clean: Callable[[str], str], labels: Labels,
                 out: Planned) -> str | None:  # fmt: skip
    """speakers.yml names speaker labels: a label with a name in it is renamed as the
    segments' labels are (the same keyed pseudonym), so the correction still applies. A label
    two coders corrected differently stays contested under its new label (its other role's
    line was dropped, and the apply settled it silently); each renamed label is noted in
    `out.labels`, for the conflict listing (`conflict_rows`)."""
    current, both = speaker_map.read_speaker_map(ws.study.root)
    if not current:
        return None

    def label(key: str, who: str) -> str:  # renamed only where the segments' label is
        new = who if who.startswith("#") else clean(who)
        if (key, new) not in labels:
            return who
        if new != who:
            out.labels[(key, who)] = new
        return new

    cleaned = {key: {label(key, who): role for who, role in entries.items()}
               for key, entries in current.items()}  # fmt: skip
    contested = {key: {label(key, who): roles for who, roles in entries.items()}
                 for key, entries in both.items()}  # fmt: skip
    if cleaned == current and contested == both:
        return None
    return speaker_map.render_speaker_map(cleaned, speaker_map.language_of(ws.study.root),
                                          contested)  # fmt: skip


def _conflict(path: Path, clean: Callable[[str], str], renamed: set[str]) -> str | None:
    """conflicts/*.json (unplaced codings from import-coder) quote the text: every string in
    them is pseudonymised, but a «recording» the apply renames (the rename service retargets
    it after)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return value if key == "recording" and value in renamed else clean(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        return value

    after = walk(doc)
    return json.dumps(after, ensure_ascii=False, indent=1) if after != doc else None


def write_planned(ws: Workspace, texts: dict[str, dict[str, str]]) -> int:
    """Step 4 of the apply: each planned text written where the file is still as it was
    planned from (a resumed apply finds the ones written already changed, and leaves them); a
    codebook only when its text loads, the study's codebook read into the database again.
    Returns how many files were written."""
    root, n = ws.study.root, 0
    for rel, planned in texts.items():
        path = root / rel
        if not path.exists() or sha(path.read_bytes()) != planned["before"]:
            continue
        if path.parent == ws.study.codebooks_dir and path.name != free_text.RECOMMENDATIONS:
            try:
                book = codebook_edit.replace_checked(path, planned["after"])
            except (QualtoolError, YAMLError, OSError, ValueError):
                continue
            if path == ws.study.codebook_path:
                sync_codebook(ws.db, book, str(path))
        else:
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(planned["after"], encoding="utf-8")
            tmp.replace(path)
        n += 1
    return n
