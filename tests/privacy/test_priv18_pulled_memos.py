"""A colleague's `anonymise --apply` that renamed a recording whose key was made from a name,
pulled (session-18 privacy hunt): the memos written here on it — a coding's memo, a memo on the
recording — came back with the names the apply had replaced, joined to the pulled memo as if
both sides had changed it («Гульнара пришла …\n— Имя-1 пришла …»), and the sync wrote them into
codings/<coder>.json for the next commit to share again. What both sides last agreed on (the
layer's last-synced state) still named the old key, so the pulled lines under the new key had
no common ancestor; it is carried to the new key as the pulled lines are."""

from __future__ import annotations

from pathlib import Path

from laptops import apply_and_pull, git, named_study, qualtool, share
from name_leaks import assert_no_name, database_files

from qualtool.coding.actions import write_memo
from qualtool.domain.coding import Memo
from qualtool.workspace.study import open_workspace

TURNS = ["Очередь была длинная.", "Гульнара Серикбаева рассказала про очередь."]
NAMES = ["Гульнара", "Серикбаева"]


def test_a_pulled_apply_that_renamed_the_key_brings_no_name_back(tmp_path: Path) -> None:
    root = named_study(tmp_path, "интервью-гульнара", TURNS, memo="Гульнара просила перезвонить")
    ws = open_workspace(root)
    write_memo(ws, Memo("recording", "интервью-гульнара", "Гульнара пришла с дочерью", "tester"))
    ws.close()
    a, b = share(tmp_path, root)
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0
    apply_and_pull(a, b, va)
    r = qualtool(b, vb, "sync")
    assert r.returncode == 0, r.stderr
    assert "conflict" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert git(b, "status", "--porcelain") == "", git(b, "diff")
    layer = (b / "codings" / "tester.json").read_text(encoding="utf-8")
    assert "Имя-" in layer and "интервью-имя-" in layer, layer
    assert_no_name(b, NAMES, database_files(b))
    assert_no_name(b, NAMES, [p for p in b.rglob("*") if p.is_file() and ".git" not in p.parts])
