"""An open study: its folder, settings and database, and keeping them in step.

A fresh clone has files but no database; opening it rebuilds the database from the codebook,
the recordings manifest and the transcript files, so the shipped sample study works at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualtool.domain import Recording
from qualtool.domain.errors import CodebookError, InvalidInput, QualtoolError
from qualtool.domain.names import check_name
from qualtool.files import decisions, manifest, media, renamed_twice, speaker_map
from qualtool.files.assignments import FILE as ASSIGNMENTS
from qualtool.files.codebook import load_codebook
from qualtool.files.study import Study, load_study
from qualtool.files.writing import ReadOnlyStudy, write_if_changed
from qualtool.i18n import _
from qualtool.store import file_state
from qualtool.store import privacy as privacy_store
from qualtool.store import recordings as rec_store
from qualtool.store.codebook import SyncReport, sync_codebook
from qualtool.store.db import Database, open_db, read_then_write, set_study_uuid
from qualtool.workspace import layers
from qualtool.workspace.carry import carry_files, same_text
from qualtool.workspace.layers import LayerReport, sha
from qualtool.workspace.transcripts import import_transcript_files


@dataclass
class SyncResult:
    codebook: SyncReport | None = None
    recordings_added: list[str] = field(default_factory=list)
    recordings_updated: list[str] = field(default_factory=list)
    recordings_removed: list[str] = field(default_factory=list)
    transcripts_imported: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    layers: LayerReport = field(default_factory=LayerReport)
    problems: list[str] = field(default_factory=list)
    codebook_problem: str | None = None
    # two coders' corrections of one speaker differ (speakers.yml): a coder is to settle it
    speaker_conflicts: list[str] = field(default_factory=list)
    # a pull's rename/rename of a recording that opening settled (`files.renamed_twice`)
    settled: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    study: Study
    db: Database
    read_only: bool = False
    opened: SyncResult | None = None  # what opening read from changed files
    # the study files' (path, mtime, size) when the database was last brought in step
    seen_on_disk: frozenset[tuple[str, int, int]] | None = None
    # told when a write found the files changed on disk and read them first (the TUI's notice)
    on_catch_up: list[Callable[[SyncResult], None]] = field(default_factory=list)

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> Workspace:
        """A second connection for another thread (sqlite connections are per thread)."""
        if self.read_only:
            return self  # an in-memory cache has one connection (opened check_same_thread=False)
        return Workspace(self.study, open_db(self.study.db_path))

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyStudy(
                _("{path} is read-only: reading works, changes cannot be saved").format(
                    path=self.study.root
                )
            )

    def save_manifest(self) -> None:
        self.refuse_if_read_only()
        text = manifest.render_manifest(rec_store.list_recordings(self.db))
        write_if_changed(self.study.manifest_path, text)
        self.wrote([self.study.manifest_path])
        keys = sorted(r.key for r in rec_store.list_recordings(self.db))
        file_state.put(self.db, _rel(self.study, self.study.manifest_path), sha(text),
                       json.dumps(keys, ensure_ascii=False))  # fmt: skip

    def move_file(self, source: str, target: str) -> None:
        """Rename a study file (paths relative to the study; a renamed recording's transcript or
        media), its last-synced state with it, so the next sync does not read it as new."""
        self.refuse_if_read_only()
        dst = self.study.root / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        (self.study.root / source).rename(dst)
        file_state.move(self.db, source, target)

    def on_disk(self) -> frozenset[tuple[str, int, int]]:
        """What the sync reads, as (path, mtime, size): cheap to take before every write."""
        root = self.study.root
        paths = [self.study.codebook_path, self.study.manifest_path, root / "speakers.yml",
                 root / "privacy" / "decisions.yml", root / ASSIGNMENTS]  # fmt: skip
        for folder in (self.study.transcripts_dir, root / layers.LAYERS_DIR):
            if folder.is_dir():
                paths += folder.glob("*.json")
        return frozenset(_stats(paths))

    def wrote(self, paths: list[Path]) -> None:
        """Files this study just wrote itself: in step, so the next write does not take them
        for a pull and read every file again (a whole sync per keypress on a large study)."""
        if self.seen_on_disk is None or not paths:
            return
        names = {str(p) for p in paths}
        kept = {e for e in self.seen_on_disk if e[0] not in names}
        self.seen_on_disk = frozenset(kept | _stats(paths))

    def catch_up(self) -> SyncResult | None:
        """Before a write: the study's files changed on disk since the database was last in
        step with them (a `git pull` in another terminal while the TUI is open) are read first
        — the opening sync, merging the colleague's work in — so the write goes on top of them
        and never puts the older text or codings back into the files. Returns what was read
        (None: nothing changed); `on_catch_up` listeners (the TUI) are told."""
        if self.read_only or self.db.conn.in_transaction:
            return None  # an action inside another: the outer one caught up
        now = self.on_disk()
        if now == self.seen_on_disk:
            return None
        result = self.sync()  # which takes the files' state afresh (`seen_on_disk`)
        read = result.files_read or result.transcripts_imported or result.recordings_removed
        if not read:
            return None
        for listener in self.on_catch_up:
            listener(result)
        return result

    def save_layers(self, unmade: Collection[tuple[str, tuple[Any, ...]]] = ()) -> LayerReport:
        """Re-read changed layer files, then write those changed here (`unmade`: layers.save)."""
        if self.read_only:
            report = layers.save(self, dry_run=True)
            if report.written:
                self.refuse_if_read_only()
            return report
        return layers.save(self, unmade=unmade)

    def sync(self, force: bool = False, fresh: bool = False) -> SyncResult:
        """Read every study file changed since the last sync (all of them when `force`):
        codebook, recordings manifest, transcripts, then coder layers, in that order; then
        purge the old text a pulled apply replaced (`_purge_pulled`). `fresh`: the database
        was just created, so it holds no old text.

        The files are read in one transaction (`read_then_write`): two processes opening a
        fresh clone at once (the TUI and a command) both read «not synced yet» and wrote, and
        the second's writes failed half-way with «database is locked». Now the second starts
        again holding the lock, and finds the files read (nothing left to do)."""

        def read() -> SyncResult:
            result = SyncResult()
            self._read_files(result, force)
            return result

        stopped = self._stopped_pull()
        result = read_then_write(self.db, read)
        self._purge_pulled(result, fresh)
        if not self.read_only:
            self.seen_on_disk = self.on_disk()
        if stopped:
            _conclude(self, *stopped, result)
        return result

    def _stopped_pull(self) -> tuple[list[renamed_twice.Settled], set[str]] | None:
        """A `git pull` stopped on a recording renamed two ways while the study was open (in
        another terminal, under the TUI): settled before its files are read, as opening
        settles it — else the manifest's conflict markers refuse every write until qualtool
        is started again. Cheap when there is none: the manifest's bytes, no git."""
        path = self.study.manifest_path
        text = path.read_bytes() if not self.read_only and path.is_file() else b""
        if not (text.startswith(b"<<<<<<< ") or b"\n<<<<<<< " in text):
            return None
        settled = renamed_twice.settle(self.study.root)
        return (settled, renamed_twice.dirty(self.study.root)) if settled else None

    def _read_files(self, result: SyncResult, force: bool) -> None:
        cb_path = self.study.codebook_path
        if cb_path.exists() and self._changed(cb_path, force):
            try:
                cb = load_codebook(cb_path)
                result.codebook = sync_codebook(self.db, cb, str(cb_path))
                self._seen(cb_path)
                r = result.codebook  # re-read after an edit made here: nothing new, not named
                if r.added or r.changed or r.moved or r.renamed or r.removed:
                    result.files_read.append(_rel(self.study, cb_path))
            except CodebookError as exc:  # reading must go on; `codebook check` shows the list
                result.codebook_problem = (
                    f"{self.study.relative(cb_path)} was not loaded: {len(exc.problems)} "
                    f"problem(s) ({exc.problems[0][1]}…); see `qualtool codebook check`"
                )
        mpath = self.study.manifest_path
        if mpath.exists() and self._changed(mpath, force):
            entries = manifest.read_manifest(self.study)
            listed = {str(e.get("key")) for e in entries}
            for entry in entries:
                try:
                    self._follow_rename(entry, listed, result)
                    self._sync_entry(entry, result)
                except (QualtoolError, KeyError, ValueError) as exc:
                    result.problems.append(f"{entry.get('key', '?')}: {exc}")
            self._drop_removed({str(e.get("key")) for e in entries}, result)
            keys = sorted(str(e.get("key")) for e in entries)
            file_state.put(self.db, _rel(self.study, mpath), sha(mpath.read_text(encoding="utf-8")),
                           json.dumps(keys, ensure_ascii=False))  # fmt: skip
            result.files_read.append(_rel(self.study, mpath))
        self._carry(mpath.exists() and _rel(self.study, mpath) in result.files_read, force, result)
        # codings the pulled layer files move are not asked to follow the pulled text: both
        # come from the same commit, so one sync brings in the transcripts and the layers
        moved = layers.superseded(self)
        result.transcripts_imported = import_transcript_files(self, result.problems, moved)
        layers.reconcile(self, result.layers, moved.values())
        result.files_read += result.layers.files_read
        result.problems += result.layers.unplaced

    def _carry(self, renamed: bool, force: bool, result: SyncResult) -> None:
        """speakers.yml, codings/assignments.yml and the review's decisions under a key renamed
        since, carried to the new key (`carry.carry_files`) when the manifest or one of them
        changed: a colleague's correction, assignment or decision made while this laptop
        renamed the recording, pulled. A speaker two coders corrected differently (a union merge
        kept both lines) is a conflict, reported once, by the sync that first finds it, and
        listed by `qualtool conflicts` while speakers.yml holds it: the sync that reads the file
        settled (a coder set the role, here or on another laptop) drops it from the list."""
        root = self.study.root
        paths = [root / speaker_map.FILE, root / decisions.DECISIONS_FILE, root / ASSIGNMENTS]
        gone = not paths[0].exists() and file_state.get(self.db, speaker_map.FILE)  # a `git rm`
        if not (renamed or gone or any(self._changed(p, force) for p in paths if p.exists())):
            return
        try:
            if not self.read_only:
                carry_files(self)
            both = speaker_map.contested(root)
        except InvalidInput as exc:
            result.problems.append(str(exc))
            return
        found = speaker_map.conflict_lines(both)
        result.speaker_conflicts += file_state.file_conflicts(self.db, speaker_map.FILE, found)
        for path in paths:
            if path.exists():
                self._seen(path)
            else:
                file_state.forget(self.db, _rel(self.study, path))

    def _purge_pulled(self, result: SyncResult, fresh: bool) -> None:
        """A colleague's `anonymise --apply`, pulled, replaced text this database held: the
        rows now read from the files, but the originals stayed in its bytes (free pages, the
        WAL, the full-text index, the undo journal) where this laptop's `--apply` would have
        purged them. Purged the same way (`store.privacy.purge_replaced`, which ends with the
        apply's own `compact`), only when a sync that read files brought more replacements than
        the last one saw, so an ordinary pull costs no VACUUM. Another program holding the
        database (the TUI) keeps the purge from completing: said, and owed to the next sync."""
        if self.read_only:
            return  # rebuilt in memory from the files: it never held the originals
        read = result.files_read or result.transcripts_imported or result.recordings_removed
        if not (read or fresh) and not privacy_store.purge_owed(self.db):
            return
        owed = privacy_store.pulled_replacements(self.db, fresh)
        if owed and not privacy_store.purge_replaced(self.db):
            result.problems.append(
                _(
                    "the pulled text is anonymised, but another program has the study database "
                    "open, so the originals it replaced are still in the database file: close it "
                    "(the TUI?) and run `qualtool sync`"
                )
            )

    def _drop_removed(self, keys: set[str], result: SyncResult) -> None:
        """Recordings a colleague removed (in the manifest last synced, gone from it now) go
        here too, so the next manifest write does not bring them back; a coded one stays."""
        st = file_state.get(self.db, _rel(self.study, self.study.manifest_path))
        before = set(json.loads(st[1])) if st and st[1] else set()
        for rec in rec_store.list_recordings(self.db):
            if rec.key in before and rec.key not in keys:
                try:
                    rec_store.delete_recording(self.db, rec)
                    result.recordings_removed.append(rec.key)
                except QualtoolError as exc:
                    result.problems.append(
                        _("{key} was removed from the manifest but {error}").format(
                            key=rec.key, error=exc
                        )
                    )

    def _changed(self, path: Path, force: bool) -> bool:
        st = file_state.get(self.db, _rel(self.study, path))
        return force or st is None or st[0] != sha(path.read_text(encoding="utf-8"))

    def _seen(self, path: Path) -> None:
        file_state.put(self.db, _rel(self.study, path), sha(path.read_text(encoding="utf-8")))

    def _follow_rename(
        self, entry: dict[str, object], listed: set[str], result: SyncResult
    ) -> None:
        """A colleague's `qualtool rename`, pulled: the manifest lists the recording under its
        new key, with the same media checksum, and no longer lists the old one. The row here
        takes the new key and path (`store.recordings.rename_recording`, as the local rename
        does) and its transcript's last-synced state, so its codings and decisions stay its own
        and the pulled files that name the new key find it. A text source (no checksum of its
        own: its `text:<key>` path is the key) is followed by its text, the pulled transcript
        of the new key the one this database holds for a recording the manifest no longer lists
        word for word, or with names replaced by pseudonyms (a colleague's `--apply` renamed a
        key made from a name: `carry.same_text`) — the same files decide the same on every
        laptop. A text edited on both sides before the pull is not followed: the old key's
        codings stay and `sync` names them."""
        key, digest, file = str(entry.get("key")), entry.get("sha256"), str(entry.get("file"))
        text = file.startswith("text:")
        if (not digest and not text) or rec_store.key_exists(self.db, key):
            return
        gone = [r for r in rec_store.list_recordings(self.db) if r.key not in listed]
        if not gone:
            return  # nothing here the manifest stopped listing: a new recording, not a rename
        if text:  # followed by its text: the pulled transcript of the new key is this one's
            found = same_text(self, self.study.root / f"transcripts/{key}.json", gone)
        else:
            found = [r for r in gone if r.checksum == digest]
        if len(found) == 1:  # two the same text: which is which cannot be told, none followed
            with self.db.atomic():
                rec_store.rename_recording(self.db, found[0], key, file)
                # the transcript's last-synced state goes with it, so the pulled file is compared
                # with it and read when it changed (a pulled apply replaced names there)
                file_state.move(
                    self.db, f"transcripts/{found[0].key}.json", f"transcripts/{key}.json"
                )
            result.recordings_updated.append(key)

    def _sync_entry(self, entry: dict[str, object], result: SyncResult) -> None:
        key = check_name(str(entry["key"]), "recording key")
        meta = manifest.entry_metadata(dict(entry))
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
            rec_store.insert_recording(self.db, Recording(
                key=key, path=str(entry["file"]), format="text", duration=0.0,
                checksum=hashlib.sha256(str(entry["file"]).encode()).hexdigest(), **meta))  # fmt: skip
            result.recordings_added.append(key)
            return
        path = self.study.resolve(str(entry["file"]))
        if not path.exists() and entry.get("sha256"):
            # a file qualtool added that is not there now — outside the study, to be renamed
            # by hand after `anonymise --apply`, or not shared: the recording is kept with its
            # media missing (`show` says so; its length unknown until it is there again)
            rec_store.insert_recording(self.db, Recording(
                key=key, path=str(entry["file"]), checksum=str(entry["sha256"]), duration=0.0,
                format=path.suffix.lstrip(".").lower(), **meta))  # fmt: skip
            result.recordings_added.append(key)
            return
        info = media.probe(path)
        digest = media.checksum(path)
        if entry.get("sha256") and entry["sha256"] != digest:
            raise QualtoolError(
                _("{path} changed since it was added (checksum differs)").format(path=path)
            )
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


