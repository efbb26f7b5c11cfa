"""The auto-coding review queue. A decided suggestion (accepted/rejected) is never re-proposed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qualtool.domain import Proposal
from qualtool.domain.errors import NotFound
from qualtool.domain.reason import render
from qualtool.i18n import _
from qualtool.store.db import now

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


@dataclass(frozen=True, slots=True)
class Suggestion(Proposal):
    """A stored proposal in the review queue."""

    id: int = 0
    status: str = PENDING
    recording: str = ""
    text: str = ""  # the whole segment, for context and span edits
    idx: int = 0  # the segment's place in its transcript: KEY#IDX, as the CLI names a passage

    @property
    def why(self) -> str:
        """The reason in the viewer's interface language (stored without one)."""
        return render(self.reason)


def _suggestion(r: dict[str, Any]) -> Suggestion:
    names = (*Proposal.__dataclass_fields__, "id", "status", "recording", "text", "idx")
    return Suggestion(**{n: r[n] for n in names})


_SELECT = """
    SELECT g.*, r.key AS recording, s.text, s.idx FROM suggestions g
    JOIN segments s ON s.id = g.segment_id
    JOIN transcripts t ON t.id = s.transcript_id
    JOIN recordings r ON r.id = t.recording_id
"""


_CONTENT = 'start, "end", quote, score, reason, base_score'
# a code and every code below it, however deep
_BRANCH = ("WITH RECURSIVE branch(id) AS (SELECT ? UNION SELECT c.id FROM codes c "
           "JOIN branch b ON c.parent_id = b.id) SELECT id FROM branch")  # fmt: skip


def propose(db: Database, rows: list[dict[str, Any]]) -> int:
    """Add or refresh pending suggestions; decided ones and already-coded spans are left alone.
    Returns how many are new or changed: a row whose content is the same is not rewritten (nor
    counted), so a second run over the same study reports 0."""
    before = db.execute("SELECT total_changes()").fetchone()[0]
    rows = [{"base_score": r.get("score"), **r} for r in rows]  # uncalibrated: score is base
    excluded = ", ".join(f"excluded.{c.strip()}" for c in _CONTENT.split(","))
    with db.atomic():
        db.conn.executemany(
            f"INSERT INTO suggestions (segment_id, code_id, {_CONTENT}) VALUES (:segment_id, "
            ":code_id, :start, :end, :quote, :score, :reason, :base_score) "
            f"ON CONFLICT (segment_id, code_id) DO UPDATE SET ({_CONTENT}) = ({excluded}) "
            f"WHERE suggestions.status = 'pending' AND ({_CONTENT}) IS NOT ({excluded})",
            rows,
        )
    return int(db.execute("SELECT total_changes()").fetchone()[0] - before)


def keep_only(db: Database, segment_ids: list[int], produced: set[tuple[int, str]]) -> int:
    """A run leaves the pending queue of the segments it scored as it computed it: a pending
    suggestion there that it did not produce (below this run's threshold, or no longer found)
    goes; decided ones are never touched. Returns how many went."""
    if not segment_ids:
        return 0
    covered = json.dumps(sorted(set(segment_ids)))
    stale = [r[0] for r in db.execute(
        "SELECT id, segment_id, code_id FROM suggestions WHERE status = 'pending' AND "
        "segment_id IN (SELECT value FROM json_each(?))", [covered])
        if (r[1], r[2]) not in produced]  # fmt: skip
    if not stale:
        return 0
    with db.atomic():
        db.execute("DELETE FROM suggestions WHERE id IN (SELECT value FROM json_each(?))",
                   [json.dumps(stale)])  # fmt: skip
    return len(stale)


def queue(
    db: Database,
    status: str = PENDING,
    code: str | None = None,
    recording: str | None = None,
    min_score: float = 0.0,
    limit: int = 1000,
) -> list[Suggestion]:
    """The queue in transcript order. `code`: that code and its sub-codes — a parent code
    stands for its branch, as in search and the reports (`--code BUR` lists BUR.EXTRA_DOCS)."""
    sql = _SELECT + " WHERE g.status = ? AND g.score >= ?"
    args: list[Any] = [status, min_score]
    if code:
        sql += f" AND g.code_id IN ({_BRANCH})"
        args.append(code)
    if recording:
        sql += " AND r.key = ?"
        args.append(recording)
    sql += " ORDER BY r.key, s.idx, g.start, g.score DESC LIMIT ?"
    return [_suggestion(r) for r in db.query(sql, [*args, limit])]


def get_suggestion(db: Database, suggestion_id: int) -> Suggestion:
    rows = list(db.query(_SELECT + " WHERE g.id = ?", [suggestion_id]))
    if not rows:
        raise NotFound(_("no suggestion {id}").format(id=suggestion_id))
    return _suggestion(rows[0])


