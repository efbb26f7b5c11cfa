"""The originals the vault's finished applies replaced, read back from what it keeps (each row's
and file's text before the apply beside the text after it, the renamed keys, the people's
names): what `qualtool fresh-copy` searches every object of its copy for, and what `--apply`
searches the exports left in the study for (`apply.stale_exports`)."""

from __future__ import annotations

import difflib
import html
import io
import re
import zipfile
from base64 import b64decode
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from qualtool.domain.pseudonym import MARKS, NUMBERED
from qualtool.privacy.vault import Vault

_TOKEN = re.compile(r"\w+(?:[-.]\w+)*|[^\w\s]")
# what an apply writes in place of an original: a pseudonym, a mark's word
_PSEUDONYM = re.compile(
    r"(?i)\bимя-\d+|" + "|".join(re.escape(m.strip("[]-")) for m in MARKS if m.startswith("["))
)
_SHORTEST = 3  # «Ли» or «Д.» alone would be found in any word


def _replaced(before: str, after: str) -> Iterable[str]:
    """The words of `before` an apply replaced in `after`: each run of words that now reads a
    pseudonym or a mark («Имя-3», «[телефон]»), as written there (each case form as it was),
    and its capitalised words alone. A word edited away since is no original."""
    a = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(before)]
    b = [m.group() for m in _TOKEN.finditer(after)]
    ops = difflib.SequenceMatcher(None, [t[2] for t in a], b, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op != "replace" or not _PSEUDONYM.search(" ".join(b[j1:j2])):
            continue
        yield before[a[i1][0] : a[i2 - 1][1]]
        yield from (w for _s, _e, w in a[i1:i2] if w[:1].isupper() and w.isalpha())


def of(vault: Vault, root: Path) -> set[str]:
    """Every original the vault's finished applies replaced: the words of each changed row and
    file as they were, the renamed keys and file names, the people's names it records."""
    found: set[str] = set()
    for entry in (a for a in vault.applies if a.get("state") == "done"):
        renames = entry.get("renames", [])
        for items in entry.get("rows", {}).values():
            for item in items:
                for col, old in item.get("before", {}).items():
                    new = item.get("after", {}).get(col)
                    if isinstance(old, str) and isinstance(new, str) and old != new:
                        found.update(_replaced(old, new))
        for rel, kept in entry.get("files", {}).items():
            for r in renames:  # a renamed recording's transcript is under its new key now
                rel = rel.replace(str(r.get("old")), str(r.get("new")))
            now = root / rel
            if now.is_file():
                old = b64decode(kept.get("before", "")).decode("utf-8", "replace")
                found.update(_replaced(old, now.read_text("utf-8", "replace")))
        for r in renames:
            found.update(str(r[k]) for k in ("old", "old_path") if r.get(k))
            if r.get("old_path"):
                found.update({Path(str(r["old_path"])).name, Path(str(r["old_path"])).stem})
        for words, kind, _key, _legacy in entry.get("names", []):
            found.add(str(words).title() if kind == "person" else str(words))
    return {c for c in map(_clean, found) if _needle(c)}


def _clean(word: str) -> str:
    return word.strip(" \t\n.,;:!?«»\"'()[]—-")


def _needle(word: str) -> bool:
    if len(word) < _SHORTEST or not any(c.isalpha() for c in word):
        return False
    return not (NUMBERED.search(word) or any(m.strip("-") in word for m in MARKS))


def forms(words: Iterable[str]) -> list[bytes]:
    """Each original as recorded, in capitals and capitalised too (a heading, «ЗАУРЕШ»)."""
    return sorted({f.encode() for w in words for f in (w, w.upper(), w[:1].upper() + w[1:])})


def readable(data: bytes) -> list[bytes]:
    """The bytes an original could be found in: `data`, and each member of it when it is a zip
    (DOCX, XLSX, QDPX: deflated, a name is not in their bytes), with XML's character references
    read (openpyxl writes «Гульнара» as «&#1043;&#1091;…»: a byte grep never saw it)."""
    out = [data]
    if data[:4] != b"PK\x03\x04":
        return out
    with suppress(zipfile.BadZipFile, OSError, ValueError), zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            member = z.read(name)
            out.append(member)
            if b"&#" in member:
                out.append(html.unescape(member.decode("utf-8", "replace")).encode())
    return out


def holds(data: bytes, needles: list[bytes]) -> bool:
    """Any of `needles` in `data` (`readable`)."""
    return any(w in blob for blob in readable(data) for w in needles)
