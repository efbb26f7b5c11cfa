"""Names in a recording's metadata: the interviewer, the participants' pseudonyms and
attributes, the recording's key and its media file's name.

`anonymise --apply` promised that an original name is left only in the vault, but these
fields were never read: a recording imported from «Интервью Гульнара Серикбаевна.flac» kept
the name in its key (transcripts/<key>.*, every codings/<coder>.json line, the decisions) and in
its file, and an interviewer typed as «Айгерим Бекова» stayed in audio/recordings.yml.

The interviewer and the participants' values are read like any text outside the transcript
(the study's detector, the names added by hand, the words the review replaces in the
segments): a value that is already a pseudonym («R01», «Интервьюер 1») has no name in it and
stays. A key is lower case with hyphens, where the detector sees nothing, so its words are
matched against every person known — the segments' reviewed names, those found in the
metadata, the memos, notes and labels, and the people the vault's earlier applies replaced
(`Pseudonymiser.earlier`: a key or interviewer added after the person's text was cleaned) — in
any case form and in Latin letters, and against the listed first names (`key_names`); each
run of a person's words is replaced by their pseudonym, slugified like an import key
(«интервью-гульнара-серикбаевна» → «интервью-имя-1»). The media file's name keeps its
capitals, so the detector reads it too, «_» read as a space («Шолпан_К_заметки»).
A key or file to rename goes through the one rename service (`recordings.rename`).
A media file outside the study (imported with `--no-copy`) is the user's own and is never
moved: when its path holds a name, `--apply` records the path with the names replaced
(`Rename.outside`: its folders read by the detector, its name as a file in the study is), so
no file of the study keeps it; the listing and `--apply` say, one line a recording, that the
user must rename or move the file there (`Plan.outside`) — until then its media is missing —
and `--restore` records the old path again.
`describe` words a finding the same way for the CLI's listing and the review screen (F10).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from qualtool.domain import Recording
from qualtool.i18n import N_, _
from qualtool.privacy import key_names, lone_names, outside_names
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.pseudonyms import Pseudonymiser, merge_overlapping
from qualtool.recordings.importing import slug
from qualtool.recordings.rename import media_path, moves_of, named_after, rename
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import Workspace

KEY, FILE, INTERVIEWER, PARTICIPANT = "key", "file", "interviewer", "participant"
OUTSIDE = "outside"  # a media file outside the study whose path holds a name: renamed by hand
# each field as a column names it, in the viewer's language
FIELD_WORDS = {KEY: N_("key"), FILE: N_("file"), INTERVIEWER: N_("interviewer"),
               PARTICIPANT: N_("participant"), OUTSIDE: N_("file")}  # fmt: skip
IMPORTED = "imported:"  # a transcript's model when it was imported from a file


@dataclass(frozen=True, slots=True)
class Rename:
    old: str
    new: str
    media: str | None  # the media file's new name; None: the rename service's rule
    old_path: str
    new_path: str
    outside: bool = False  # a media file outside the study: its path recorded, never moved
    rec_id: int = 0  # the recording's row: the intent names it by this, never by its key


@dataclass(frozen=True, slots=True)
class Finding:
    """One metadata value with a name in it, for the listing."""

    recording: str
    field: str  # KEY | FILE | INTERVIEWER | PARTICIPANT | OUTSIDE
    original: str
    replacement: str
    names: tuple[str, ...] = ()  # the words found (a key's, a file name's)
    label: str = ""  # a participant's attribute: its name
    # a surname or patronymic alone that several of the study's people may be: why it is
    # listed «check» (`lone_names.doubt`, a message id translated when shown)
    note: str = ""
    could: tuple[str, ...] = ()  # the people it could be (`lone_names.candidates`)


@dataclass
class Plan:
    recordings: list[dict[str, Any]] = field(default_factory=list)  # {"id", "interviewer"}
    participants: list[dict[str, Any]] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # media files outside the study whose path holds a name (field OUTSIDE): not moved
    outside: list[Finding] = field(default_factory=list)
    # the detector that knows the people named in the metadata too: an export reads speaker
    # labels and free text with it, so «Шолпан Кенжебаева:» loses her first name as well
    detect: outside_names.Detect | None = None
    # every person known: the segments', the metadata's, the memos', notes' and labels', and
    # those the vault's earlier applies replaced (kept in this apply's vault record)
    people: outside_names.Known = field(default_factory=dict)
    clean_stem: Callable[[str], str] | None = None  # a file's stem cleaned (`clean_stem`)


def record(r: Rename) -> dict[str, Any]:
    """A rename as the apply's vault record keeps it (`rename_all`, `rename_back` read it)."""
    return {"old": r.old, "new": r.new, "media": r.media, "old_path": r.old_path,
            "outside": r.new_path if r.outside else None}  # fmt: skip


