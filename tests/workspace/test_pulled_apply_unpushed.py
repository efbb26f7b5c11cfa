"""A colleague's `anonymise --apply`, pulled by a laptop with work not pushed yet (two-laptop
scenario, session 14, item 1). B coded the names themselves («Бахыт Жумабаев»); A anonymised
and pushed; B pulled. B's coding could not be found in the pulled text, so the sync refused the
transcript; `transcript export` then wrote B's named text over the pulled file, and
`transcript import --force` memoed the names («was: «Бахыт Жумабаев»»). Now the sync adopts the
apply (B's coding follows its words to «Имя-1», the originals purged from B's database), and no
command of B's writes an original back into a file."""

from __future__ import annotations

import json
from pathlib import Path

from laptops import apply_and_pull, git, named_study, qualtool, share
from name_leaks import assert_no_name, database_files
from test_pull_purges_originals import AS_ON_A_LAPTOP

from qualtool.workspace.study import open_workspace

NAMED = ("Оператор Бахыт Жумабаев ответил общими фразами и велел прийти завтра с полным "
         "пакетом документов.")  # fmt: skip
FORMS = ["Бахыт", "Жумабаев"]


def _files(root: Path) -> list[Path]:
    """Every file of the study but git's own history (which holds what was committed before)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)


def _b_codes_the_names_then_a_applies(tmp_path: Path) -> tuple[Path, Path, Path]:
    """B's commands run as on a laptop whose SQLite leaves freed pages as they were."""
    a, b = share(tmp_path, named_study(tmp_path, "ms-01", ["Очередь была большая.", NAMED], ""))
    vb = tmp_path / "vault-b"
    for args in (("ls",),
                 ("code", "ms-01#1", "INFO.HELPDESK", "--coder", "boris", "--quote",
                  "Бахыт Жумабаев", "--memo", "спросить у оператора"),
                 ("code", "ms-01#0", "ACC.QUEUE", "--coder", "boris")):  # fmt: skip
        r = qualtool(b, vb, *args, code=AS_ON_A_LAPTOP)
        assert r.returncode == 0, r.stderr
    git(b, "add", "-A")
    git(b, "commit", "-qm", "boris codes (not pushed)")
    apply_and_pull(a, b, tmp_path / "vault-a", code=AS_ON_A_LAPTOP)
    return a, b, vb


def _boris(b: Path) -> list[dict[str, object]]:
    lines = (b / "codings" / "boris.json").read_text(encoding="utf-8").splitlines()[1:-1]
    return [json.loads(line[1:]) for line in lines]


def test_the_sync_adopts_the_pulled_apply_and_keeps_the_unpushed_coding(tmp_path: Path) -> None:
    a, b, vb = _b_codes_the_names_then_a_applies(tmp_path)
    r = qualtool(b, vb, "sync", code=AS_ON_A_LAPTOP)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "problem" not in r.stdout + r.stderr, r.stdout + r.stderr
    # the pulled text is B's: nothing of A's changed, B's coding is on the pseudonym now
    assert (b / "transcripts" / "ms-01.json").read_bytes() == (
        a / "transcripts" / "ms-01.json"
    ).read_bytes()
    codings = {(c["segment"], c["code"], c["quote"], c["memo"]) for c in _boris(b)}
    assert codings == {(0, "ACC.QUEUE", "Очередь была большая.", None),
                       (1, "INFO.HELPDESK", "Имя-1", "спросить у оператора")}, codings  # fmt: skip
    ws = open_workspace(b)
    try:
        quotes = {q for (q,) in ws.db.execute("SELECT quote FROM codings WHERE coder_id = 'boris'")}
    finally:
        ws.close()
    assert quotes == {"Очередь была большая.", "Имя-1"}
    for args in (("transcript", "export", "ms-01"), ("ls",)):
        r = qualtool(b, vb, *args, code=AS_ON_A_LAPTOP)
        assert r.returncode == 0, r.stderr
    assert_no_name(b, FORMS, _files(b))
    assert_no_name(b, FORMS, database_files(b))


def test_export_never_writes_the_database_over_a_pulled_transcript_it_could_not_read(
    tmp_path: Path,
) -> None:
    """A's apply also cut the sentence B coded: B's coding cannot follow, so the sync leaves the
    transcript unread — and `transcript export` refuses instead of putting the names back;
    `transcript import --force` attaches the coding without memoing the names."""
    turns = ["Очередь была большая, Бахыт Жумабаев подтвердит.", NAMED]
    a, b = share(tmp_path, named_study(tmp_path, "ms-01", turns, ""))
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    r = qualtool(b, vb, "code", "ms-01#1", "INFO.HELPDESK", "--coder", "boris", "--quote",
                 "Бахыт Жумабаев ответил общими фразами")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = qualtool(a, va, "anonymise", "--apply")
    assert r.returncode == 0, r.stderr
    path = a / "transcripts" / "ms-01.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["segments"][1]["text"] = "Велел прийти завтра с полным пакетом документов."
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert qualtool(a, va, "sync").returncode == 0
    git(a, "add", "-A")
    git(a, "commit", "-qm", "anonymised and cut")
    git(a, "push", "-q")
    git(b, "add", "-A")
    git(b, "commit", "-qm", "boris")
    git(b, "pull", "-q", "--no-rebase", "--no-edit")
    pulled = (b / "transcripts" / "ms-01.json").read_bytes()
    r = qualtool(b, vb, "sync")
    assert r.returncode != 0 and "cannot be found" in r.stderr, r.stdout + r.stderr
    r = qualtool(b, vb, "transcript", "export", "ms-01")
    assert r.returncode != 0 and "was not overwritten" in r.stderr, r.stdout + r.stderr
    assert (b / "transcripts" / "ms-01.json").read_bytes() == pulled
    r = qualtool(b, vb, "transcript", "import", "ms-01", "transcripts/ms-01.json", "--force",
                 "--allow-originals")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [c["memo"] for c in _boris(b)] == ["[нужна перепривязка] (текст обезличен)"]
    assert_no_name(b, FORMS, _files(b))
    assert_no_name(b, FORMS, database_files(b))
