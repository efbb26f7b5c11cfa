"""Import a REFI-QDA project (.qdpx) from another tool (or from qualtool itself).

Each producer is read as it writes (see offsets.py): positions are mapped onto the raw source
text with the producer's model, and only then is the text normalised (`\r\n` → `\n`) and cut
into segments. After the import the report says how many selections start or end inside a
word; a non-zero figure means the producer's text or offsets disagree with ours.

A selection with a Description but no Coding (MAXQDA) is an annotation and becomes a memo;
categories may be non-codable. Cases become participants (their Variables attributes), Sets
become codebook groups, Notes become memos; a source's Variables fill the recording's metadata.
"""

from __future__ import annotations

import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from qualtool.domain import Coding, Memo, Participant, Provenance, Role
from qualtool.files.codebook import load_codebook as load_file
from qualtool.i18n import _
from qualtool.interop.codes_in import import_codes
from qualtool.interop.offsets import ModelChoice, PositionMap, choose_model, default_model, mid_word
from qualtool.interop.qdpx_export import PERSON_VARIABLES
from qualtool.interop.qdpx_read import Project, Selection, Source, read_qdpx
from qualtool.interop.qdpx_sources import SourcePlan, normalise, place_source
from qualtool.recordings.importing import slug
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codebook import sync_codebook
from qualtool.store.codings import add_coding, add_memo, codings_for_transcript
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

MEMO_TARGETS = ("study", "recording", "code", "coding", "segment")


@dataclass
class ImportReport:
    producer: str = ""
    offsets: str = ""
    sources: list[str] = field(default_factory=list)
    codings: int = 0
    already: int = 0
    memos: int = 0
    new_codes: list[str] = field(default_factory=list)
    participants: int = 0
    groups: int = 0
    mid_word: int = 0  # selections starting or ending inside a word (0 when read right)
    selections: int = 0
    problems: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        out = []
        if self.mid_word:
            out.append(_("{n} of {total} selection(s) start or end inside a word ({producer}, "
                         "{model}): check those codings").format(
                n=self.mid_word, total=self.selections, producer=self.producer,
                model=self.offsets))  # fmt: skip
        return out


def import_qdpx(ws: Workspace, path: Path, default_coder: str = "imported") -> ImportReport:
    return import_project(ws, read_qdpx(path), path, default_coder)


def import_project(ws: Workspace, proj: Project, path: Path,
                   default_coder: str = "imported") -> ImportReport:  # fmt: skip
    """A project read from any producer's file (`path`: where it came from, for media found
    next to it and for qualtool's own extras inside a QDPX)."""
    report = ImportReport(producer=str(proj.producer))
    users = {g: slug(name) for g, name in proj.users.items()}
    texts = [s for s in proj.sources if s.text is not None]
    for s in proj.sources:
        if s.text is None:
            report.problems.append(_("{name}: no text found; skipped").format(name=s.name))
    report.problems += proj.skipped
    plans: dict[str, SourcePlan] = {}
    for s in texts:
        plans[s.guid] = place_source(ws, proj, s, {p.key for p in plans.values()}, path)
    _own_codebook(ws, path, proj)
    codes = import_codes(ws.db, ws.study.codebook_path, proj.codes, proj.name, proj.groups,
                         {g: p.key for g, p in plans.items()})  # fmt: skip
    report.new_codes, report.groups = codes.new_codes, len(proj.groups)
    choice = choose_model([(s.text or "", [(x.start, x.end) for x in s.selections]) for s in texts],
                          default_model(proj.producer))  # fmt: skip
    report.offsets = str(choice.model)
    if choice.switched:
        report.problems.append(_("{producer} positions read as {model}: {cuts} word cuts "
                                 "otherwise").format(producer=proj.producer, model=choice.model,
                                                     cuts=choice.expected_mid_word))  # fmt: skip
    for s in texts:
        with ws.db.atomic():  # one transaction a source: fast, and never half a transcript
            segs = plans[s.guid].realise(ws, choice, report)
            _apply_all(ws, s, segs, choice, codes.mapping, users, default_coder, report)
    _cases(ws, proj, plans, report)
    for note in proj.notes:
        if note.text.strip():
            target, _sep, ident = note.name.partition(" ")
            if target not in MEMO_TARGETS or not ident:
                target, ident = "study", note.name or "note"
            add_memo(ws.db, Memo(target, ident, note.text.strip(),
                                 users.get(note.user, default_coder)))  # fmt: skip
            report.memos += 1
    ws.save_manifest()
    for key in report.sources:  # the text is kept as files too, like every transcript
        write_outputs(ws, rec_store.get_recording(ws.db, key))
    return report


def _own_codebook(ws: Workspace, path: Path, proj: Project) -> None:
    """A qualtool export carries its codebook file: a study without one takes it verbatim
    (keywords, examples, polarity and comments included, which REFI-QDA has no place for)."""
    target = ws.study.codebook_path
    if target.exists() or proj.producer != "qualtool":
        return
    with zipfile.ZipFile(path) as z:
        if "qualtool/codebook.yml" not in z.namelist():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(z.read("qualtool/codebook.yml"))
    sync_codebook(ws.db, load_file(target), str(target))