def key_words(key: str) -> str:
    """The key read as words, each capitalised, character for character («интервью-гульнара»
    → «Интервью Гульнара»): a span found in it is the same span of the key."""
    spaced = "".join(c if c.isalpha() else (c if c.isdigit() else " ") for c in key)
    return re.sub(r"(?<![^\W\d_])[^\W\d_]", lambda m: m.group().upper(), spaced)


def clean_source(model: str | None, clean: Callable[[str], str],
                 stem: Callable[[str], str] | None = None) -> str | None:  # fmt: skip
    """A transcript's model, «imported:<file name>» for an imported one: the name's stem read
    on its own («Гульнара Серикбаевна.txt» — glued to the suffix the surname is no name), by
    `stem` when given (`Plan.clean_stem`: «sholpan_kenzhebaeva_notes», «Шолпан_К_заметки»)."""
    if not model or not model.startswith(IMPORTED):
        return clean(model) if model else model
    name = PurePosixPath(model[len(IMPORTED) :])
    return IMPORTED + (stem or clean)(name.stem) + name.suffix


def _media(rec: Recording) -> PurePosixPath | None:
    """The recording's own file inside the study, or None (a text source, an outside file)."""
    if rec.path.startswith("text:") or PurePosixPath(rec.path).is_absolute():
        return None
    return PurePosixPath(rec.path)


def _values(rec: Recording) -> list[str]:
    """The values a person is found in. The media file's name counts wherever the file is: one
    outside the study is never moved, but a key made from its name must still be renamed."""
    out = [rec.interviewer or ""]
    for p in rec.participants:
        out += [p.pseudonym, *p.attributes.values()]
    stem = "" if rec.path.startswith("text:") else PurePosixPath(rec.path).stem
    return [*out, stem]


def plan(ws: Workspace, pseud: Pseudonymiser, det: Detector, known: outside_names.Known,
         keys: list[str] | None = None) -> Plan:  # fmt: skip
    """What changes in the recordings' metadata (nothing written). `known`: the words the
    review replaces in the segments (`outside_names.reviewed`)."""
    recs = [r for r in rec_store.list_recordings(ws.db) if not keys or r.key in keys]
    people = _merge(known, pseud.earlier)
    base = outside_names.detector(ws, det, people)
    texts = [*(v for r in recs for v in _values(r)), *(p.text for p in outside_names.places(ws))]
    found = [e for v in texts if v for e in base(spaced(v)) if e.kind is Kind.PERSON]
    people = _merge(people, outside_names.reviewed(found))
    detect = outside_names.detector(ws, det, people)
    out = Plan(detect=detect, people=people,
               clean_stem=lambda s: clean_stem(s, pseud, detect, people))  # fmt: skip
    # an interviewer or participant belongs to no one transcript (a participant is shared by
    # recordings): a surname or patronymic alone there is the study's one person with it, as
    # in memos and speaker labels (`lone_names.in_study`)
    study = lone_names.study_people(e for by in people.values() for e in by.values())

    def joined(text: str) -> list[Entity]:
        return lone_names.in_study(detect(text), study)

    def doubt(text: str) -> tuple[str, tuple[str, ...]]:  # «check», as in memos and labels
        return lone_names.doubt(joined(text), study)

    seen: set[int] = set()
    names = {p.pseudonym for p in rec_store.list_participants(ws.db)}  # unique in the table
    for rec in recs:
        _people(rec, pseud, joined, doubt, out, seen, names)
        if rec.interviewer and (new := pseud.apply(rec.interviewer, joined)) != rec.interviewer:
            out.recordings.append({"id": rec.id, "interviewer": new})
            note, could = doubt(rec.interviewer)
            out.findings.append(Finding(rec.key, INTERVIEWER, rec.interviewer, new, note=note,
                                        could=could))  # fmt: skip
    taken = {r.key for r in rec_store.list_recordings(ws.db)}
    for rec in recs:
        _rename(ws, rec, pseud, detect, people, taken, out)
    return out


