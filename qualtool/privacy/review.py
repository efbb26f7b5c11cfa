"""What anonymisation would replace, per segment, after the study's review decisions: the list
`qualtool anonymise` prints and the TUI review screen walks through."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import N_, _
from qualtool.privacy import allow, decisions, diminutives, known_forms, lone_names, names, pulled
from qualtool.privacy.detect import Detector
from qualtool.privacy.entity import Entity, Kind
from qualtool.privacy.follow import MARK, match, span_digest, word_spans
from qualtool.privacy.follow import Hashes as _Hashes
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.store import journal
from qualtool.store import privacy as store
from qualtool.store.db import change_mark
from qualtool.store.recordings import list_recordings
from qualtool.workspace.study import Workspace

# a review status in the viewer's words (the stored values: pending, accept, reject, add)
STATUS_WORDS = {"pending": N_("pending"), "accept": N_("accepted"), "reject": N_("rejected"),
                "add": N_("added")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    where: str  # recording#idx
    recording: str
    idx: int
    segment_id: int
    entity: Entity
    context: str  # the sentence around it, the span marked with ⟦ ⟧
    status: str  # pending, accept, reject, add
    digest: str  # of its words, as a decision on it records them (`span_digest`)
    decided: decisions.Decision | None = None  # the stored decision matched to it
    # a patronymic alone that several people may be (`lone_names.doubtful`): why to check it,
    # and who they are (`lone_names.candidates`)
    note: str = ""
    could: tuple[str, ...] = ()


def study_detector(ws: Workspace) -> Detector:
    return _Remembering(allow.load(ws.study.root, store.metadata_words(ws.db)))


# texts already detected, for the allow-list they were detected with (the last one only)
_SEEN: dict[frozenset[str], dict[str, tuple[Entity, ...]]] = {}
_SEEN_MAX = 500_000


class _Remembering(Detector):
    """The study's detector, remembering in this process what it found in each text: the
    review screen lists every segment again after each decision, and detection (~3 ms a
    segment) is then most of it — a minute and a half for a study of 30,000 segments. What
    is found depends only on the text and the allow-list (an allowed word added starts
    afresh)."""

    def __init__(self, allow_list: allow.AllowList) -> None:
        super().__init__(allow_list)
        words = frozenset(allow_list.words)
        if words not in _SEEN or sum(map(len, _SEEN.values())) > _SEEN_MAX:
            _SEEN.clear()
        self.seen = _SEEN.setdefault(words, {})

    def detect(self, text: str) -> list[Entity]:
        got = self.seen.get(text)
        if got is None:
            got = self.seen[text] = tuple(super().detect(text))
        return list(got)


def study_mark(ws: Workspace) -> tuple[object, ...]:
    """Moves whenever what the review and `--apply`'s plan read may have changed: the database
    (`change_mark`: a row written here or by another process; a decision and its undo are
    journaled, so they count) and privacy/decisions.yml and privacy/allow.yml (changed by a
    `git pull` or by hand, the database untouched). A few stats, nothing read: the review screen
    (F10) keeps the plan it numbered the metadata with while the mark stays — making that plan
    is most of a reload on a large study."""
    marks: list[object] = [change_mark(ws.db)]
    for path in (ws.study.root / decisions.DECISIONS_FILE, ws.study.root / allow.ALLOW_FILE):
        try:
            st = path.stat()
        except FileNotFoundError:
            marks.append(None)
        else:
            marks.append((st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(marks)


def review_key(ws: Workspace) -> bytes:
    """The key of the decisions' word hashes: the study's own, so a decision made on one
    laptop holds on every clone. It is no secret, and need not be: a decision names words
    that are still in the study's transcripts (a name not yet replaced, a word kept), and
    `--apply` drops the decisions on the words it replaced (`forget_replaced`)."""
    return hashlib.sha256(f"qualtool-review\x00{ws.study.id}".encode()).digest()


def context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{'…' if start > width else ''}{left}⟦{text[start:end]}⟧{right}{'…' if end + width < len(text) else ''}"


def segment_findings(ws: Workspace, pseud: Pseudonymiser, keys: list[str] | None = None,
                     detector: Detector | None = None) -> list[Finding]:  # fmt: skip
    """Every finding in every segment (coded or not), with its review status. A decision
    matched at moved offsets, or by a legacy hash this laptop can read, is written back at its
    new place with the study-keyed hash (the file changes only then)."""
    det = detector or study_detector(ws)
    key = review_key(ws)
    stored = decisions.load(ws.study.root)
    by_where: dict[str, list[decisions.Decision]] = {}
    for d in stored:
        by_where.setdefault(d.where, []).append(d)
    out: list[Finding] = []
    moved: dict[decisions.Decision, decisions.Decision] = {}
    segments = [s for s in store.segments(ws.db) if not keys or s["recording"] in keys]
    named = _study_people(ws, det, key, by_where, segments)
    for seg in segments:
        text, where = seg["text"], f"{seg['recording']}#{seg['idx']}"
        found = det.detect(text)
        found = sorted([*found, *known_forms.missed(text, found, named)], key=lambda e: e.start)
        hashes = _Hashes(key, pseud, text)
        placed = match(key, pseud, text, found, by_where.get(where, []), hashes)
        moved |= {d: now for d, now in placed.values() if now != d}
        on = {(now.start, now.end): now for _d, now in placed.values()}
        for e in found:
            got = on.pop((e.start, e.end), None)
            out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                               context(text, e.start, e.end), got.decision if got else "pending",
                               hashes.digest(e.text), got))  # fmt: skip
        for (s, t), d in on.items():
            if d.decision == decisions.ADD:
                e = added_entity(Kind(d.kind), s, t, text[s:t])
                out.append(Finding(where, seg["recording"], seg["idx"], seg["id"], e,
                                   context(text, s, t), decisions.ADD,
                                   hashes.digest(text[s:t]), d))  # fmt: skip
    if moved:
        decisions.save(ws.study.root, [moved.get(d, d) for d in stored])
    # a first name or surname alone is the recording's one full name with it (`lone_names`)
    known = recording_people(ws, out, det)
    out = [_checked(replace(f, entity=lone_names.as_person(f.recording, f.entity, known)), known)
           for f in out]  # fmt: skip
    out = _diminutives(out, named)
    return sorted(out, key=lambda f: (f.recording, f.idx, f.entity.start))


def people_keys(found: Iterable[Finding], named: known_forms.Known) -> dict[str, str]:
    """The people the review replaces (not where rejected) and the metadata names, key → text."""
    return diminutives.known_people(
        [
            *(e for by in named.values() for e in by.values()),
            *(f.entity for f in found if f.status != decisions.REJECT),
        ]
    )


def _diminutives(found: list[Finding], named: known_forms.Known) -> list[Finding]:
    """A diminutive of one person's name is that person (their key); of several, its own,
    listed «check» with who it could be (`diminutives.links`)."""
    people = people_keys(found, named)
    one, several = diminutives.links(people)
    for i, f in enumerate(found):
        k, person = f.entity.key, f.entity.kind is Kind.PERSON
        if person and k in one:
            found[i] = replace(f, entity=replace(f.entity, key=one[k]))
        elif person and k in several and not f.note:
            found[i] = replace(f, note=diminutives.SEVERAL,
                               could=tuple(people[p] for p in several[k]))  # fmt: skip
    return found


def _study_people(ws: Workspace, det: Detector, key: bytes,
                  by_where: dict[str, list[decisions.Decision]],
                  segments: list[dict[str, object]]) -> known_forms.Known:  # fmt: skip
    """The people the study names — found in its segments (not where the reviewer rejected
    those words) and its recordings' interviewers and participants — to be found in every
    segment, whatever the detector made of the words there (`known_forms.missed`)."""
    people: list[Entity] = []
    for seg in segments:
        text, where = str(seg["text"]), f"{seg['recording']}#{seg['idx']}"
        rejected = {d.digest for d in by_where.get(where, []) if d.decision == decisions.REJECT}
        for e in det.detect(text):
            digest = span_digest(key, e.text) if rejected else ""
            if e.kind is Kind.PERSON and not {digest, digest.removeprefix(MARK)} & rejected:
                people.append(e)
    for rec in list_recordings(ws.db):
        for value in (rec.interviewer, *(p.pseudonym for p in rec.participants)):
            people += [e for e in det.detect(value) if e.kind is Kind.PERSON] if value else []
    return known_forms.reviewed(people)


def _checked(f: Finding, known: lone_names.People) -> Finding:
    """`f` with why a reader should check it: a patronymic alone that several people may be
    (it keeps a pseudonym of its own, nothing guessed), and who they are; any other as it is."""
    e = f.entity
    if f.status == decisions.REJECT or not lone_names.patronymic_alone(e):
        return f
    could = lone_names.candidates(e, known, f.recording)
    return replace(f, note=lone_names.DOUBTFUL_PATRONYMIC, could=could) if could else f


def recording_people(ws: Workspace, found: Iterable[Finding],
                     detector: Detector | None = None) -> lone_names.People:  # fmt: skip
    """The full names a first name or a surname alone joins in each recording (`lone_names`):
    those of its segments the review replaces (`found`, the rejected left out), and those its
    notes name — «Со слов Шолпан Кенжебаева…» in the notes makes the interview's «Шолпан» and
    «Кенжебаевой» hers, and the notes' own «Кенжебаевой» hers where the interview names her
    (`plan.plan` and the exports read the notes knowing them). Filed under `lone_names.STUDY`
    too: a patronymic alone that no one of its recording has is the study's one person with
    it."""
    det = detector or study_detector(ws)
    noted = [(r["key"], e) for r in store.rows(ws.db, "recordings") if r["notes"]
             for e in det.detect(r["notes"])]  # fmt: skip
    segments = [(f.recording, f.entity) for f in found if f.status != decisions.REJECT]
    return lone_names.people([*segments, *noted], study=True)


def added_entity(kind: Kind, start: int, end: int, span: str) -> Entity:
    """A span the reviewer added: a person's key folds case forms like a found name's
    («Гульнары» added by hand is «Гульнара» found), its legacy key is the earlier one."""
    plain = " ".join(span.lower().split())
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", span)
    if kind != Kind.PERSON or not words:
        return Entity(kind, start, end, span, plain, "manual")
    key = " ".join(names.identity(w) for w in words)
    return Entity(kind, start, end, span, key, "manual", plain)


def decision_on(finding: Finding, decision: str) -> decisions.Decision:
    e = finding.entity
    return decisions.Decision(finding.where, e.start, e.end, e.kind.value, finding.digest,
                              decision)  # fmt: skip


Chosen = list[tuple[Finding | None, decisions.Decision]]


def save_decisions(ws: Workspace, chosen: Chosen,
                   drop: list[decisions.Decision] | None = None) -> None:  # fmt: skip
    """Record decisions (all or none), each replacing the decision its finding had — found
    at other offsets after an edit, the old one would otherwise stay beside the new one and
    could win the next match. `drop`: decisions taken back without a new one."""
    pulled.catch_up(ws, review_key(ws), [(f.entity if f else None, d) for f, d in chosen])
    old = [f.decided for f, _d in chosen if f is not None and f.decided is not None]
    path = ws.study.root / decisions.DECISIONS_FILE
    before = path.read_text(encoding="utf-8") if path.exists() else None
    # journaled like the coder's actions, so `qualtool undo` right after a decision takes
    # back that decision, not the edit before it
    with journal.action(ws.db, _("review decision")) as j:
        decisions.record(ws.study.root, *(d for _f, d in chosen), drop=[*old, *(drop or [])])
        after = path.read_text(encoding="utf-8") if path.exists() else None
        j.file(decisions.DECISIONS_FILE.as_posix(), before, after)


def choice(finding: Finding, decision: str) -> tuple[Chosen, list[decisions.Decision]]:
    """What `decision` on `finding` records, and which decision it withdraws. A span the
    reviewer added is not the detector's finding: accepting it keeps it as added (an accept
    replaced the add with a decision on a finding the detector never makes — the row vanished
    and `--apply` kept the name); rejecting it withdraws the add."""
    if finding.status == decisions.ADD and finding.decided is not None:
        return [], ([finding.decided] if decision == decisions.REJECT else [])
    return [(finding, decision_on(finding, decision))], []


def decide(ws: Workspace, finding: Finding, decision: str) -> None:
    chosen, drop = choice(finding, decision)
    if chosen or drop:
        save_decisions(ws, chosen, drop)


def allow_finding(ws: Workspace, finding: Finding) -> None:
    """«Always allow» (the review's w): a found name's words go to privacy/allow.yml, undoable
    like a decision. Names only: the allow-list is read for names alone, so a phone, IIN,
    e-mail or address written there changed nothing and stayed in that shared file in plain
    text after `--apply` had replaced it everywhere else."""
    if finding.entity.kind is not Kind.PERSON:
        raise InvalidInput(_("only a name can be always allowed; x keeps this finding as it is"))
    pulled.catch_up(ws, review_key(ws))  # a pull read first, as before every write
    path = ws.study.root / allow.ALLOW_FILE
    before = path.read_text(encoding="utf-8") if path.exists() else None
    with journal.action(ws.db, _("always allow «{w}»").format(w=finding.entity.text)) as j:
        allow.add(ws.study.root, finding.entity.text)
        after = path.read_text(encoding="utf-8") if path.exists() else None
        j.file(allow.ALLOW_FILE.as_posix(), before, after)


def add_span(ws: Workspace, recording: str, idx: int, start: int, end: int, kind: str,
             text: str) -> None:  # fmt: skip
    """A span the detector missed; `text` is the segment text (for the hash)."""
    save_decisions(ws, [(None, added(review_key(ws), recording, idx, start, end, kind, text))])


_OFFSETS = re.compile(r"\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\w+))?\s*")


def typed_spans(text: str, typed: str, offsets: bool = True) -> list[tuple[int, int, str]]:
    """What a reviewer types for a missed span: the words themselves («асель», or
    «асель:person»), found wherever they stand as whole words in the segment — nobody should
    have to count characters — or START:END[:KIND] offsets, as the CLI takes them (not where
    `offsets` is off: a text outside the transcript finds an added name by its words only)."""
    if not typed.strip():
        raise InvalidInput(_("type the words to replace"))
    m = _OFFSETS.fullmatch(typed) if offsets else None
    if m:
        spans = [(int(m[1]), int(m[2]), m[3] or Kind.PERSON.value)]
    else:
        words, _sep, kind = typed.strip().rpartition(":")
        if not words or kind not in {k.value for k in Kind}:
            words, kind = typed.strip(), Kind.PERSON.value
        w = words.strip().lower()
        # the same word edges a decision follows its words by (`word_spans`)
        spans = [(a, b, kind) for a, b in sorted(word_spans(text, len(w)))
                 if text[a:b].lower() == w] if w else []  # fmt: skip
        if not spans:
            raise InvalidInput(_("«{w}» is not in this segment").format(w=shown(words)))
    return spans


def shown(typed: str, most: int = 60) -> str:
    """What a refusal echoes of the reviewer's words: one line, not a whole pasted paragraph."""
    one = " ".join(typed.split())
    return one if len(one) <= most else one[:most] + "…"


def typed_decisions(ws: Workspace, recording: str, idx: int, text: str,
                    typed: str) -> list[decisions.Decision]:  # fmt: skip
    """The add decisions for every span `typed` names in the segment (checked, not saved)."""
    key = review_key(ws)
    return [added(key, recording, idx, a, b, kind, text) for a, b, kind in typed_spans(text, typed)]


def add_typed(ws: Workspace, recording: str, idx: int, text: str, typed: str) -> int:
    """Every span `typed` names in the segment becomes an add decision, in one journal step;
    the number added."""
    chosen = typed_decisions(ws, recording, idx, text, typed)
    save_decisions(ws, [(None, d) for d in chosen])
    return len(chosen)


def segment_text(ws: Workspace, where: str) -> tuple[str, int, str]:
    """RECORDING#SEGMENT → (recording, idx, its text): any segment, a finding in it or not."""
    rec, _sep, idx = where.strip().rpartition("#")
    for seg in store.segments(ws.db):
        if seg["recording"] == rec and str(seg["idx"]) == idx.strip():
            return rec, seg["idx"], seg["text"]
    raise InvalidInput(_("no segment {where}").format(where=where.strip()))


def forget_replaced(ws: Workspace, pseud: Pseudonymiser | None = None,
                    standing: Iterable[decisions.Decision] = ()) -> bool:  # fmt: skip
    """After `--apply`: every decision whose words are no longer in its segment is dropped —
    the carried-out ones, and a reject on words removed since: its hash, keyed by the public
    study id, would let anyone confirm a guessed name. Live rejects stay (their words are in
    the text anyway), at their current offsets. An unmarked hash this laptop cannot read
    (another laptop's legacy key) is kept untouched. Idempotent (a resumed apply runs it
    again); True when the file changed. A name added outside the transcript stays while its
    words are `standing` in a text there (`outside_names.standing`)."""
    det = study_detector(ws)
    key = review_key(ws)
    current = decisions.load(ws.study.root)
    by_where: dict[str, list[decisions.Decision]] = {}
    for d in current:
        by_where.setdefault(d.where, []).append(d)
    now: dict[decisions.Decision, decisions.Decision] = {}
    for seg in store.segments(ws.db):
        here = by_where.get(f"{seg['recording']}#{seg['idx']}", [])
        if here:
            now |= dict(match(key, pseud, seg["text"], det.detect(seg["text"]), here).values())
    kept = set(standing)
    keep = [now.get(d, d) for d in current
            if d in now or d in kept or not d.digest.startswith(MARK)]  # fmt: skip
    return decisions.save(ws.study.root, keep)


def added(key: bytes, recording: str, idx: int, start: int, end: int, kind: str,
          text: str) -> decisions.Decision:  # fmt: skip
    """The decision `add_span` records, checked first (span inside the text, a known kind)."""
    if not (0 <= start < end <= len(text)):
        raise InvalidInput(
            _("span {start}:{end} is outside the segment text").format(start=start, end=end)
        )
    if kind not in {k.value for k in Kind}:
        raise InvalidInput(
            _("unknown kind {kind!r}; use one of {kinds}").format(
                kind=kind, kinds=", ".join(k.value for k in Kind)
            )
        )
    # offsets that cut a word («0:5» in «В ЦОНе») would leave its rest («Имя-2е») after
    # --apply: the span is widened to the word edges a decision follows its words by
    # (`word_spans`) and trimmed of the spaces and punctuation at its ends
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start == end:
        raise InvalidInput(_("span {start}:{end} holds no word").format(start=start, end=end))
    return decisions.Decision(f"{recording}#{idx}", start, end, kind,
                              span_digest(key, text[start:end]), decisions.ADD)  # fmt: skip
