"""The conflicts team sync lists (`qualtool conflicts`, the sync_conflicts rows) after `anonymise
--apply` (session-18 privacy hunt): a coding deleted on one laptop and changed on the other, a
memo deleted on one and edited on the other, a speaker two coders corrected differently — each
row named the recording by its key («интервью-гульнара#1», made from a name) and a contested
speaker by its label («Гульнара»), and the apply left them as they were: `conflicts` printed the
originals and qualtool.db held them. The apply now rewrites every conflict row as it rewrites the
texts (keys renamed, names pseudonymised), so the listing still says which record to check."""

from __future__ import annotations

from pathlib import Path

from laptops import git, qualtool, share
from name_leaks import assert_no_name, database_files

from qualtool.coding.actions import apply_codes, set_coding_memo, write_memo
from qualtool.coding.history import undo
from qualtool.domain.coding import Memo
from qualtool.files.study import SHIPPED_CODEBOOK, init_study
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import file_state
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

KEY = "интервью-гульнара"
TURNS = [("I", "Расскажите, как прошёл визит."),
         ("Гульнара", "Гульнара Серикбаева рассказала про очередь в ЦОНе.")]  # fmt: skip
NAMES = ["Гульнара", "Серикбаева"]


def _commit(study: Path, message: str) -> None:
    git(study, "add", "-A")
    git(study, "commit", "-qm", message, "--allow-empty")


def _study(tmp_path: Path) -> Path:
    """One recording named after its respondent, her last turn coded whole by anna (quote:
    her full name)."""
    study = init_study(tmp_path / "origin-wc", name="Тест", year=2025, coder="anna",
                       codebook=SHIPPED_CODEBOOK)  # fmt: skip
    ws = open_workspace(study.root, sync=True)
    add_text_recording(ws.db, KEY, list(TURNS))
    sid = ws.db.execute("SELECT id FROM segments WHERE idx = 1").fetchone()[0]
    apply_codes(ws, sid, (0, len(TURNS[1][1])), ["INFO.HELPDESK"], "anna")
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.save_layers()
    ws.close()
    return study.root


def _on(study: Path, action: str) -> None:
    """A coder's step on `study`: write anna's memo on the recording; delete it (an undo of
    its writing) and give her coding a memo; or change both."""
    ws = open_workspace(study)
    try:
        cid = int(ws.db.execute("SELECT id FROM codings WHERE coder_id = 'anna'").fetchone()[0])
        if action == "memo":
            write_memo(ws, Memo("recording", KEY, "Гульнара пришла с дочерью", "anna"))
        elif action == "delete":
            undo(ws)
            set_coding_memo(ws, cid, "Перезвонить Гульнаре")
        else:
            set_coding_memo(ws, cid, "Гульнара Серикбаева просила перезвонить")
            write_memo(ws, Memo("recording", KEY, "Гульнара пришла с дочерью и сыном", "anna"))
    finally:
        ws.close()


def _conflicted(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """A writes anna's memo, pushed and read by B; then A deletes it, gives anna's coding a
    memo and corrects «Гульнара» as interviewer, B edits both and corrects her as respondent; B
    pulls
    A's work (union merge) and syncs: a memo deleted and edited, a coding changed on both sides
    (two versions kept), a speaker contested."""
    a, b = share(tmp_path, _study(tmp_path))
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(a, va, "ls").returncode == 0
    _on(a, "memo")
    _commit(a, "memo")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    assert qualtool(b, vb, "ls").returncode == 0
    _on(a, "delete")
    assert qualtool(a, va, "suggest", "speakers", KEY, "Гульнара", "interviewer").returncode == 0
    _commit(a, "deleted")
    git(a, "push", "-q")
    _on(b, "change")
    assert qualtool(b, vb, "suggest", "speakers", KEY, "Гульнара", "respondent").returncode == 0
    _commit(b, "changed")
    git(b, "pull", "-q", "--no-rebase", "--no-edit")
    assert qualtool(b, vb, "sync").returncode == 0
    return a, va, b, vb


def _rows(study: Path) -> list[str]:
    ws = open_workspace(study)
    try:
        return [text for _id, text, _at in file_state.conflicts(ws.db)]
    finally:
        ws.close()


def test_apply_leaves_no_name_in_the_conflicts_it_lists(tmp_path: Path) -> None:
    _a, _va, b, vb = _conflicted(tmp_path)
    before = qualtool(b, vb, "conflicts").stdout
    assert KEY in before and "Гульнара in" in before, before  # the three are listed
    assert len(_rows(b)) >= 3, before
    r = qualtool(b, vb, "anonymise", "--apply")
    assert r.returncode == 0, r.stderr
    after = qualtool(b, vb, "conflicts")
    listing = after.stdout
    assert not any(n.lower() in listing.lower() for n in NAMES), listing
    # still saying which record to check, under the names the study now uses
    assert len(listing.splitlines()) == len(before.splitlines()), (before, listing)
    assert "интервью-имя-" in listing and "INFO.HELPDESK" in listing, listing
    assert "memo on recording интервью-имя-" in listing, listing
    # the contested speaker stays contested under her pseudonym: the apply settled nothing
    assert "was corrected both as interviewer and as respondent" in listing, listing
    assert "contested" in qualtool(b, vb, "suggest", "speakers", listed_key(listing)).stdout
    again = qualtool(b, vb, "sync")
    assert "conflict" not in again.stdout + again.stderr, again  # nothing new to report
    assert qualtool(b, vb, "conflicts").stdout == listing
    assert_no_name(b, NAMES, database_files(b))
    assert_no_name(b, NAMES, [p for p in b.rglob("*") if p.is_file() and ".git" not in p.parts])


def listed_key(listing: str) -> str:
    """The recording's key (its new one) in the listing."""
    return next(w.split("#")[0] for w in listing.split() if w.startswith("интервью-"))


def test_restore_puts_the_listed_conflicts_back(tmp_path: Path) -> None:
    """`--restore` renames the recording back: the listing names it so again."""
    _a, _va, b, vb = _conflicted(tmp_path)
    before = qualtool(b, vb, "conflicts").stdout
    assert qualtool(b, vb, "anonymise", "--apply").returncode == 0
    r = qualtool(b, vb, "anonymise", "--restore")
    assert r.returncode == 0, r.stdout + r.stderr
    assert qualtool(b, vb, "conflicts").stdout == before


def test_a_pulled_apply_leaves_no_name_in_the_conflicts_listed_here(tmp_path: Path) -> None:
    """A colleague's apply renamed the recording: the sync that follows the rename here names
    the new key in the conflicts it lists (it kept the old one: a name in qualtool.db)."""
    a, va, b, vb = _conflicted(tmp_path)
    _commit(b, "merged")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    assert qualtool(a, va, "anonymise", "--apply").returncode == 0
    _commit(a, "anonymised")
    git(a, "push", "-q")
    git(b, "pull", "-q", "--no-rebase")
    r = qualtool(b, vb, "conflicts")
    assert r.returncode == 0, r.stderr
    assert not any(n.lower() in r.stdout.lower() for n in NAMES), r.stdout
    assert "INFO.HELPDESK on интервью-имя-" in r.stdout, r.stdout
    assert_no_name(b, NAMES, database_files(b))