def _outside_path(rec: Recording, pseud: Pseudonymiser, detect: outside_names.Detect,
                  people: outside_names.Known) -> str:  # fmt: skip
    """A media file outside the study (imported with `--no-copy`): its path with the names
    in its folders' and its own name replaced — what the study records; the file itself, the
    user's own, is never moved."""
    if rec.path.startswith("text:") or not PurePosixPath(rec.path).is_absolute():
        return rec.path
    path = PurePosixPath(rec.path)
    folders = [pseud.apply(part, detect) for part in path.parent.parts[1:]]
    stem = clean_stem(path.stem, pseud, detect, people)
    return str(PurePosixPath(path.parts[0], *folders, stem + path.suffix))


def describe(m: Finding) -> str:
    """One name in a recording's metadata as the listing and the review screen show it."""
    if m.field == KEY:
        return _("{key}: the recording's key holds «{names}» → it will be renamed to "
                 "{new}").format(key=m.recording, names=", ".join(m.names), new=m.replacement)  # fmt: skip
    if m.field == FILE:
        return _("{key}: the file name {path} holds a name → it will be renamed to "
                 "{new}").format(key=m.recording, path=m.original, new=m.replacement)  # fmt: skip
    if m.field == OUTSIDE:
        return _("{key}: the file outside the study {path} holds a name → the study will name "
                 "it {new}; rename or move the file there yourself (qualtool does not touch "
                 "files outside the study)").format(
                     key=m.recording, path=m.original, new=m.replacement)  # fmt: skip
    if m.field == INTERVIEWER:
        return _("{key}: interviewer «{value}» → {new}").format(
            key=m.recording, value=m.original, new=m.replacement)  # fmt: skip
    if m.label:
        return _("{key}: participant's {field} «{value}» → {new}").format(
            key=m.recording, field=m.label, value=m.original, new=m.replacement)  # fmt: skip
    return _("{key}: participant «{value}» → {new}").format(
        key=m.recording, value=m.original, new=m.replacement)  # fmt: skip


def _people(rec: Recording, pseud: Pseudonymiser, detect: outside_names.Detect,
            doubt: Callable[[str], tuple[str, tuple[str, ...]]], out: Plan, seen: set[int],
            names: set[str]) -> None:  # fmt: skip
    """Each participant once (they are shared between recordings). Two typed for one person
    («Гульнара», «Гульнару») get one pseudonym, which the table holds once: the second is
    told apart by its number, never left with the name. `doubt`: why a value is to check."""
    for p in rec.participants:
        if p.id is None or p.id in seen:
            continue
        seen.add(p.id)
        name = pseud.apply(p.pseudonym, detect)
        if name != p.pseudonym:
            base, n = name, 2
            while name in names:
                name, n = f"{base} ({n})", n + 1
            names.add(name)
        attrs = {k: pseud.apply(v, detect) for k, v in p.attributes.items()}
        if name == p.pseudonym and attrs == p.attributes:
            continue
        out.participants.append({"id": p.id, "pseudonym": name,
                                 "attributes": json.dumps(attrs, ensure_ascii=False)})  # fmt: skip
        if name != p.pseudonym:
            note, could = doubt(p.pseudonym)
            out.findings.append(Finding(rec.key, PARTICIPANT, p.pseudonym, name, note=note,
                                        could=could))  # fmt: skip
        for k, v in p.attributes.items():
            if attrs[k] != v:
                note, could = doubt(v)
                out.findings.append(Finding(rec.key, PARTICIPANT, v, attrs[k], label=k,
                                            note=note, could=could))  # fmt: skip


def _merge(*knowns: outside_names.Known) -> outside_names.Known:
    """The people of all, the first's entity where two name the same words."""
    out: outside_names.Known = {}
    for known in knowns:
        for first, by in known.items():
            words = out.setdefault(first, {})
            for w, e in by.items():
                words.setdefault(w, e)
    return out


def spaced(stem: str) -> str:
    """A file stem with «_» read as a space, character for character («Шолпан_К_заметки»): a
    span found in it is the same span of the stem."""
    return stem.replace("_", " ")


def clean_stem(stem: str, pseud: Pseudonymiser, detect: outside_names.Detect,
               people: outside_names.Known) -> str:  # fmt: skip
    """A file's stem with the people it names replaced: what the detector finds in it read as
    words, and the known people and listed first names in it, Cyrillic or Latin
    (`key_names.find`)."""
    found = [*detect(spaced(stem)), *key_names.find(stem, people)]
    return pseud.replace(stem, merge_overlapping(stem, found))[0] if found else stem


def _stray(root: Path, key: str) -> bool:
    """A file of the study already named after `key` (one left behind): the rename, made after
    the database is committed, must not stop on it."""
    return any((root / a).exists() for a, _b in moves_of(key, key))