def _stats(paths: Iterable[Path]) -> set[tuple[str, int, int]]:
    """(path, mtime, size) of each file that exists: what `Workspace.catch_up` compares."""
    out = set()
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        out.add((str(path), st.st_mtime_ns, st.st_size))
    return out


def _rel(study: Study, path: Path) -> str:
    return study.relative(path)


def open_workspace(path: Path | None = None, *, sync: bool | None = None) -> Workspace:
    """Open the study at or above `path` and bring the database in step with its files.

    Every open re-reads the files changed since the last sync (a `git pull`, an edited
    codebook), so nothing is ever written from a stale database. A study folder the user
    cannot write (a colleague's share, a read-only mount) opens read-only, on a database
    rebuilt in memory from its files.
    """
    study = load_study(path or Path.cwd())
    writable = os.access(study.root, os.W_OK) and (
        not study.db_path.exists() or os.access(study.db_path, os.W_OK)
    )
    if not writable:
        ws = Workspace(study, open_db(None), read_only=True)
        set_study_uuid(ws.db, study.id)
        ws.opened = ws.sync(force=True)
        return ws
    settled = renamed_twice.settle(study.root)  # before anything reads the stopped merge
    own = renamed_twice.dirty(study.root) if settled else set()  # the user's unstaged edits
    is_new = not study.db_path.exists()
    ws = Workspace(study, open_db(study.db_path))
    set_study_uuid(ws.db, study.id)
    ws.opened = ws.sync(force=bool(sync) or is_new, fresh=is_new)
    if settled:
        _conclude(ws, settled, own, ws.opened)
    return ws


def _conclude(ws: Workspace, settled: list[renamed_twice.Settled], own: set[str],
              result: SyncResult) -> None:  # fmt: skip
    """The settled merge committed with what the sync wrote (the lines carried from this
    laptop's name to the kept one), so `git status` is clean and the push shares it; `own`:
    the user's unstaged edits, which stay theirs. Said in `result` (the sync's)."""
    ws.save_layers()
    for s in settled:
        result.settled.append(_(
            "{old} was renamed {dropped} here and {kept} in the pull: {kept} kept (pushed "
            "first), {dropped} is its alias now").format(old=s.old, kept=s.kept, dropped=s.dropped))  # fmt: skip
    if not renamed_twice.conclude(ws.study.root, own, settled):
        result.settled.append(_("the merge is settled but not committed: run `git commit`"))
