"""Codebook rows, and syncing the codebook file into them without orphaning codings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qualtool.domain import BarrierType, Code, Codebook, Example, Polarity
from qualtool.domain.errors import CodebookError, NotFound
from qualtool.i18n import _, ngettext
from qualtool.store.codings import merge_overlaps


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    removed: list[str] = field(default_factory=list)
    dropped_suggestions: int = 0  # pending proposals for removed codes (regenerated on demand)
    unchanged: bool = False  # an edit to what the file already says: nothing written, no undo step

    def then(self, later: SyncReport | None) -> SyncReport:
        """This sync followed by a later one, as one report: a command whose opening sync
        already loaded the edited file (`codebook load`, `sync --all`) says what that did —
        its own second pass finds nothing new and said «0 re-keyed» after the re-keying."""
        if later is None:
            return self

        def both(a: list[str], b: list[str]) -> list[str]:
            return list(dict.fromkeys([*a, *b]))

        return SyncReport(
            added=both(self.added, later.added),
            changed=[c for c in both(self.changed, later.changed) if c not in self.added],
            moved=both(self.moved, later.moved),
            renamed=list(dict.fromkeys([*self.renamed, *later.renamed])),
            removed=both(self.removed, later.removed),
            dropped_suggestions=self.dropped_suggestions + later.dropped_suggestions,
            unchanged=self.unchanged and later.unchanged,
        )

    def summary(self) -> str:
        """What changed, the kinds that did only: «1 added», not «1 added, 0 changed, 0 moved,
        0 re-keyed, 0 removed» after every edit in the TUI's codebook."""
        counts = ((_("{n} added"), self.added), (_("{n} changed"), self.changed),
                  (_("{n} moved"), self.moved), (_("{n} re-keyed"), self.renamed),
                  (_("{n} removed"), self.removed))  # fmt: skip
        parts = [text.format(n=len(items)) for text, items in counts if items]
        if self.dropped_suggestions:
            n = self.dropped_suggestions
            parts.append(ngettext("{n} pending suggestion of removed codes dropped",
                                  "{n} pending suggestions of removed codes dropped",
                                  n).format(n=n))  # fmt: skip
        return ", ".join(parts) or _("no code changed")


def _row(code: Code) -> dict[str, Any]:
    return {
        "id": code.id,
        "parent_id": code.parent_id,
        "label_ru": code.label_ru,
        "label_en": code.label_en,
        "definition": code.definition,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "examples": json.dumps(
            [{"text": e.text, "source": e.source} for e in code.examples], ensure_ascii=False
        ),
        "keywords": json.dumps(list(code.keywords), ensure_ascii=False),
        "keywords_kk": json.dumps(list(code.keywords_kk), ensure_ascii=False),
        "color": code.color,
        "polarity": code.polarity.value,
        "barrier_type": code.barrier_type.value,
        "sort": code.sort,
        "active": 1,
    }


def _code(row: dict[str, Any]) -> Code:
    return Code(
        id=row["id"],
        parent_id=row["parent_id"],
        label_ru=row["label_ru"],
        label_en=row["label_en"],
        definition=row["definition"],
        inclusion=row["inclusion"],
        exclusion=row["exclusion"],
        examples=tuple(Example(e["text"], e.get("source")) for e in json.loads(row["examples"])),
        keywords=tuple(json.loads(row["keywords"])),
        keywords_kk=tuple(json.loads(row.get("keywords_kk") or "[]")),
        color=row["color"],
        polarity=Polarity(row["polarity"]),
        barrier_type=BarrierType(row["barrier_type"]),
        sort=row["sort"],
    )


def load_codebook(db: Database, name: str = "codebook") -> Codebook:
    rows = db.query("SELECT * FROM codes WHERE active = 1 ORDER BY sort, id")
    return Codebook(name=name, codes=tuple(_code(r) for r in rows))


def resolve_code_id(db: Database, code_id: str) -> str:
    """Accept a current id or one it replaced; NotFound otherwise."""
    if list(db.query("SELECT 1 FROM codes WHERE id = ? AND active = 1", [code_id])):
        return code_id
    alias = list(db.query("SELECT code_id FROM code_aliases WHERE old_id = ?", [code_id]))
    if alias:
        return str(alias[0]["code_id"])
    raise NotFound(
        _("no code {code!r} in the codebook (see `qualtool codebook show`)").format(code=code_id)
    )


def with_sub_codes(db: Database, codes: Iterable[str]) -> tuple[str, ...]:
    """Each code resolved (a replaced id followed, an unknown one refused) and followed by its
    sub-codes, however deep: a parent code stands for its branch in every code filter —
    search, reports and exports, the suggestion queue, agreement — CLI and TUI alike."""
    cb = load_codebook(db)
    out: list[str] = []
    for code in codes:
        cid = resolve_code_id(db, code)
        out += [cid, *(d.id for d in cb.descendants(cid))]
    return tuple(dict.fromkeys(out))


def coding_counts(db: Database) -> dict[str, int]:
    return {
        r["code_id"]: r["n"]
        for r in db.query("SELECT code_id, count(*) AS n FROM codings GROUP BY code_id")
    }