def _apply_all(ws: Workspace, src: Source, segs: list[tuple[int, int, int]], choice: ModelChoice,
               code_map: dict[str, str], users: dict[str, str], default: str,
               report: ImportReport) -> None:  # fmt: skip
    """Every selection of one source onto its segments [(segment id, start, end) in the
    normalised text]."""
    raw = src.text or ""
    pm = PositionMap.build(raw, choice.model)
    norm_index = normalise(raw)[1]
    starts = [a for _sid, a, _end in segs]
    before = {(c.segment_id, c.code_id, c.coder_id, c.start, c.end)
              for c in _existing(ws, segs)}  # fmt: skip
    for sel in src.selections:
        report.selections += 1
        ra, rb = pm.index(sel.start), pm.index(sel.end)
        if ra is None or rb is None or rb <= ra:
            report.problems.append(
                _("{source}: selection {start}-{end} lies outside the text; skipped").format(
                    source=src.name, start=sel.start, end=sel.end
                )
            )
            continue
        report.mid_word += mid_word(raw, ra, rb) > 0
        a, b = norm_index(ra), norm_index(rb)
        first, last = max(0, bisect_right(starts, a) - 1), bisect_left(starts, b)
        pieces = [(sid, max(a, s) - s, min(b, e) - s) for sid, s, e in segs[first : last + 1]
                  if max(a, s) < min(b, e)]  # fmt: skip
        if not pieces:
            report.problems.append(
                _("{source}: selection {start}-{end} covers no transcript text; skipped").format(
                    source=src.name, start=sel.start, end=sel.end
                )
            )
            continue
        _apply(ws, sel, pieces, code_map, users, default, before, report)


def _existing(ws: Workspace, segs: list[tuple[int, int, int]]) -> list[Coding]:
    if not segs:
        return []
    rid = tr_store.segment_recording(ws.db, segs[0][0])
    t = tr_store.get_transcript(ws.db, rid, with_segments=False)
    return codings_for_transcript(ws.db, t.id or 0) if t else []


def _apply(ws: Workspace, sel: Selection, pieces: list[tuple[int, int, int]],
           code_map: dict[str, str], users: dict[str, str], default: str,
           before: set[tuple[int, str, str, int, int]], report: ImportReport) -> None:  # fmt: skip
    if not sel.codings:  # an annotation without a code (MAXQDA, ATLAS.ti): keep it as a memo
        if sel.memo:  # on KEY#IDX, which stays true in a rebuilt database and in exports
            seg = tr_store.get_segment(ws.db, pieces[0][0])
            key = rec_store.get_recording(ws.db, tr_store.segment_recording(ws.db, seg.id or 0)).key
            add_memo(ws.db, Memo("segment", f"{key}#{seg.idx}", sel.memo,
                                 users.get(sel.user, default)))  # fmt: skip
            report.memos += 1
        return
    for tag in sel.codings:
        code = code_map.get(tag.code)
        if code is None:
            report.problems.append(
                _("selection {guid}: unknown code {code}; skipped").format(
                    guid=sel.guid, code=tag.code
                )
            )
            continue
        coder = users.get(tag.user) or users.get(sel.user) or default
        for sid, start, end in pieces:
            if (sid, code, coder, start, end) in before:
                report.already += 1
                continue
            add_coding(ws.db, Coding(sid, code, coder, start, end, "", memo=sel.memo,
                                     provenance=_provenance(tag.provenance),
                                     key_quote=tag.key_quote))  # fmt: skip
            before.add((sid, code, coder, start, end))
            report.codings += 1


def _provenance(value: str | None) -> Provenance:
    try:
        return Provenance(value) if value else Provenance.IMPORTED
    except ValueError:
        return Provenance.IMPORTED


def _person_key(p: Participant) -> tuple[object, ...]:
    return (
        p.pseudonym,
        p.role,
        p.gender,
        p.age_band,
        p.region,
        tuple(sorted(p.attributes.items())),
    )


def _cases(ws: Workspace, proj: Project, plans: dict[str, SourcePlan],
           report: ImportReport) -> None:  # fmt: skip
    """Cases as participants: qualtool's own participant_* variables fill the fields, every
    other Variable becomes an attribute; each is linked to the recordings of its sources."""
    recs = {g: p.key for g, p in plans.items()}
    known = {_person_key(p) for p in rec_store.list_participants(ws.db)}  # report what is new
    for case in proj.cases:
        v = dict(case.values)
        role = v.pop("participant_role", None)
        try:
            role_v = Role(role) if role else Role.RECIPIENT
        except ValueError:
            role_v, v["role"] = Role.OTHER, str(role)
        fields = {f: v.pop(f"participant_{f}", None) for f in PERSON_VARIABLES if f != "role"}
        gender = fields["gender"] if fields["gender"] in ("f", "m") else None
        attrs = {k.removeprefix("participant_attr:"): val for k, val in v.items() if val}
        person = Participant(case.name, role_v, gender, fields["age_band"], fields["region"],
                             attributes=attrs)  # fmt: skip
        linked = [recs[s] for s in case.sources if s in recs]
        for key in dict.fromkeys(linked):
            rec_store.link_participant(ws.db, rec_store.get_recording(ws.db, key).id or 0, person)
        if not linked:
            rec_store.upsert_participant(ws.db, person)
        report.participants += _person_key(person) not in known
