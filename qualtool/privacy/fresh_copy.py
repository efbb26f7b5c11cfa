"""`qualtool fresh-copy DEST`: the study's shareable files as a new git repository of one commit.

`anonymise --apply` rewrites the files, but every commit made before it still holds the
originals: a colleague who clones the study gets them all back with `git log -p`. The README
said «share a fresh copy» and nothing made one. This does: the files git tracks now (and those
it would track — the new files of a recording `--apply` renamed), as the working tree holds
them, never qualtool.db nor the vault (which lives outside the study anyway), the study's
.gitattributes and .gitignore kept so a team can clone it and work.

Then it proves it: every object of the new repository (`git cat-file --batch-all-objects
--batch`, blobs, trees — file names — and the commit) is searched for every original the
vault holds, in the case forms it recorded them in. One found, the copy is removed and the
file that holds it is named; the caller says how many objects were checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.domain.pseudonym import NUMBERED
from qualtool.i18n import _, ngettext
from qualtool.privacy import originals
from qualtool.privacy import vault as vault_mod
from qualtool.privacy.apply import INTENT, numbered_plan
from qualtool.privacy.apply import study_vault as open_study_vault
from qualtool.privacy.vault import Vault
from qualtool.store import privacy as store
from qualtool.store.vault import study_uuid
from qualtool.workspace.study import Workspace

# never in a copy, whatever a study's .gitignore says: the cache (it holds the originals'
# free pages) and an apply's intent
_NEVER = re.compile(r"(^|/)qualtool\.db(-.*)?$|(^|/)\.qualtool/|\.vault$|\.key$")


@dataclass
class FreshCopy:
    dest: Path
    files: int = 0
    objects: int = 0
    originals: int = 0
    warnings: list[str] = field(default_factory=list)


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True,
                              check=True, env=env)  # fmt: skip
    except FileNotFoundError:
        raise QualtoolError(_("git is not installed: a fresh copy is a git repository")) from None
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise QualtoolError(_("git {args} failed: {error}").format(
            args=" ".join(args[:2]), error=msg[-1] if msg else exc.returncode)) from None  # fmt: skip
    return done.stdout


def study_vault(ws: Workspace, passphrase: str | None = None,
                key_file: Path | None = None) -> Vault | None:  # fmt: skip
    """The study's vault on this laptop, None where it has none (never anonymised here: a
    copy is then checked for nothing, and said so); a locked one refuses."""
    if not vault_mod.exists(study_uuid(ws.db)):
        return None
    return open_study_vault(ws, passphrase, key_file, create=False)


def shareable(root: Path) -> list[str]:
    """The files git tracks now and those it would (not ignored), that exist: posix paths."""
    if not (root / ".git").exists():
        raise InvalidInput(_("{path} is not a git repository: share the study folder itself "
                             "(without qualtool.db)").format(path=root))  # fmt: skip
    out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    rels = sorted({p for p in out.decode("utf-8").split("\0") if p})
    return [p for p in rels if (root / p).is_file() and not _NEVER.search(p)
            and p != INTENT.as_posix()]  # fmt: skip


def undecided(ws: Workspace, vault: Vault | None) -> list[str]:
    """Why the study is not ready to share, in the viewer's words (empty when it is): never
    anonymised, or findings `--apply` would still replace."""
    out: list[str] = []
    done = vault is not None and any(a.get("state") == "done" for a in vault.applies)
    if not done and not any(t and NUMBERED.search(t) for t in store.study_texts(ws.db)):
        out.append(_("the study is not anonymised (run `qualtool anonymise --apply` first)"))
    _numbering, rep = numbered_plan(ws, vault)
    left = sum(rep.entities.values()) + len(rep.planned.findings) + len(rep.metadata.findings)
    if left or any(rep.rows.values()) or rep.metadata.renames or rep.planned.texts:
        out.append(ngettext("the review lists {n} finding --apply has not replaced yet",
                            "the review lists {n} findings --apply has not replaced yet",
                            left).format(n=left))  # fmt: skip
    return out


def _empty(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidInput(_("{path} exists and is not empty: give a new folder").format(path=dest))


def make(ws: Workspace, dest: Path, vault: Vault | None, anyway: bool = False) -> FreshCopy:
    """The fresh copy at `dest`, verified; refused (nothing written) when `dest` is not empty,
    or the study is not ready to share unless `anyway` (then said as warnings)."""
    dest = dest.resolve()
    root = ws.study.root.resolve()
    _empty(dest)
    if dest == root or dest.is_relative_to(root):
        raise InvalidInput(_("{path} is inside the study: give a folder outside it").format(
            path=dest))  # fmt: skip
    if (root / INTENT).exists():
        raise QualtoolError(_("an anonymisation is unfinished: open the study once "
                              "(`qualtool ls`) to finish it, then make the copy"))  # fmt: skip
    files = shareable(root)
    report = FreshCopy(dest, files=len(files), warnings=undecided(ws, vault))
    if report.warnings and not anyway:
        raise QualtoolError(_("not copied: {why}; --anyway to copy it as it is").format(
            why="; ".join(report.warnings)))  # fmt: skip
    needles = originals.forms(originals.of(vault, root)) if vault is not None else []
    report.originals = len(needles)
    existed = dest.exists()
    try:
        for rel in files:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, target)
        _commit(dest)
        report.objects = _verify(dest, needles)
    except BaseException:
        _remove(dest, existed)
        raise
    return report


def _commit(dest: Path) -> None:
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    who = ["-c", "user.name=qualtool", "-c", "user.email=qualtool@localhost"]
    named = subprocess.run(["git", "config", "user.email"], cwd=dest, capture_output=True)
    _git(dest, *([] if named.stdout.strip() else who), "commit", "-q", "--no-verify", "-m",
         _("A fresh copy of the study, anonymised (qualtool fresh-copy)"))  # fmt: skip


def _objects(dest: Path) -> Iterable[tuple[str, str, bytes]]:
    raw = _git(dest, "cat-file", "--batch-all-objects", "--batch")
    pos = 0
    while pos < len(raw):
        nl = raw.index(b"\n", pos)
        sha, kind, size = raw[pos:nl].decode().split()
        start = nl + 1
        yield sha, kind, raw[start : start + int(size)]
        pos = start + int(size) + 1


def _verify(dest: Path, needles: list[bytes]) -> int:
    """The number of objects searched; an original found raises, naming where it is."""
    paths: dict[str, str] = {}
    for line in _git(dest, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
        if line:
            meta, _tab, path = line.partition(b"\t")
            paths[meta.split()[2].decode()] = path.decode("utf-8", "replace")
    n = 0
    for sha, kind, body in _objects(dest):
        n += 1
        if originals.holds(body, needles):
            where = paths.get(sha) or _("a {kind} object {sha}").format(kind=kind, sha=sha[:12])
            raise QualtoolError(_("{where} still holds an original the vault keeps: the copy was "
                                  "removed; run `qualtool anonymise` to review it").format(
                                      where=where))  # fmt: skip
    return n


def _remove(dest: Path, existed: bool) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    if existed:
        dest.mkdir(exist_ok=True)


def describe(report: FreshCopy) -> str:
    return _("fresh copy at {dest}: {files} file(s), one commit; {objects} git object(s) "
             "checked for {n} original form(s) from the vault: none holds one").format(
                 dest=report.dest, files=report.files, objects=report.objects,
                 n=report.originals)  # fmt: skip
