"""An open study: its folder, settings and database, and keeping them in step.

A fresh clone has files but no database; opening it rebuilds the database from the codebook,
the recordings manifest and the transcript files, so the shipped sample study works at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain import Recording
from qualtool.domain.errors import QualtoolError
from qualtool.files import manifest, media
from qualtool.files.codebook import load_codebook
from qualtool.files.study import Study, load_study
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import SyncReport, sync_codebook
from qualtool.store.db import Database, open_db


@dataclass
class SyncResult:
    codebook: SyncReport | None = None
    recordings_added: list[str] = field(default_factory=list)
    recordings_updated: list[str] = field(default_factory=list)
    transcripts_imported: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    study: Study
    db: Database

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> Workspace:
        """A second connection for another thread (sqlite connections are per thread)."""
        return Workspace(self.study, open_db(self.study.db_path))

    def save_manifest(self) -> None:
        manifest.write_manifest(self.study, rec_store.list_recordings(self.db))

    def sync(self) -> SyncResult:
        result = SyncResult()
        if self.study.codebook_path.exists():
            cb = load_codebook(self.study.codebook_path)
            result.codebook = sync_codebook(self.db, cb, str(self.study.codebook_path))
        for entry in manifest.read_manifest(self.study):
            try:
                self._sync_entry(entry, result)
            except (QualtoolError, KeyError, ValueError) as exc:
                result.problems.append(f"{entry.get('key', '?')}: {exc}")
        from qualtool.workspace.transcripts import import_transcript_files

        result.transcripts_imported = import_transcript_files(self)
        from qualtool.team.exchange import load_layers

        result.problems += load_layers(self)
        return result

    def _sync_entry(self, entry: dict[str, object], result: SyncResult) -> None:
        key = str(entry["key"])
        meta = manifest.entry_metadata(entry)  # type: ignore[arg-type]
        existing = [r for r in rec_store.list_recordings(self.db) if r.key == key]
        if existing:
            rec = existing[0]
            people = meta.pop("participants")
            changed = {k: v for k, v in meta.items() if getattr(rec, k) != v}
            if changed:
                rec_store.update_recording(self.db, rec, **changed)
                result.recordings_updated.append(key)
            for person in people:
                rec_store.link_participant(self.db, rec.id or 0, person)
            return
        if str(entry["file"]).startswith("text:"):  # imported text (QDPX): no audio file
            import hashlib

            rec_store.insert_recording(self.db, Recording(
                key=key, path=str(entry["file"]), format="text", duration=0.0,
                checksum=hashlib.sha256(str(entry["file"]).encode()).hexdigest(), **meta))  # fmt: skip
            result.recordings_added.append(key)
            return
        path = self.study.resolve(str(entry["file"]))
        info = media.probe(path)
        digest = media.checksum(path)
        if entry.get("sha256") and entry["sha256"] != digest:
            raise QualtoolError(f"{path} changed since it was added (checksum differs)")
        rec_store.insert_recording(
            self.db,
            Recording(
                key=key,
                path=self.study.relative(path),
                checksum=digest,
                duration=round(info.duration, 3),
                format=info.format,
                **meta,
            ),
        )
        result.recordings_added.append(key)


def open_workspace(path: Path | None = None, *, sync: bool | None = None) -> Workspace:
    """Open the study at or above `path`; sync from files when the database is new."""
    study = load_study(path or Path.cwd())
    is_new = not study.db_path.exists()
    ws = Workspace(study, open_db(study.db_path))
    if sync or (sync is None and is_new):
        ws.sync()
    return ws
