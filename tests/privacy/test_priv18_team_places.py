"""The places team sync added in session 17, each planted with a name and grepped after `anonymise
--apply` (session-18 privacy hunt): the tombstone lines of codings/<coder>.json (a coding deleted,
a memo deleted, a suggestion decision withdrawn), the review's withdrawn decisions in
privacy/decisions.yml, codings/assignments.yml, the codings' `origin`, and `qualtool fresh-copy`.
Each names the recording by its key, here made from the respondent's name; the names are
planted in Cyrillic and Latin letters and as a diminutive. Nothing may be left in any study file
(git's history aside: that is what fresh-copy is for), nor in qualtool.db; an undo after the
apply brings nothing back."""

from __future__ import annotations

import json
from pathlib import Path

from laptops import git, qualtool
from name_leaks import assert_no_name, database_files, names_left

from qualtool.autocode.review import accept
from qualtool.coding.actions import apply_codes, remove_coding, write_memo
from qualtool.coding.history import undo
from qualtool.domain.coding import Memo
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.privacy import review
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.store import suggestions as sug_store
from qualtool.team.assignments import assign
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

KEY = "интервью-гульнара"
TURNS = [("I", "Расскажите, как прошёл визит."),
         ("R01", "Гульнара Серикбаева рассказала про очередь в ЦОНе."),
         ("R01", "Потом Gulnara Serikbayeva позвонила, и Гулечка плакала.")]  # fmt: skip
NAMES = ["Гульнара", "Серикбаева", "Gulnara", "Serikbayeva", "Гулечка"]
LATIN = TURNS[2][1].index("Gulnara")


def _commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, "--allow-empty")


def _step(root: Path, act: object, message: str, then: object = undo) -> None:
    """`act` on the open study, committed, then `then` (by default its undo): a line of the
    last commit taken back leaves a tombstone."""
    for f in (act, then):
        ws = open_workspace(root)
        try:
            f(ws)  # type: ignore[operator]
        finally:
            ws.close()
        if f is act:
            _commit(root, message)


def _sid(ws: Workspace, idx: int) -> int:
    return int(ws.db.execute("SELECT id FROM segments WHERE idx = ?", [idx]).fetchone()[0])


def _code(ws: Workspace) -> None:
    apply_codes(ws, _sid(ws, 1), (0, len(TURNS[1][1])), ["INFO.HELPDESK"], "anna")


def _remove(ws: Workspace) -> None:
    remove_coding(ws, int(ws.db.execute("SELECT id FROM codings").fetchone()[0]))


def _memo(ws: Workspace) -> None:
    write_memo(ws, Memo("recording", KEY, "Гулечка пришла с дочерью", "anna"))


def _accept(ws: Workspace) -> None:
    quote = TURNS[2][1][LATIN:]
    sug_store.propose(ws.db, [{"segment_id": _sid(ws, 2), "code_id": "INFO.HELPDESK",
                               "start": LATIN, "end": len(TURNS[2][1]), "quote": quote,
                               "score": 0.8, "reason": "Gulnara Serikbayeva: «позвонила»"}])  # fmt: skip
    sid = int(ws.db.execute("SELECT id FROM suggestions").fetchone()[0])
    accept(ws, sid, "anna")


def _decide(ws: Workspace) -> None:
    pseud = Pseudonymiser(b"\0" * 32, {})
    found = review.segment_findings(ws, pseud)
    f = next(f for f in found if f.entity.text == "Гульнара Серикбаева")
    review.decide(ws, f, "accept")


def _study(tmp_path: Path) -> Path:
    study = init_study(tmp_path / "study", name="Тест", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, KEY, list(TURNS))
    write_outputs(ws, rec_store.get_recording(ws.db, KEY))
    ws.save_manifest()
    ws.close()
    git(root, "init", "-q", "-b", "main")
    _commit(root, "study")
    _step(root, _code, "coded", _remove)  # a coding deleted: «deleted»
    _step(root, _memo, "memo")  # a memo deleted: «memo-deleted»
    _step(root, _accept, "accepted")  # a suggestion decision withdrawn
    _step(root, _decide, "decided")  # a review decision withdrawn: «decision: withdrawn»
    _step(root, lambda ws: assign(ws, KEY, "anna"), "assigned", lambda ws: None)
    return root


