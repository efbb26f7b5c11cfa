"""A study seeded with identifying data in every place it can hide (shared by leak tests)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qualtool.coding.actions import apply_codes, toggle_key_quote, write_memo
from qualtool.coding.editing import edit_segment_text
from qualtool.domain import Memo, Word
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.store import suggestions as sug_store
from qualtool.store.transcripts import update_segment
from qualtool.team.exchange import save_layers
from qualtool.workspace.study import Workspace
from qualtool.workspace.transcripts import write_outputs

REPO = Path(__file__).resolve().parents[2]

CODED = ("Меня принимала Айгерим Нурлановна, ИИН у меня 850101400120, телефон +7 (727) 2-123-456, "
         "живу на ул. Абая, д. 12, кв. 5, а потом я пошла к Нурлановой, и она мне нагрубила.")  # fmt: skip
UNCODED = "Ерлан Сейткалиев обещал перезвонить на 8 701 765 43 21, но так и не позвонил."
CLEAN = "В ЦОНе Алматы очередь была большая, талон номер 237."
MEMO = (
    "Респондентка жалуется на Нурланову; её телефон +7 (727) 2-123-456, e-mail aigerim.n@mail.kz."
)
# what must not survive anywhere (checked as written and in lower case)
NEEDLES = ["Айгерим", "Нурланов", "850101400120", "2-123-456", "Сейткалиев", "765 43 21",
           "aigerim.n@mail", "д. 12, кв. 5"]  # fmt: skip


def seed(ws: Workspace) -> None:
    db = ws.db
    rec = add_text_recording(db, "idi-01", [("R01", CODED), ("R01", UNCODED), ("I", CLEAN)],
                             region="Алматы", service="ЦОН")  # fmt: skip
    ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY idx")]
    rec_store.update_recording(db, rec, notes="Перезвонить Айгерим Нурлановне: +7 (727) 2-123-456")
    words = tuple(Word(i * 0.4, i * 0.4 + 0.35, " " + w, 0.9) for i, w in enumerate(CODED.split()))
    update_segment(db, ids[0], words=words)
    # the journal's before-image now holds the uncoded original
    edit_segment_text(db, ids[1], UNCODED + " Ужас.")
    start = CODED.index("Айгерим")
    codings = apply_codes(db, ids[0], (start, len(CODED)), ["STAFF.CONDUCT"], "anna",
                          memo="Айгерим Нурлановна грубила")  # fmt: skip
    toggle_key_quote(db, codings[0].id or 0)
    apply_codes(db, ids[0], (start, len(CODED)), ["STAFF.CONDUCT"], "consensus")
    s2 = CODED.index("к Нурлановой")
    apply_codes(db, ids[0], (s2, s2 + 12), ["STAFF.CONDUCT"], "boris")
    write_memo(db, Memo("segment", str(ids[0]), MEMO, "anna"))
    s3 = UNCODED.index("Ерлан")
    sug_store.propose(db, [{"segment_id": ids[1], "code_id": "STAFF.CONDUCT", "start": s3,
                            "end": len(UNCODED), "quote": UNCODED[s3:], "score": 0.8,
                            "reason": "Ерлан Сейткалиев: keyword «перезвонить»"}])  # fmt: skip
    from qualtool.search.query import refresh_index

    refresh_index(db)  # the FTS index holds the originals too
    conflicts = ws.study.root / "conflicts"
    conflicts.mkdir()
    (conflicts / "vera-20250101T000000.json").write_text(json.dumps({"source": "vera.json",
        "conflicts": [{"quote": "Сейткалиев дал номер 8 701 765 43 21", "problem": "quote gone"}]},
        ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    write_outputs(ws, rec)
    ws.save_manifest()
    save_layers(ws)


def cli(root: Path, *args: str, env: dict[str, str] | None = None,
        wait: bool = True) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:  # fmt: skip
    full = {"PATH": "/usr/bin:/bin", "COLUMNS": "160", "HOME": str(root.parent),
            "PYTHONPATH": str(REPO), "QUALTOOL_LANG": "en", **(env or {})}  # fmt: skip
    cmd = [sys.executable, "-m", "qualtool", "-s", str(root), *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=root.parent, env=full, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
    return subprocess.run(cmd, cwd=root.parent, env=full, capture_output=True, text=True)


def hits(blob: bytes) -> list[str]:
    low = blob.lower()
    return [n for n in NEEDLES if n.encode() in blob or n.lower().encode() in low]


def leaks(paths: list[Path]) -> dict[str, list[str]]:
    """Every file (zip archives unpacked) that still contains a needle."""
    out: dict[str, list[str]] = {}
    for path in paths:
        if path.is_dir():
            continue
        blobs = {str(path): path.read_bytes()}
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                blobs.update({f"{path}!{n}": z.read(n) for n in z.namelist()})
        for name, blob in blobs.items():
            found = hits(blob)
            if found:
                out[name] = found
    return out


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def env_vault(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The vault in tmp for this process (undone after the test) and for CLI subprocesses."""
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp / "vault"))
    return {"QUALTOOL_VAULT": str(tmp / "vault")}