def by_ids(db: Database, ids: list[int]) -> dict[int, Suggestion]:
    """The stored suggestions among `ids` (missing ones are simply absent), in one query."""
    rows = db.query(_SELECT + " WHERE g.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])
    return {int(r["id"]): _suggestion(r) for r in rows}


def decide(
    db: Database, suggestion_id: int, status: str, coder: str, coding_id: int | None = None
) -> None:
    db.execute(
        "UPDATE suggestions SET status = ?, coder_id = ?, coding_id = ?, decided_at = ? "
        "WHERE id = ?",
        [status, coder, coding_id, now(db), suggestion_id],
    )


def pending_on(db: Database, segment_id: int, code_id: str) -> list[int]:
    """The pending suggestions of one code on one turn (at most one: unique per pair)."""
    return [int(r[0]) for r in db.execute(
        "SELECT id FROM suggestions WHERE status = 'pending' AND segment_id = ? AND code_id = ?",
        [segment_id, code_id])]  # fmt: skip


def drop_pending(db: Database, segment_ids: list[int]) -> int:
    """Pending suggestions on turns now known to be the interviewer's go away (one statement:
    row-by-row deletes let the planner scan the status index for each)."""
    if not segment_ids:
        return 0
    with db.atomic():
        cur = db.execute(
            "DELETE FROM suggestions WHERE status = 'pending' AND segment_id IN "
            "(SELECT value FROM json_each(?))",
            [json.dumps(sorted(set(segment_ids)))],
        )
    return int(cur.rowcount or 0)


def drop_coded(db: Database) -> int:
    """Pending suggestions for a (segment, code) somebody has since coded by hand go away."""
    with db.atomic():
        cur = db.execute(
            "DELETE FROM suggestions WHERE status = 'pending' AND EXISTS (SELECT 1 FROM codings "
            "c WHERE c.segment_id = suggestions.segment_id AND c.code_id = suggestions.code_id)"
        )
    return int(cur.rowcount or 0)


def rejected_quotes(db: Database, limit: int = 5000) -> list[tuple[str, str]]:
    """(code, quote) the team refused: counter-examples for the code's profile."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT code_id, quote FROM suggestions WHERE status = 'rejected' "
        "ORDER BY id DESC LIMIT ?", [limit])]  # fmt: skip


def decisions(db: Database) -> list[tuple[str, float, bool]]:
    """(code, score before the code's offset, accepted?) of every decided suggestion."""
    return [(r[0], float(r[1]), r[2] == ACCEPTED) for r in db.execute(
        "SELECT code_id, coalesce(base_score, score), status FROM suggestions "
        "WHERE status IN ('accepted', 'rejected') AND score <= 1")]  # fmt: skip


def turn_decisions(db: Database) -> list[tuple[float, float, bool]]:
    """(score, the best score among its turn's suggestions, accepted?) of every decided
    suggestion, both before the codes' offsets: how the team treats a turn's trailing codes."""
    return [(float(r[0]), float(r[1]), r[2] == ACCEPTED) for r in db.execute(
        "SELECT s, top, status FROM (SELECT coalesce(base_score, score) AS s, status, "
        "max(coalesce(base_score, score)) OVER (PARTITION BY segment_id) AS top "
        "FROM suggestions WHERE score <= 1) WHERE status IN ('accepted', 'rejected')")]  # fmt: skip


def recording_context(db: Database) -> dict[str, dict[str, Any]]:
    """Per recording key: method, interviewer, language and participants' roles by pseudonym
    and by speaker label — what speaker attribution needs from the metadata."""
    out: dict[str, dict[str, Any]] = {}
    for r in db.query(
        "SELECT r.key, r.method, r.interviewer, coalesce(t.language, r.language) AS language "
        "FROM recordings r LEFT JOIN transcripts t ON t.recording_id = r.id"
    ):
        out[r["key"]] = {**r, "roles": {}}
    for r in db.query(
        "SELECT r.key, p.pseudonym, p.role, rp.speaker_label FROM recording_participants rp "
        "JOIN recordings r ON r.id = rp.recording_id "
        "JOIN participants p ON p.id = rp.participant_id"
    ):
        roles = out[r["key"]]["roles"]
        role = "interviewer" if r["role"] == "interviewer" else "respondent"
        roles[r["pseudonym"]] = role
        if r["speaker_label"]:
            roles[r["speaker_label"]] = role
    return out


def counts(db: Database) -> dict[str, int]:
    return {r["status"]: r["n"] for r in db.query(
        "SELECT status, count(*) AS n FROM suggestions GROUP BY status")}  # fmt: skip


def coded_pairs(db: Database) -> set[tuple[int, str]]:
    """(segment, code) pairs somebody already coded: no point suggesting them."""
    return {(r[0], r[1]) for r in db.execute("SELECT DISTINCT segment_id, code_id FROM codings")}


def rejected_codes(db: Database) -> dict[int, set[str]]:
    """Segment → the codes a coder rejected there: never proposed there again, and not the
    turn's best code when its other codes are ranked (`Scorer.best_many`)."""
    out: dict[int, set[str]] = {}
    for seg, code in db.execute(
        "SELECT segment_id, code_id FROM suggestions WHERE status = ?", [REJECTED]
    ):
        out.setdefault(seg, set()).add(code)
    return out


def coded_quotes(db: Database, limit: int = 5000) -> list[tuple[str, str]]:
    """(code, quote) of codings a person made or confirmed (not raw imports of suggestions
    awaiting review), newest first: what auto-coding learns from."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT code_id, quote FROM codings WHERE provenance IN ('manual', 'consensus', "
        "'suggested', 'imported') AND length(quote) >= 15 ORDER BY id DESC LIMIT ?", [limit])]  # fmt: skip


def repoint(db: Database, old_coding: int, new_coding: int) -> None:
    """A decided suggestion follows its coding when two codings become one."""
    db.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?", [new_coding, old_coding])


def segment_count(db: Database) -> int:
    """The work a suggestion run has ahead of it (for its progress bar)."""
    return int(db.execute("SELECT count(*) FROM segments").fetchone()[0])
