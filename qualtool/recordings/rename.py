"""Renaming a recording: its key everywhere the study uses it, and its media file when the
file is named after it.

A key made at import comes from the file name («Интервью Гульнара Серикбаевна.flac» →
`интервью-гульнара-серикбаевна`), so it can carry a respondent's name into every file that
names the recording. One service does it for `qualtool rename`, the TUI and `anonymise
--apply`: the row (key, path) and the memos that name the recording by key; the files named
after it, moved, not rewritten (transcripts/<key>.*, the media file, audio/redacted/<key>.wav,
audio/reference/<key>.txt), so git shows renames; the files that mention the key
(privacy/decisions.yml, speakers.yml, codings/assignments.yml, conflicts/*.json), rewritten
only when they change; then the transcript files, coder layers (`codings/<coder>.json` name
each record's recording) and audio/recordings.yml written from the database. It is one
journaled step (`qualtool undo` moves the files back and restores the rows); everything is
checked before anything changes, and a failure while writing puts back what was done.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from qualtool.domain import Recording
from qualtool.domain.errors import InvalidInput
from qualtool.domain.names import check_name
from qualtool.files import assignments as assignments_file
from qualtool.files import decisions, speaker_map
from qualtool.i18n import _
from qualtool.recordings.importing import slug
from qualtool.store import journal
from qualtool.store import recordings as store
from qualtool.store import transcripts as tr_store
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

TRANSCRIPT_SUFFIXES = ("json", "md", "srt", "vtt")
_TEXT_PREFIX = "text:"  # a text-only source (no media file): its path is `text:<key>`


@dataclass
class Renamed:
    old: str
    new: str
    path: str  # the recording's file after the rename
    moved: list[tuple[str, str]] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)


def named_after(path: str, key: str) -> bool:
    """The media file is named after the key (the key was made from its name at import)."""
    if path.startswith(_TEXT_PREFIX):
        return path == _TEXT_PREFIX + key
    return slug(PurePosixPath(path).stem) == key


def media_path(rec: Recording, new_key: str, media: str | None = None) -> str:
    """Where the recording's file goes: `media` (a new file name in the same folder), else
    `<new key><suffix>` when the file is named after the old key, else where it is. A file
    outside the study (imported with --no-copy) is the user's own and is never moved."""
    if rec.path.startswith(_TEXT_PREFIX):
        return _TEXT_PREFIX + new_key if named_after(rec.path, rec.key) else rec.path
    path = PurePosixPath(rec.path)
    if path.is_absolute():
        return rec.path
    if media is not None:
        if "/" in media or "\\" in media or media.startswith(".") or not media.strip():
            raise InvalidInput(_("{name!r} cannot be a file name").format(name=media))
        return str(path.with_name(media))
    if named_after(rec.path, rec.key):
        return str(path.with_name(new_key + path.suffix))
    return rec.path


def moves_of(old: str, new: str) -> list[tuple[str, str]]:
    """(from, to) of every study file a recording's key names, whether it exists or not."""
    pairs = [(f"transcripts/{old}.{s}", f"transcripts/{new}.{s}") for s in TRANSCRIPT_SUFFIXES]
    return [*pairs, (f"audio/redacted/{old}.wav", f"audio/redacted/{new}.wav"),
            (f"audio/reference/{old}.txt", f"audio/reference/{new}.txt"),
            (f".qualtool/retranscribe/{old}.db", f".qualtool/retranscribe/{new}.db")]  # fmt: skip


def _moves(ws: Workspace, rec: Recording, new_key: str, new_path: str) -> list[tuple[str, str]]:
    """(from, to) of every study file named after the recording; only those that exist."""
    pairs = moves_of(rec.key, new_key)
    outside = PurePosixPath(rec.path).is_absolute()  # the user's own file: never moved
    if new_path != rec.path and not rec.path.startswith(_TEXT_PREFIX) and not outside:
        pairs.append((rec.path, new_path))
    root = ws.study.root
    return [(a, b) for a, b in pairs if a != b and (root / a).exists()]


