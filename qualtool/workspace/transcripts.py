"""Transcript files under transcripts/: written after every run or edit, imported back.

Importing a corrected transcript keeps every coding: unchanged segments keep their codings
as they are, codings on changed text are re-anchored, and if any cannot be placed the import
stops before touching the database.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from qualtool.domain import Recording, Segment, Transcript, TranscriptStatus
from qualtool.domain.anchoring import follow_replacement, reanchor, similarity
from qualtool.domain.errors import InvalidInput, QualtoolError
from qualtool.domain.pseudonym import MARKS
from qualtool.domain.transcript import BEYOND_AUDIO, check_duration
from qualtool.domain.word_timings import keep_word_timings
from qualtool.files import transcript_formats as formats
from qualtool.files.writing import write_if_changed
from qualtool.i18n import N_, _, ngettext
from qualtool.store import file_state, segment_decisions
from qualtool.store import privacy as privacy_store
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store.codings import codings_for_transcript, move_coding
from qualtool.store.layers import delete_codings

if TYPE_CHECKING:
    from qualtool.workspace.study import Workspace


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_outputs(ws: Workspace, rec: Recording, *, overwrite: bool = False) -> list[Path]:
    """transcripts/<key>.{json,md,srt,vtt} from the stored transcript, each written only when
    its content changes; the JSON's hash is remembered so the next sync knows it is in step.
    A JSON changed on disk since it was last read or written (a pull the sync could not import:
    a colleague's corrections, their anonymised text) is never overwritten with the database's
    older text — that lost their work and put back the names an apply replaced — unless
    `overwrite` (the caller has just imported that text)."""
    ws.refuse_if_read_only()
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    if t is None or not t.segments:
        return []
    folder = ws.study.transcripts_dir
    folder.mkdir(exist_ok=True)
    title = f"{rec.key} — {rec.method.label_ru}" + (f", {rec.service}" if rec.service else "")
    texts = {
        "json": formats.to_json(t, rec.key, rec.path),
        "md": formats.to_text(t, title),
        "srt": formats.to_srt(t),
        "vtt": formats.to_vtt(t),
    }
    if not overwrite:
        _refuse_if_unread(ws, folder / f"{rec.key}.json", texts["json"])
    paths = []
    for suffix, text in texts.items():
        path = folder / f"{rec.key}.{suffix}"
        write_if_changed(path, text)
        paths.append(path)
        if suffix == "json":
            file_state.put(ws.db, f"transcripts/{rec.key}.json", _sha(text))
    ws.wrote(paths)
    return paths


def _refuse_if_unread(ws: Workspace, path: Path, text: str) -> None:
    """See `write_outputs`: the file on disk is not what the database last read or wrote."""
    seen = file_state.get(ws.db, ws.study.relative(path))
    try:
        disk = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return
    if seen is None or _sha(disk) in (seen[0], _sha(text)):
        return
    raise QualtoolError(
        _(
            "{path} changed on disk since the last sync (a pull?) and was not read into the "
            "database, so it was not overwritten: run `qualtool sync` and fix what it reports, "
            "or import it with `qualtool transcript import`"
        ).format(path=ws.study.relative(path))
    )


def import_transcript(
    ws: Workspace, rec: Recording, path: Path, *, force: bool = False,
    allow_originals: bool = False,
) -> Transcript:  # fmt: skip
    """Replace `rec`'s transcript with the file's, codings re-anchored, in one transaction.
    Segments starting after the recording ends are kept and flagged `beyond_audio`
    (domain.transcript.check_duration): the caller counts them to warn (`beyond_audio`).
    Refused on an anonymised study unless `allow_originals` (refuse_if_anonymised)."""
    if not allow_originals:
        refuse_if_anonymised(ws, "transcript import")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(_("{path}: cannot read ({error})").format(path=path, error=exc)) from exc
    try:
        segs, meta = formats.parse(text, path.suffix.lower().lstrip("."))
    except InvalidInput as exc:
        raise InvalidInput(_("{path}: {error}").format(path=path, error=exc)) from None
    segs = [replace(s, idx=i) for i, s in enumerate(segs)]
    if rec.format != "text":  # a text-only source's times are made up: no length to check
        segs = check_duration(segs, rec.duration)
    before = tr_store.get_transcript(ws.db, rec.id or 0)
    if before and path.suffix.lower() != ".json":  # a format that carries no flags, no words
        old = list(before.segments)
        segs = _keep_review_flags(old, segs, _candidates(old, segs))
        segs = keep_word_timings(old, segs)  # the unchanged words keep their moments
    replace_segments(ws, rec, segs, meta, source=str(path), force=force)
    t = tr_store.get_transcript(ws.db, rec.id or 0)
    assert t is not None
    write_outputs(ws, rec, overwrite=True)
    # an anonymised text imported over this database's originals (a colleague's pulled apply
    # the sync could not read): purged as the sync purges it; if another program holds the
    # database, the purge stays owed to the next sync
    if not ws.read_only and privacy_store.pulled_replacements(ws.db):
        privacy_store.purge_replaced(ws.db)
    return t


def refuse_if_anonymised(ws: Workspace, command: str) -> None:
    """A new transcript of an anonymised study (transcribed again, or imported) holds the names
    as spoken, and nothing would replace them: the safe default is to change nothing and say
    how to go ahead (`--allow-originals`, then `anonymise --apply` again). CLI and TUI call it
    before starting, `transcribe_recording` and `import_transcript` once more themselves."""
    if privacy_store.applied_id(ws.db) is None and not privacy_store.has_pseudonyms(ws.db):
        return  # never anonymised, here or on a colleague's laptop (pulled «Имя-N»)
    raise QualtoolError(
        _(
            "the study is anonymised: a new transcript would bring back the names as spoken, so "
            "nothing was changed. To go ahead: `qualtool {command} … --allow-originals`, then "
            "run `qualtool anonymise --apply` again"
        ).format(command=command)
    )


def beyond_audio(t: Transcript) -> int:
    """How many segments of `t` start after its recording ends (flagged on import)."""
    return sum(BEYOND_AUDIO in s.flags for s in t.segments)


def replace_segments(
    ws: Workspace,
    rec: Recording,
    new: list[Segment],
    meta: dict[str, object],
    *,
    source: str,
    force: bool = False,
    superseded: Collection[int] = (),
) -> None:
    """Codings follow the text; one that cannot be placed refuses the import (`force`: to the
    nearest segment, flagged), except a `superseded` one, which is deleted (see
    `import_transcript_files`)."""
    db = ws.db
    t = tr_store.get_transcript(db, rec.id or 0)
    old: list[Segment] = list(t.segments) if t else []
    codings = codings_for_transcript(db, t.id) if t and t.id else []
    mapping = _candidates(old, new)
    plan = _plan_moves(old, new, codings, mapping)
    decisions = segment_decisions.pinned(db, t.id) if t and t.id else []
    decision_plan = _plan_moves(old, new, decisions, mapping)
    # a superseded coding goes even where it could follow the text: re-anchored, it no longer
    # matched what both sides last agreed on, so the layer merge took it for a change made here
    # and joined its memo — the names an anonymised study's pull replaced — to the pulled one
    dropped = [c.id or 0 for c, _target in plan if c.id in superseded]
    plan = [(c, target) for c, target in plan if c.id not in dropped]
    lost = [c for c, target in plan if target is None]
    if lost and not force:
        sample = "; ".join(f"«{c.quote[:40]}»" for c in lost[:3])
        raise InvalidInput(
            ngettext(
                "{n} coding cannot be found in {source} ({sample}); nothing was changed. Fix "
                "the text, or use --force to attach it to the nearest segment.",
                "{n} codings cannot be found in {source} ({sample}); nothing was changed. Fix "
                "the text, or use --force to attach them to the nearest segment.",
                len(lost),
            ).format(n=len(lost), source=source, sample=sample)
        )
    # the coder's memo, in the study's language (codings/<coder>.json is shared); never the old
    # quote where the new text is anonymised: it would write the replaced names into the memo
    anonymised = any(m in s.text for s in new for m in MARKS)
    note = ws.study.written(
        N_("[re-anchor needed] (the text was anonymised)")
        if anonymised
        else N_("[re-anchor needed] was: «{quote}»")
    )
    with db.atomic():
        tr = tr_store.start_transcript(
            db,
            rec.id or 0,
            language=str(meta.get("language") or (t.language if t else None) or rec.language),
            model=str(
                meta.get("model") or (t.model if t else None) or f"imported:{Path(source).name}"
            ),
            settings=dict(meta.get("settings") or (t.settings if t else {}) or {}),  # type: ignore[call-overload]
            duration=float(meta.get("duration") or rec.duration),  # type: ignore[arg-type]
        )
        delete_codings(db, dropped)
        tr_store.park_segments(db, tr.id or 0)  # old rows out of the way of the new indexes
        # a segment whose text came back unchanged keeps its row (and id): an open TUI's row,
        # an undo entry or a suggestion that names it still finds it after a pull re-read it
        kept = {targets[0]: old[k].id or 0 for k, targets in mapping.items() if len(targets) == 1
                and old[k].id is not None and old[k].text == new[targets[0]].text}  # fmt: skip
        stored = [tr_store.reuse_segment(db, kept[j], tr.id or 0, s) if j in kept
                  else tr_store.insert_segment(db, tr.id or 0, s) for j, s in enumerate(new)]  # fmt: skip
        for coding, target in plan:
            if target is None:
                pos = _nearest(old, new, coding.segment_id)
                span = (0, max(1, len(new[pos].text)))
                move_coding(db, coding, stored[pos], span, note=note)
            else:
                pos, span = target
                move_coding(db, coding, stored[pos], span)
        for decision, placed in decision_plan:
            if placed is None:
                pos = _nearest(old, new, decision.segment_id)
                placed = (pos, (0, max(1, len(new[pos].text))))
            segment_decisions.move(db, decision, stored[placed[0]], placed[1])
        tr_store.drop_parked_segments(db, tr.id or 0)
        tr_store.set_status(db, tr.id or 0, TranscriptStatus.DONE, progress=1.0)


Placement = tuple[int, tuple[int, int]] | None  # (new segment position, span) or lost


class Anchored(Protocol):
    """What sits on a span of a segment: a coding, or a decision pinned to a segment."""

    @property
    def segment_id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def quote(self) -> str: ...


A = TypeVar("A", bound=Anchored)


def _candidates(old: list[Segment], new: list[Segment]) -> dict[int, list[int]]:
    """Old segment position → the new positions its words may have gone to: the same segment
    where it is unchanged, else the replacement block and its neighbours. Computed once per
    replacement (a segment-level diff of the whole transcript), shared by every plan."""
    matcher = difflib.SequenceMatcher(
        a=[s.text for s in old], b=[s.text for s in new], autojunk=False
    )
    mapping: dict[int, list[int]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            if tag == "equal":
                mapping[k] = [j1 + (k - i1)]
            else:
                mapping[k] = list(range(max(0, j1 - 1), min(len(new), max(j2, j1 + 1) + 1)))
    return mapping


def _keep_review_flags(
    old: list[Segment], new: list[Segment], mapping: dict[int, list[int]]
) -> list[Segment]:
    """A segment whose text came back unchanged keeps its review flags (`glossary:…`,
    `low_confidence`): a .md, .txt or .srt round trip carries none, and re-importing the
    corrected file must not hide what still waits for review (a .json carries its own flags,
    and a new transcription judges its own). Edited text drops them, as an
    edit in the TUI does. `beyond_audio` is judged again from the new times."""
    out = list(new)
    for i, targets in mapping.items():
        if len(targets) == 1 and old[i].text == new[targets[0]].text and old[i].flags:
            seg = out[targets[0]]
            kept = tuple(f for f in old[i].flags if f != BEYOND_AUDIO)  # decided by the new times
            out[targets[0]] = replace(seg, flags=tuple(dict.fromkeys(seg.flags + kept)))
    return out


def _plan_moves(
    old: list[Segment], new: list[Segment], items: list[A], mapping: dict[int, list[int]]
) -> list[tuple[A, Placement]]:
    """For each item: (new segment position, new span) or None if it cannot be placed. An
    adjudication has no quote: it follows its segment where that segment is unchanged, and
    otherwise goes to the nearest in time."""
    old_pos = {s.id: i for i, s in enumerate(old)}
    plan: list[tuple[A, Placement]] = []
    for c in items:
        i = old_pos.get(c.segment_id)
        target: Placement = None
        for j in mapping.get(i, []) if i is not None else []:
            span = reanchor(old[i or 0].text, new[j].text, c.start, c.end, c.quote)
            if span and span[1] > span[0]:
                target = (j, span)
                break
        if target is None and i is not None and mapping.get(i):
            # on names a pulled (or imported) anonymisation replaced: followed into the new
            # segment most like its old one (a neighbour's pseudonym is not its words)
            j = max(mapping[i], key=lambda k: (similarity(old[i].text, new[k].text), -abs(k - i)))
            span = follow_replacement(old[i].text, new[j].text, c.start, c.end)
            target = (j, span) if span else None
        plan.append((c, target))
    return plan


def _nearest(old: list[Segment], new: list[Segment], segment_id: int) -> int:
    t = next((s.start for s in old if s.id == segment_id), 0.0)
    return min(range(len(new)), key=lambda j: abs(new[j].start - t))


def import_transcript_files(ws: Workspace, problems: list[str] | None = None,
                            superseded: Collection[int] = ()) -> list[str]:  # fmt: skip
    """On sync: transcripts/<key>.json for recordings with no stored segments yet, and any that
    changed on disk since the last sync (a colleague's corrections, pulled): codings follow
    the text as on `transcript import`; one that cannot be placed stops that file's import,
    unless it is `superseded` (a pulled layer file brings its new place: it is dropped here)."""
    imported: list[str] = []
    folder = ws.study.transcripts_dir
    if not folder.is_dir():
        return imported
    states = tr_store.transcript_states(ws.db)
    for rec in rec_store.list_recordings(ws.db):
        path = folder / f"{rec.key}.json"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        rel = f"transcripts/{rec.key}.json"
        seen = file_state.get(ws.db, rel)
        has_segments = states.get(rec.id or 0, {}).get("segments")
        if has_segments and (seen is None or seen[0] == _sha(text)):
            if seen is None:
                file_state.put(ws.db, rel, _sha(text))
            continue
        try:
            segs, meta = formats.parse(text, "json")
            replace_segments(ws, rec, segs, meta, source=rel, superseded=superseded)
        except InvalidInput as exc:
            if problems is None:
                raise
            problems.append(f"{rel}: {exc}")
            continue
        file_state.put(ws.db, rel, _sha(text))
        imported.append(rec.key)
    _forget_gone(ws)
    return imported


def _forget_gone(ws: Workspace) -> None:
    """The last-synced state of a transcript whose recording and file are both gone (a pulled
    rename, or a colleague's `anonymise --apply` renaming a key made from a person's name) is
    forgotten: its path is the old key, which must not stay in the database's bytes."""
    keys = {rec.key for rec in rec_store.list_recordings(ws.db)}
    for rel in file_state.paths(ws.db, "transcripts/"):
        if (
            rel.removesuffix(".json").removeprefix("transcripts/") not in keys
            and not (ws.study.root / rel).exists()
        ):
            file_state.forget(ws.db, rel)
