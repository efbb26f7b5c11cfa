"""Bringing recordings into a study: validate, checksum, copy under audio/, record metadata.

The file is copied into the study first (to a temporary name, renamed when complete) and the
row is inserted in a transaction; if anything fails the copy is removed, so a crash never
leaves a row without a file or a stray half-copied file.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from qualtool.domain import Recording
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.domain.names import check_name
from qualtool.files import media
from qualtool.files.study import Study
from qualtool.i18n import _
from qualtool.store import recordings as store
from qualtool.store.db import Database


@dataclass
class FolderImport:
    added: list[Recording] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return s or "recording"


def unique_key(db: Database, base: str) -> str:
    key, n = base, 2
    while store.key_exists(db, key):
        key, n = f"{base}-{n}", n + 1
    return key


def import_file(
    study: Study, db: Database, path: Path, meta: Recording, *, copy: bool = True
) -> Recording:
    path = path.expanduser()
    if meta.key:
        check_name(meta.key, "recording key")  # it names transcripts/<key>.* files
    info = media.probe(path)
    media.check_complete(path, info)
    digest = media.checksum(path)
    dup = store.by_checksum(db, digest)
    if dup:
        raise InvalidInput(
            _("{path}: duplicate of recording {key} ({existing})").format(
                path=path, key=dup.key, existing=dup.path
            )
        )
    target, created = _place(study, path, copy)
    try:
        rec = replace(
            meta,
            key=unique_key(db, meta.key or slug(path.stem)),
            path=study.relative(target),
            checksum=digest,
            duration=round(info.duration, 3),
            format=info.format,
            id=None,
        )
        return store.insert_recording(db, rec)
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        raise


def _place(study: Study, path: Path, copy: bool) -> tuple[Path, bool]:
    """Where the recording will live; copies into audio/ unless it is already in the study."""
    resolved = path.resolve()
    if not copy or resolved.is_relative_to(study.root.resolve()):
        return resolved, False
    study.audio_dir.mkdir(exist_ok=True)
    target = study.audio_dir / path.name
    n = 2
    while target.exists():
        target = study.audio_dir / f"{path.stem}-{n}{path.suffix}"
        n += 1
    tmp = study.audio_dir / f".{uuid.uuid4().hex}.partial"
    try:
        shutil.copy2(path, tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, True


def import_folder(
    study: Study, db: Database, folder: Path, meta: Recording, *, copy: bool = True
) -> FolderImport:
    """Every media file below `folder`; bad or duplicate files are reported, not fatal."""
    result = FolderImport()
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in media.AUDIO_SUFFIXES
    )
    if not files:
        raise InvalidInput(_("{path}: no audio or video files found").format(path=folder))
    for p in files:
        try:
            result.added.append(import_file(study, db, p, replace(meta, key=""), copy=copy))
        except QualtoolError as exc:
            result.skipped.append((p, str(exc)))
    return result