def test_the_tombstones_and_team_files_keep_no_name(tmp_path: Path) -> None:
    root = _study(tmp_path)
    layer = (root / "codings" / "anna.json").read_text(encoding="utf-8")
    for kind in ('"deleted"', '"memo-deleted"', '"suggestion-withdrawn"'):
        assert kind in layer, layer  # the tombstones are there, naming the key
    assert "withdrawn" in (root / "privacy" / "decisions.yml").read_text(encoding="utf-8")
    assert KEY in (root / "codings" / "assignments.yml").read_text(encoding="utf-8")
    vault = tmp_path / "vault"
    r = qualtool(root, vault, "anonymise", "--apply")
    assert r.returncode == 0, r.stderr
    assert not names_left(root, NAMES, [root / "codings" / "anna.json"]), layer
    files = [p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert_no_name(root, NAMES, files)
    assert_no_name(root, NAMES, database_files(root))
    for line in (root / "codings" / "anna.json").read_text(encoding="utf-8").splitlines()[1:-1]:
        rec = json.loads(line[1:])
        assert str(rec.get("recording", rec.get("target_id", ""))).startswith("интервью-имя-")
    # nothing to undo: the apply emptied the history, no name comes back
    r = qualtool(root, vault, "undo")
    assert not any(n.lower() in (r.stdout + r.stderr).lower() for n in NAMES), r
    assert_no_name(root, NAMES, database_files(root))
    _commit(root, "anonymised")
    dest = tmp_path / "copy"
    r = qualtool(root, vault, "fresh-copy", str(dest))
    assert r.returncode == 0, r.stdout + r.stderr
    assert not any(n.lower() in (r.stdout + r.stderr).lower() for n in NAMES), r
    assert_no_name(dest, NAMES, [p for p in dest.rglob("*") if p.is_file()])


def test_every_coders_suggestion_decision_loses_the_names(tmp_path: Path) -> None:
    """anna and boris decided the same suggestion (boris on his laptop, his layer pulled): the
    queue row holds one decision, suggestion_decisions both. The apply rewrote the queue row's
    quote and reason, and the trigger only the decision of the coder that row names: the
    other's kept the names, and his layer file was written back from it."""
    study = init_study(tmp_path / "study", name="Тест", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    root = study.root
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, KEY, list(TURNS))
    write_outputs(ws, rec_store.get_recording(ws.db, KEY))
    ws.save_manifest()
    _accept(ws)
    ws.close()
    layer = (root / "codings" / "anna.json").read_text(encoding="utf-8").splitlines()
    line = next(json.loads(x[1:]) for x in layer if '"suggestion"' in x)
    head = json.dumps({"coder": "boris", "format": "qualtool-coder-layer", "version": 2})
    body = json.dumps({**line, "status": "rejected"}, ensure_ascii=False)
    (root / "codings" / "boris.json").write_text(f"[{head}\n,{body}\n]\n", encoding="utf-8")
    vault = tmp_path / "vault"
    assert qualtool(root, vault, "sync").returncode == 0
    ws = open_workspace(root)
    coders = {r[0] for r in ws.db.execute("SELECT coder_id FROM suggestion_decisions")}
    ws.close()
    assert coders == {"anna", "boris"}, coders
    r = qualtool(root, vault, "anonymise", "--apply")
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES, [p for p in root.rglob("*") if p.is_file()])
    assert_no_name(root, NAMES, database_files(root))
    r = qualtool(root, vault, "anonymise", "--restore")
    assert r.returncode == 0, r.stdout + r.stderr
    for coder in ("anna", "boris"):
        assert "Gulnara Serikbayeva" in (root / "codings" / f"{coder}.json").read_text("utf-8")