def sync_codebook(db: Database, codebook: Codebook, source: str = "codebook") -> SyncReport:
    """Make the codes table match the file, in one transaction.

    Codings follow their code through label changes and moves (the id is stable) and through
    re-keying (`replaces:`). A code that disappeared while codings still use it stops the
    sync: silently dropping someone's coding work is never an option.
    """
    report = SyncReport()
    existing = {r["id"]: r for r in db.query("SELECT * FROM codes")}
    counts = coding_counts(db)
    new_ids = {c.id for c in codebook.codes}
    replaced = {old: c.id for c in codebook.codes for old in c.replaces}
    problems = [
        (0, ngettext("code {code} was removed but {n} coding uses it: restore it, or list it "
                     "under another code's `replaces:`",
                     "code {code} was removed but {n} codings use it: restore it, or list it "
                     "under another code's `replaces:`", n).format(code=old, n=n))
        for old, n in counts.items()
        if old not in new_ids and old not in replaced and old in existing
    ]  # fmt: skip
    aliases = {r[0] for r in db.execute("SELECT old_id FROM code_aliases")}
    if existing:  # a fresh database cannot tell: its codings arrive later, by the new ids
        problems += [
            (
                0,
                _("{code} replaces {old}, which is not a code of this study (a typo?)").format(
                    code=new, old=old
                ),
            )
            for old, new in replaced.items()
            if old not in existing and old not in aliases
        ]
    if problems:
        raise CodebookError(source, problems)
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")
        for code in codebook.codes:
            row = _row(code)
            old = existing.get(code.id)
            if old is None:
                report.added.append(code.id)
            elif old["parent_id"] != code.parent_id:
                report.moved.append(code.id)
            elif any(old[k] != v for k, v in row.items() if k != "sort"):
                report.changed.append(code.id)
            db.table("codes").upsert(row, pk="id")
        for old_id, new_id in replaced.items():
            if old_id in existing:
                fold_code(db, old_id, new_id)
                db.execute(
                    "UPDATE code_aliases SET code_id = ? WHERE code_id = ?", [new_id, old_id]
                )
                report.renamed.append((old_id, new_id))
            db.table("code_aliases").upsert({"old_id": old_id, "code_id": new_id}, pk="old_id")
        for old_id in existing:
            if old_id not in new_ids:
                cur = db.execute("DELETE FROM suggestions WHERE code_id = ? AND coding_id IS NULL",
                                 [old_id])  # fmt: skip
                report.dropped_suggestions += max(cur.rowcount, 0)
                db.execute("DELETE FROM adjudications WHERE code_id = ?", [old_id])
                # old ids that pointed here (a merge) point nowhere once this code is gone
                db.execute("DELETE FROM code_aliases WHERE code_id = ?", [old_id])
                db.execute("UPDATE codes SET parent_id = NULL WHERE parent_id = ?", [old_id])
                db.execute("DELETE FROM codes WHERE id = ?", [old_id])
                if old_id not in replaced:
                    report.removed.append(old_id)
    return report


def fold_code(db: Database, old_id: str, new_id: str) -> None:
    """Everything of `old_id` becomes `new_id`'s. Where both codes coded the same span (one
    coder), the two codings become one (memo and key-quote mark kept); overlapping spans of
    the now one code merge; suggestions and adjudications already made for `new_id` win."""
    twins = list(db.query(
        "SELECT o.id AS old, n.id AS new, o.memo, o.key_quote FROM codings o JOIN codings n "
        "ON n.segment_id = o.segment_id AND n.coder_id = o.coder_id AND n.start = o.start "
        'AND n."end" = o."end" AND n.code_id = ? WHERE o.code_id = ?', [new_id, old_id]))  # fmt: skip
    for t in twins:
        if t["memo"]:
            db.execute("UPDATE codings SET memo = trim(coalesce(memo || char(10), '') || ?) "
                       "WHERE id = ?", [t["memo"], t["new"]])  # fmt: skip
        if t["key_quote"]:
            db.execute("UPDATE codings SET key_quote = 1 WHERE id = ?", [t["new"]])
        db.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?", [t["new"], t["old"]])
        db.execute("DELETE FROM codings WHERE id = ?", [t["old"]])
    db.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", [new_id, old_id])
    merge_overlaps(db, new_id)
    for table in ("suggestions", "adjudications"):
        db.execute(f"UPDATE {table} SET code_id = ? WHERE code_id = ? AND NOT EXISTS (SELECT 1 "
                   f"FROM {table} x WHERE x.segment_id = {table}.segment_id AND x.code_id = ?)",
                   [new_id, old_id, new_id])  # fmt: skip
        db.execute(f"DELETE FROM {table} WHERE code_id = ?", [old_id])


def get_code(db: Database, code_id: str) -> Code:
    rows = list(db.query("SELECT * FROM codes WHERE id = ?", [resolve_code_id(db, code_id)]))
    if not rows:
        raise NotFound(_("no code {code!r}").format(code=code_id))
    return _code(rows[0])
