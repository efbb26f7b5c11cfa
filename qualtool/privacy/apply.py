"""Anonymise the stored transcripts (originals to the owner's vault) and restore them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from qualtool.coding.editing import edit_segment_text
from qualtool.privacy.detect import Entity, Pseudonymiser, detect
from qualtool.store import recordings as rec_store
from qualtool.store import transcripts as tr_store
from qualtool.store import vault as vault_store
from qualtool.store.layers import segment_index
from qualtool.workspace.study import Workspace


@dataclass
class RedactionReport:
    segments: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # edits that would break a coding
    changes: list[tuple[str, int, str, str]] = field(default_factory=list)  # key, idx, old, new


def scan(ws: Workspace, keys: list[str] | None = None) -> list[tuple[str, int, Entity]]:
    """What would be replaced, without changing anything (the dry run coders review first)."""
    out = []
    for rec in rec_store.list_recordings(ws.db):
        if keys and rec.key not in keys:
            continue
        t = tr_store.get_transcript(ws.db, rec.id or 0)
        for seg in t.segments if t else ():
            out.extend((rec.key, seg.idx, e) for e in detect(seg.text))
    return out


def anonymise_stored(
    ws: Workspace,
    keys: list[str] | None = None,
    on_write: Callable[[str], None] | None = None,
) -> RedactionReport:
    """Replace identifying spans in the stored transcripts; the originals go to the vault
    first, so a crash between the two loses nothing."""
    from qualtool.workspace.transcripts import write_outputs

    report = RedactionReport()
    pseud = Pseudonymiser(ws.db)
    vault = vault_store.open_vault(ws.db)
    for rec in rec_store.list_recordings(ws.db):
        if keys and rec.key not in keys:
            continue
        t = tr_store.get_transcript(ws.db, rec.id or 0)
        changed = False
        for seg in t.segments if t else ():
            entities = detect(seg.text)
            if not entities:
                continue
            new = pseud.apply(seg.text)
            row = tr_store.segment_row(t.id or 0, seg) if t else {}
            vault_store.keep(vault, seg.id or 0, rec.key, seg.idx, seg.text, new,
                             str(row.get("words", "[]")))  # fmt: skip
            try:
                edit_segment_text(ws.db, seg.id or 0, new)
            except Exception as exc:  # a coding on the name itself: report, keep going
                vault_store.forget(vault, seg.id or 0)
                report.refused.append(f"{rec.key} #{seg.idx}: {exc}")
                continue
            report.segments += 1
            report.changes.append((rec.key, seg.idx, seg.text, new))
            for e in entities:
                report.entities[e.kind.value] = report.entities.get(e.kind.value, 0) + 1
            changed = True
        if changed:
            write_outputs(ws, rec)
            if on_write:
                on_write(rec.key)
    vault.close()
    return report


def restore_stored(ws: Workspace) -> int:
    """Put the originals back (only possible where the vault is); returns segments restored."""
    from qualtool.workspace.transcripts import write_outputs

    vault = vault_store.open_vault(ws.db)
    restored, touched = 0, set()
    for row in vault_store.originals(vault):
        # by recording and position: segment ids change when the database is rebuilt
        by_idx = {s["idx"]: s["id"] for s in segment_index(ws.db, str(row["recording"]))}
        sid = int(by_idx.get(row["idx"], row["segment_id"]))  # type: ignore[call-overload]
        try:
            seg = tr_store.get_segment(ws.db, sid)
        except Exception:
            continue
        if seg.text != row["anonymised"]:
            continue  # edited since: leave the coder's work alone
        edit_segment_text(ws.db, sid, str(row["original"]))
        tr_store.update_segment(ws.db, sid, words=_words(str(row["words"])))
        vault_store.forget(vault, int(row["segment_id"]))  # type: ignore[arg-type]
        restored += 1
        touched.add(str(row["recording"]))
    for key in touched:
        write_outputs(ws, rec_store.get_recording(ws.db, key))
    vault.close()
    return restored


def _words(raw: str) -> tuple[object, ...]:
    import json

    from qualtool.domain import Word

    return tuple(
        Word(float(a), float(b), str(c), float(d)) for a, b, c, d in json.loads(raw or "[]")
    )
