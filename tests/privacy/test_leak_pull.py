"""Pulling a colleague's `anonymise --apply` brings no name back into the shared files (leak
hunt, session 9). B had a database of the named text; A applied and pushed; B pulled. The
first sync re-anchored B's coding (a long quote follows the pulled text) on the pulled text instead of letting the pulled layer bring
it, so the layer merge saw a change made on B, kept both memos — «Бахыт … — Имя-1 …» — and
wrote B's original into codings/tester.json, which B's next commit shares again."""

from __future__ import annotations

from pathlib import Path

from laptops import apply_and_pull, named_study, qualtool, share
from name_leaks import assert_no_name

from qualtool.workspace.study import open_workspace

NAMED = "Оператор Бахыт Жумабаев ответил общими фразами и велел прийти завтра с полным пакетом документов."
MEMO = "Жумабаеву звонили дважды, Бахыт не ответил"
FORMS = ["Бахыт", "Жумабаев"]


def test_a_pulled_apply_writes_no_original_memo_back(tmp_path: Path) -> None:
    a, b = share(tmp_path, named_study(tmp_path, "ms-01", ["Очередь была большая.", NAMED], MEMO))
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0  # B has a database of the named text
    apply_and_pull(a, b, va)
    r = qualtool(b, vb, "sync")
    assert r.returncode == 0, r.stderr
    layer = (b / "codings" / "tester.json").read_bytes()
    pulled = (a / "codings" / "tester.json").read_bytes()
    assert_no_name(b, FORMS, [b / "codings" / "tester.json"])
    assert "conflict" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert layer == pulled  # B's files are the pulled ones: nothing to commit
    ws = open_workspace(b)
    memo = ws.db.execute("SELECT memo FROM codings").fetchone()[0]
    ws.close()
    assert memo.count("Имя-") == 2 and "—" not in memo, memo  # one memo, A's
