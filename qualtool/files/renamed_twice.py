"""A `git pull` stopped by one recording renamed two ways: `qualtool rename` on two laptops,
to two different keys, both committed. git leaves rename/rename conflicts on every file named
after the key (transcripts/<key>.*, the media file, audio/reference/<key>.txt) and a text
conflict in audio/recordings.yml; the coder layers, speakers.yml and the other union-merged
files come out with lines under both keys.

`settle` finishes that merge's conflicts itself, the same way on every laptop: the name kept
is the one already pushed (the merged-in side, MERGE_HEAD), because every laptop that pulled
since already uses it — only the laptop now pulling changes, and its own name becomes an alias
(the sync follows the rename by the media's checksum and keeps the old key's hash, so work
under it is carried: `workspace.carry`). This side's edits of the files are kept: each file
is merged three ways with this side's key written as the kept one, so only the name differs.
Anything else — another conflict, a file changed on both sides differently, a rebase — is
too much to settle safely: the merge is aborted (the laptop as before the pull) and the user
is told, in one line, what to do. Plain files and git only: the database follows by sync.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qualtool.domain.errors import InvalidInput
from qualtool.files import assignments, decisions, speaker_map
from qualtool.files.assignments import FILE as ASSIGNMENTS
from qualtool.i18n import _

MANIFEST = "audio/recordings.yml"
_SUFFIXES = ("json", "md", "srt", "vtt")
# one recording's (key, file) in the merge base, on this side and on the pushed side
Twice = tuple[tuple[str, str], tuple[str, str], tuple[str, str]]


@dataclass(frozen=True)
class Settled:
    """One recording renamed two ways: `old` its key before, `kept` the pushed name, `dropped`
    this laptop's (now an alias)."""

    old: str
    kept: str
    dropped: str


def named_files(key: str) -> list[str]:
    """The study files named after a recording's key (its media file aside)."""
    return [*(f"transcripts/{key}.{s}" for s in _SUFFIXES), f"audio/redacted/{key}.wav",
            f"audio/reference/{key}.txt"]  # fmt: skip


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def _out(root: Path, *args: str) -> bytes:
    done = _git(root, *args)
    if done.returncode:
        raise OSError(done.stderr.decode(errors="replace").strip())
    return done.stdout


def _unmerged(root: Path) -> dict[str, dict[int, str]]:
    """{path: {stage: blob}} of the index's unmerged entries."""
    out: dict[str, dict[int, str]] = {}
    for entry in _out(root, "ls-files", "-u", "-z").split(b"\0"):
        if entry:
            meta, path = entry.decode().split("\t", 1)
            _mode, blob, stage = meta.split()
            out.setdefault(path, {})[int(stage)] = blob
    return out


def _show(root: Path, rev: str, path: str) -> bytes | None:
    """A file as a commit holds it (the index's stages of a rename/rename hold git's own
    merge of the two, conflict markers and all); None when it holds none."""
    done = _git(root, "show", f"{rev}:{path}")
    return done.stdout if done.returncode == 0 else None


def _recordings(text: bytes) -> dict[str, tuple[str, str]]:
    """{media checksum: (key, file)} of a manifest's text."""
    try:
        doc: Any = YAML(typ="safe").load(text.decode("utf-8")) or {}
    except Exception:
        return {}
    entries = doc.get("recordings") if isinstance(doc, dict) else doc
    out = {}
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and e.get("sha256") and e.get("key"):
            out[str(e["sha256"])] = (str(e["key"]), str(e.get("file") or ""))
    return out