def _in_key(key: str, people: outside_names.Known) -> list[Entity]:
    words = key_words(key)
    found = [e for e in outside_names.known_in(words, people) if e.kind is Kind.PERSON]
    return merge_overlapping(key, [*found, *key_names.find(key, people)])


def _rename(ws: Workspace, rec: Recording, pseud: Pseudonymiser, detect: outside_names.Detect,
            people: outside_names.Known, taken: set[str], out: Plan) -> None:  # fmt: skip
    ents = _in_key(rec.key, people)
    new_key = rec.key
    if ents:
        text, edits = pseud.replace(rec.key, ents)
        parts, last = [], 0
        for e in edits:  # the pseudonym slugified, the rest of the key as it was
            parts += [text[last : e.new_start], slug(text[e.new_start : e.new_end])]
            last = e.new_end
        new_key = "".join([*parts, text[last:]])
    media = _media(rec)
    new_name: str | None = None
    outside_path = _outside_path(rec, pseud, detect, people)  # recorded, the file never moved
    if outside_path != rec.path:
        out.outside.append(Finding(rec.key, OUTSIDE, rec.path, outside_path))
    if media is not None:
        stem = clean_stem(media.stem, pseud, detect, people)
        if stem != media.stem:
            new_name = stem + media.suffix
        elif named_after(rec.path, rec.key) and new_key != rec.key:
            new_name = new_key + media.suffix
    if new_key == rec.key and new_name is None and outside_path == rec.path:
        return
    root = ws.study.root
    base, n = new_key, 2
    while new_key != rec.key and (new_key in taken or _stray(root, new_key)):
        new_key, n = f"{base}-{n}", n + 1
    taken.add(new_key)
    if new_name is not None and media is not None:
        stem, n = PurePosixPath(new_name).stem, 2
        while (root / media.with_name(new_name)).exists() and new_name != media.name:
            new_name, n = f"{stem}-{n}{media.suffix}", n + 1
    path = outside_path if outside_path != rec.path else media_path(rec, new_key, new_name)
    out.renames.append(Rename(rec.key, new_key, new_name, rec.path, path, outside_path != rec.path,
                              rec.id or 0))  # fmt: skip
    if new_key != rec.key:
        names = tuple(rec.key[e.start : e.end] for e in ents)
        out.findings.append(Finding(rec.key, KEY, rec.key, new_key, names))
    if path != rec.path and path != outside_path:
        out.findings.append(Finding(rec.key, FILE, rec.path, path))


def rename_all(ws: Workspace, renames: list[dict[str, Any]]) -> int:
    """The recordings named after a person, renamed (not journaled: apply empties the history).
    Idempotent, as apply's last step is redone after a kill: a rename made is not made again.
    Returns how many files were moved or rewritten."""
    n = 0
    for r in renames:
        if not rec_store.key_exists(ws.db, r["old"]):
            continue  # done before the kill
        rec = rec_store.get_recording(ws.db, r["old"])
        target = r.get("outside")  # a file outside the study: its path recorded, not moved
        same = rec.path == target if target else (
            r["media"] is None or rec.path.endswith("/" + r["media"]))  # fmt: skip
        if r["new"] == r["old"] and same:
            continue
        if r["new"] != r["old"] and rec_store.key_exists(ws.db, r["new"]):
            continue
        done = rename(ws, r["old"], r["new"], r["media"], journaled=False, outside=target)
        n += len(done.moved) + len(done.rewritten)
    return n


def rename_back(ws: Workspace, renames: list[dict[str, Any]]) -> list[str]:
    """`--restore`: each renamed recording back to its original key and file name (rows and
    moves only; the vault puts back the files' bytes after). Returns the original keys that
    could not come back (the recording was renamed or removed since): their transcript files
    are not restored beside it, so no file is left without its recording."""
    lost = []
    for r in reversed(renames):
        if not rec_store.key_exists(ws.db, r["new"]) or (
            r["new"] != r["old"] and rec_store.key_exists(ws.db, r["old"])
        ):
            lost.append(r["old"])
            continue
        rec = rec_store.get_recording(ws.db, r["new"])
        media = Path(r["old_path"]).name
        if r["new"] == r["old"] and rec.path == r["old_path"]:
            continue
        back = r["old_path"] if r.get("outside") else None  # the file's own path again
        rename(ws, r["new"], r["old"], media, journaled=False, texts=False, regenerate=False,
               outside=back)  # fmt: skip
    return lost