def _walk(value: Any, old: str, new: str) -> Any:
    if isinstance(value, list):
        return [_walk(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: (new if k == "recording" and v == old else _walk(v, old, new))
                for k, v in value.items()}  # fmt: skip
    return value


def retargeted(ws: Workspace, old: str, new: str) -> dict[str, tuple[str, str]]:
    """The study files that mention the key, with their new text: {path: (before, after)},
    only those that change. Read and checked here, before anything is written."""
    root, out = ws.study.root, {}

    def target(key: str) -> str | None:
        return new if key == old else None

    for name, rekeyed in ((decisions.DECISIONS_FILE.as_posix(), decisions.rekeyed),
                          (speaker_map.FILE, speaker_map.rekeyed),
                          (assignments_file.FILE, assignments_file.rekeyed)):  # fmt: skip
        texts = rekeyed(root, target)
        if texts is not None:
            out[name] = texts
    folder = root / "conflicts"
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        text = path.read_text(encoding="utf-8")
        try:
            doc = json.loads(text)
        except ValueError:
            continue  # not ours to repair; `sync` names it
        after = _walk(doc, old, new)
        if after != doc:
            out[path.relative_to(root).as_posix()] = (
                text, json.dumps(after, ensure_ascii=False, indent=1))  # fmt: skip
    return out


def check(ws: Workspace, old: str, new: str, media: str | None = None,
          outside: str | None = None) -> tuple[Recording, str, list[tuple[str, str]]]:  # fmt: skip
    """Everything a rename needs, checked: the recording, its new file path, the moves. One
    clear error and nothing changed otherwise. `outside`: the path recorded for a media file
    outside the study, which is not moved (`anonymise --apply` records it without the name,
    the user moves the file; `--restore` records the old path again)."""
    ws.refuse_if_read_only()
    rec = store.get_recording(ws.db, old)
    new = new.strip()
    if new != rec.key:
        if not new:
            raise InvalidInput(_("a recording key cannot be empty"))
        check_name(new, "recording key")  # the rule of keys made at import: it names files
        if store.key_exists(ws.db, new):
            raise InvalidInput(_("a recording with key {key!r} already exists").format(key=new))
    path = rec.path if new == rec.key and media is None else media_path(rec, new, media)
    if outside is not None and PurePosixPath(rec.path).is_absolute():
        path = outside
    if new == rec.key and path == rec.path:
        raise InvalidInput(
            _("{key}: the new name is the same as the old one; nothing was changed").format(
                key=rec.key
            )
        )
    moves = _moves(ws, rec, new, path)
    for _a, b in moves:
        if (ws.study.root / b).exists():
            raise InvalidInput(_("{path} already exists; nothing was renamed").format(path=b))
    return rec, path, moves


@contextmanager
def _step(ws: Workspace, label: str, tid: int | None,
          journaled: bool) -> Iterator[journal.Recorder]:  # fmt: skip
    if journaled:
        with journal.action(ws.db, label, tid) as rec:
            yield rec
    else:  # inside `anonymise --apply`, which empties the history itself
        with ws.db.atomic():
            yield journal.Recorder(ws.db)


def rename(ws: Workspace, old: str, new: str, media: str | None = None, *,
           journaled: bool = True, texts: bool = True, regenerate: bool = True,
           outside: str | None = None) -> Renamed:  # fmt: skip
    """Rename recording `old` to `new` everywhere (see the module's note). `media`: the media
    file's new name (default: `<new><suffix>` when it is named after `old`). `texts=False,
    regenerate=False` (restoring an anonymisation, whose vault puts back every file's bytes):
    only the rows and the moves. `outside`: see `check`. A journaled rename (`qualtool rename`,
    the TUI) first reads the files a pull changed since the study was opened
    (`Workspace.catch_up`), as every write does: the manifest, layers and transcripts it writes
    then carry the colleague's work — a recording they added, their rename of this one (then
    `old` is no key any more: said, nothing changed) — instead of the open database's."""
    if journaled:  # checked first too: a rename refused as it stands reads nothing
        check(ws, old, new, media, outside)
        ws.catch_up()
    rec, path, moves = check(ws, old, new, media, outside)
    new = new.strip()
    changed = retargeted(ws, rec.key, new) if texts and new != rec.key else {}
    t = tr_store.get_transcript(ws.db, rec.id or 0, with_segments=False)
    label = _("rename {old} → {new}").format(old=rec.key, new=new)
    root = ws.study.root
    done: list[tuple[str, str]] = []
    written: list[tuple[str, str]] = []
    kept = {p: p.read_bytes() for p in _regenerated(ws, rec.key)} if regenerate else {}
    with _step(ws, label, t.id if t else None, journaled) as j:
        j.touch("recordings", rec.id)
        for memo in store.memos_naming(ws.db, rec.key):
            j.touch("memos", memo)
        store.rename_recording(ws.db, rec, new, path)
        try:
            for a, b in moves:
                ws.move_file(a, b)
                j.move(a, b)
                done.append((a, b))
            for rel, (before, after) in changed.items():
                _write(root / rel, after)
                j.file(rel, before, after)
                written.append((rel, before))
            if regenerate:
                renamed = store.get_recording(ws.db, rec.id or 0)
                write_outputs(ws, renamed)
                ws.save_layers()
                ws.save_manifest()
        except BaseException:
            _put_back(ws, done, written, kept, rec.key, new)
            raise
    return Renamed(rec.key, new, path, moves, list(changed))


def _regenerated(ws: Workspace, key: str) -> list[Path]:
    """The files the rename writes from the database, kept to put back on a failure."""
    root = ws.study.root
    out = [root / f"transcripts/{key}.{s}" for s in TRANSCRIPT_SUFFIXES]
    out += sorted((root / "codings").glob("*.json")) if (root / "codings").exists() else []
    out.append(ws.study.manifest_path)
    return [p for p in out if p.exists()]


def _put_back(ws: Workspace, done: list[tuple[str, str]], written: list[tuple[str, str]],
              kept: dict[Path, bytes], old: str, new: str) -> None:  # fmt: skip
    """A rename that failed half-way: the files as they were (the rows roll back)."""
    root = ws.study.root
    for rel, before in written:
        _write(root / rel, before)
    for a, b in reversed(done):
        if (root / b).exists():
            (root / b).rename(root / a)
    for path, data in kept.items():
        path.write_bytes(data)
    for s in TRANSCRIPT_SUFFIXES:  # written under the new key before the failure
        if (root / f"transcripts/{old}.{s}").exists() and new != old:
            (root / f"transcripts/{new}.{s}").unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def retarget(ws: Workspace, old: str, new: str) -> list[str]:
    """Only the files that mention key `old`, now naming `new` (not journaled): after
    `anonymise --restore` put back the files its vault holds, the ones it does not
    (codings/assignments.yml) or kept (edited since) still name the pseudonymised key."""
    changed = retargeted(ws, old, new)
    for rel, (_before, after) in changed.items():
        _write(ws.study.root / rel, after)
    return list(changed)