def _merged(base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    """git's three-way merge of three texts; None when it conflicts."""
    if ours == theirs:
        return theirs
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            (Path(tmp) / name).write_bytes(data)
            names.append(str(Path(tmp) / name))
        done = subprocess.run(["git", "merge-file", "-p", *names], capture_output=True,
                              check=False)  # fmt: skip
    return done.stdout if done.returncode == 0 else None


def _rekey(text: bytes, old: str, new: str) -> bytes:
    """A transcript's text as it reads under the kept key (qualtool writes the key into it)."""
    return text.replace(old.encode(), new.encode()) if old != new else text


def _as_kept(text: bytes, pairs: list[tuple[str, str]]) -> bytes:
    """This side's manifest with its `key:` and `file:` lines of a twice-renamed recording
    written as the kept side's (only those lines: the rest merges as git merges it)."""
    lines = text.decode("utf-8").split("\n")
    for i, line in enumerate(lines):
        head, sep, value = line.partition(": ")
        if sep and head.strip(" -") in ("key", "file"):
            for old, new in pairs:
                if value.strip().strip("'\"") == old:  # quoted or not, as it was written
                    lines[i] = head + sep + value.replace(old, new)
    return "\n".join(lines).encode("utf-8")


class _TooWild(Exception):
    pass


def settle(root: Path) -> list[Settled]:
    """Settle a merge stopped by recordings renamed two ways (see the module's note); [] when
    no merge is stopped so (nothing done). Raises InvalidInput after aborting the merge when
    the rest of it cannot be settled safely, or a rebase stopped so (its commits replayed one
    by one: no merge to settle — it was left stopped, the manifest's markers refusing every
    command with a parse error)."""
    try:
        top = Path(_out(root, "rev-parse", "--show-toplevel").decode().strip())
        head = next((h for h in ("MERGE_HEAD", "REBASE_HEAD")
                     if not _git(root, "rev-parse", "-q", "--verify", h).returncode), None)  # fmt: skip
        if top.resolve() != root.resolve() or head is None:
            return []
        unmerged = _unmerged(root)
    except OSError:
        return []  # not a git repository, or no git: nothing of ours to settle
    stages = unmerged.get(MANIFEST, {})
    if len(stages) != 3:
        return []
    try:  # a rebase replays this laptop's commit (REBASE_HEAD) on the pushed one (HEAD)
        fork = _out(root, "merge-base", "HEAD", head) if head == "MERGE_HEAD" else b"REBASE_HEAD^"
        revs = (fork.decode().strip(), "HEAD", head)
    except OSError:
        return []
    base, ours, theirs = (_recordings(_show(root, r, MANIFEST) or b"") for r in revs)
    twice: list[Twice] = [
        (base[s], ours[s], theirs[s]) for s in sorted(base)
        if s in ours and s in theirs and len({base[s][0], ours[s][0], theirs[s][0]}) == 3
    ]  # fmt: skip
    if not twice:
        return []
    if head == "REBASE_HEAD":  # `git pull --rebase` (pull.rebase set): a merge qualtool settles
        _git(root, "rebase", "--abort")
        raise InvalidInput(_(
            "the pull (a rebase) stopped on a recording renamed here and in the pull: it was "
            "undone; pull with `git pull --no-rebase`, and qualtool settles the merge"
        ))  # fmt: skip
    try:
        _resolve(root, unmerged, revs, twice)
    except (_TooWild, OSError, UnicodeDecodeError):
        _git(root, "merge", "--abort")
        raise InvalidInput(_(
            "the pull renamed a recording that was renamed here too, and changed more than "
            "qualtool can settle: the pull was undone; agree on one name, `qualtool rename` to "
            "it, commit, then pull again"
        )) from None  # fmt: skip
    return [Settled(b[0], t[0], o[0]) for b, o, t in twice]


def _resolve(root: Path, unmerged: dict[str, dict[int, str]], revs: tuple[str, str, str],
             twice: list[Twice]) -> None:  # fmt: skip
    """Write and stage the kept side of every twice-renamed file and the merged manifest;
    _TooWild when anything else is left unmerged or a file does not merge cleanly."""
    families = [[*zip(named_files(old), named_files(mine), named_files(kept), strict=True),
                 (f1, f2, f3)] for (old, f1), (mine, f2), (kept, f3) in twice]  # fmt: skip
    if set(unmerged) - {MANIFEST} - {p for fam in families for trio in fam for p in trio}:
        raise _TooWild(MANIFEST)  # another conflict: nothing written
    for ((old, f1), (mine, _f2), (kept, _f3)), trios in zip(twice, families, strict=True):
        for p1, p2, p3 in trios:
            if not {p1, p2, p3} & set(unmerged):
                continue  # in neither side, or no conflict on it
            s1, s2, s3 = (_show(root, r, p) for r, p in zip(revs, (p1, p2, p3), strict=True))
            media = p1 == f1  # the same recording's bytes on both sides, or refused
            text = p3.startswith("transcripts/")  # qualtool writes the key into these
            a, b, c = (x or b"" for x in (s1, s2, s3))
            if text:
                a, b = _rekey(a, old, kept), _rekey(b, mine, kept)
            merged: bytes | None = None
            if s2 is not None and s3 is not None:
                merged = c if b == c else (None if media else _merged(a, b, c))
            elif s2 is not None or s3 is not None:
                merged = b if s3 is None else c
            for gone in {p1, p2} - {p3}:  # the old key's (deleted on both sides) and ours
                _out(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", gone)
                (root / gone).unlink(missing_ok=True)
            if s2 is None and s3 is None:
                continue  # gone on both sides
            if merged is None:
                raise _TooWild(p3)
            (root / p3).parent.mkdir(parents=True, exist_ok=True)
            (root / p3).write_bytes(merged)
            _out(root, "add", "--", p3)
    pairs = [(o[0], t[0]) for _b, o, t in twice] + [(o[1], t[1]) for _b, o, t in twice]
    a, b, c = (_show(root, r, MANIFEST) or b"" for r in revs)
    manifest = _merged(a, _as_kept(b, pairs), c)
    if manifest is None:
        raise _TooWild(MANIFEST)
    (root / MANIFEST).write_bytes(manifest)
    _out(root, "add", "--", MANIFEST)
    if _unmerged(root):
        raise _TooWild(MANIFEST)


def dirty(root: Path) -> set[str]:
    """The tracked files changed and not yet staged: the user's own, never swept into the
    merge commit (`conclude`)."""
    try:
        names = _out(root, "diff", "--name-only", "-z")
    except OSError:
        return set()
    return {n for n in names.decode().split("\0") if n}


# the shared files the sync rekeys (`workspace.carry.carry_files`), by their path
_REKEYED = {ASSIGNMENTS: assignments.rekeyed, speaker_map.FILE: speaker_map.rekeyed,
            decisions.DECISIONS_FILE.as_posix(): decisions.rekeyed}  # fmt: skip


def _rekeyed_yaml(root: Path, name: str, text: bytes, target: dict[str, str]) -> bytes:
    """codings/assignments.yml, speakers.yml or privacy/decisions.yml as `text` reads,
    rekeyed as the sync rekeys it (in a scratch folder: those modules read a study's root)."""
    rekey = _REKEYED[name]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(tmp) / name).write_bytes(text)
        toml = _git(root, "show", ":study.toml")  # speakers.yml's comment: the study's language
        (Path(tmp) / "study.toml").write_bytes(toml.stdout if toml.returncode == 0 else b"")
        moved = rekey(Path(tmp), target.get)
    return moved[1].encode("utf-8") if moved else text


def _field(key: str) -> bytes:
    """`"recording": "<key>"` as a layer line writes it."""
    return json.dumps({"recording": key}, ensure_ascii=False)[1:-1].encode("utf-8")


def _carry_staged(root: Path, name: str, settled: list[Settled]) -> None:
    """A file the user had changed and not committed stays theirs, unstaged — but the merge's
    version of it may still name this laptop's key (or the old one): staged carried to the
    kept key, as the sync carried the working file, or the push would hand every other laptop
    lines to carry and write back (its `git status` never clean after a sync)."""
    done = _git(root, "show", f":{name}")
    if done.returncode:
        return
    text, target = done.stdout, {k: s.kept for s in settled for k in (s.dropped, s.old)}
    if name in _REKEYED:
        text = _rekeyed_yaml(root, name, text, target)
    elif name.startswith("codings/") and name.endswith(".json"):  # a coder layer's lines
        for gone, kept in target.items():
            text = text.replace(_field(gone), _field(kept))
    if text != done.stdout:
        blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=text,
                              capture_output=True, check=True).stdout.decode().strip()  # fmt: skip
        mode = _out(root, "ls-files", "-s", "--", name).decode().split()[0]
        _out(root, "update-index", "--cacheinfo", f"{mode},{blob},{name}")


def conclude(root: Path, before: set[str], settled: list[Settled] | None = None) -> bool:
    """Commit the settled merge with what the sync wrote since (`before`: changes that were
    the user's already, committed as merged, their layer lines carried: `_carry_staged`).
    False when git would not commit (no name set up): the merge is left staged, for the
    user's `git commit`."""
    for name in sorted(dirty(root) - before):
        _git(root, "add", "--", name)
    for name in sorted(before):
        _carry_staged(root, name, settled or [])
    env = {**os.environ, "GIT_EDITOR": "true"}
    done = subprocess.run(["git", "commit", "-q", "--no-edit"], cwd=root, capture_output=True,
                          env=env, check=False)  # fmt: skip
    return done.returncode == 0
