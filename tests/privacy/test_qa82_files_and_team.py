"""QA82: privacy/decisions.yml as a shared, committed file — bad content, two laptops with git,
what stays in it after --apply, and --restore."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from laptops import apply_and_pull, git, named_study, qualtool, share

from qualtool.cli.main import main
from qualtool.coding.editing import edit_segment_text
from qualtool.privacy import review
from qualtool.privacy.apply import anonymise, study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.privacy.restore import restore
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace, open_workspace

TEXT = ("Меня принимала Гульнара Серикбаевна, а Ерлан Сейткалиев обещал перезвонить. "
        "У нас в районе очень тяжело с Этернити приходится выезжать в районный центр.")  # fmt: skip


def _span(text: str, words: str) -> str:
    s = text.index(words)
    return f"{s}:{s + len(words)}"


@pytest.mark.parametrize("content", [
    "decisions: [}\n",
    # what `git pull` leaves when two reviewers decided different findings (see below)
    "decisions:\n<<<<<<< HEAD\n  - {where: 'a#0', start: 0, end: 3, kind: person, digest: ab, "
    "decision: reject}\n=======\n>>>>>>> 1234567\n",
    "decisions:\n  - {where: 'idi-d#0', start: 'x', end: 3, kind: person, digest: ab, "
    "decision: reject}\n",
    "decisions:\n  - {where: 'idi-d#0', start: 1.5, end: 3, kind: person, digest: ab, "
    "decision: reject}\n",
    "decisions:\n  - {where: 'idi-d#0', start: 1, end: 3, kind: person, digest: ab, "
    "decision: maybe}\n",
    "decisions:\n  - {where: 5, start: 1, end: 3, kind: person, digest: ab, decision: add}\n",
    "decisions: 5\n",
])  # fmt: skip
def test_a_broken_decisions_file_is_one_line(empty_study: Workspace, content: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    add_text_recording(empty_study.db, "idi-d", [("R01", TEXT)])
    root = empty_study.study.root
    (root / "privacy").mkdir(exist_ok=True)
    (root / "privacy" / "decisions.yml").write_text(content, encoding="utf-8")
    before = (root / "privacy" / "decisions.yml").read_text(encoding="utf-8")
    for args in ([], ["--apply"]):
        _one_line_error(["--study", str(root), "anonymise", *args], capsys)
    assert (root / "privacy" / "decisions.yml").read_text(encoding="utf-8") == before
    assert (
        "Имя-"
        not in empty_study.db.execute("SELECT group_concat(text) FROM segments").fetchone()[0]
    )


def _one_line_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """One `error:` line and exit 1, not a traceback. Through `main`, the entry point that
    turns every QualtoolError into that line (CliRunner on the bare click group sees the
    QualtoolError itself, which is not a crash)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 1, err
    assert len(err) == 1 and err[0].startswith("error: ") and "decisions.yml" in err[0], err


def test_an_added_span_with_an_unknown_kind_is_one_line(
    empty_study: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = empty_study
    add_text_recording(ws.db, "idi-d", [("R01", "Чтобы получить справку, я пришла.")])
    d = review.span_digest(review.review_key(ws), "Чтобы")
    (ws.study.root / "privacy").mkdir(exist_ok=True)
    (ws.study.root / "privacy" / "decisions.yml").write_text(
        "decisions:\n  - {where: 'idi-d#0', start: 0, end: 5, kind: nickname, digest: " + d
        + ", decision: add}\n", encoding="utf-8")  # fmt: skip
    _one_line_error(["--study", str(ws.study.root), "anonymise"], capsys)


async def test_f10_with_a_broken_decisions_file_does_not_crash_the_tui(
    empty_study: Workspace,
) -> None:
    from qualtool.tui.app import QualtoolApp

    ws = empty_study
    add_text_recording(ws.db, "idi-d", [("R01", TEXT)])
    (ws.study.root / "privacy").mkdir(exist_ok=True)
    (ws.study.root / "privacy" / "decisions.yml").write_text("decisions: [}\n")
    app = QualtoolApp(ws, coder="tester", engine_factory=lambda s: None)  # type: ignore[arg-type,return-value]
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert app.is_running
    assert app.return_code in (0, None), app.return_code


# -- two laptops ---------------------------------------------------------------------------


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """A study with names, pushed to a bare repo, cloned on two laptops (two vaults)."""
    return share(tmp_path, named_study(tmp_path, "idi-d", [TEXT, "Бахыт Жумабаев ответил мне."]))


def test_two_reviewers_deciding_different_findings_merge_without_a_conflict(
    shared: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    """A rejects «Этернити», B accepts «Гульнара Серикбаевна» at the same time; both commit;
    A pulls. The sorted one-line-per-decision file puts both new lines in one hunk, and
    .gitattributes has no merge rule for it: `git pull` stops with a conflict in
    privacy/decisions.yml (and the conflicted file then crashes `qualtool anonymise`)."""
    a, b = shared
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert (
        qualtool(a, va, "anonymise", "--reject", f"idi-d#0:{_span(TEXT, 'Этернити')}").returncode
        == 0
    )
    git(a, "add", "-A")
    git(a, "commit", "-qm", "A review")
    r = qualtool(b, vb, "anonymise", "--accept", f"idi-d#0:{_span(TEXT, 'Гульнара Серикбаевна')}")
    assert r.returncode == 0, r.stderr
    git(b, "add", "-A")
    git(b, "commit", "-qm", "B review")
    git(b, "push", "-q")
    git(a, "pull", "-q", "--no-rebase")
    text = (a / "privacy" / "decisions.yml").read_text()
    assert "<<<<<<<" not in text, text
    listed = qualtool(a, va, "anonymise").stdout
    assert "reject" in listed and "accept" in listed, listed


def test_pseudonyms_do_not_collide_when_another_laptop_applies(shared: tuple[Path, Path],
                                                               tmp_path: Path) -> None:  # fmt: skip
    """A applies (Имя-1, Имя-2, Имя-3) and pushes; B pulls, a new name appears in B's
    transcript, B applies with B's vault: its numbering starts at 1 again, so two different
    people are «Имя-1» in the shared, anonymised study."""
    a, b = shared
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    apply_and_pull(a, b, va)
    qualtool(b, vb, "ls")
    qualtool(b, vb, "ls")
    ws = open_workspace(b)
    sid, now = ws.db.execute("SELECT id, text FROM segments ORDER BY idx DESC LIMIT 1").fetchone()
    assert "Бахыт" not in now, now  # A's pseudonym arrived
    edit_segment_text(ws, sid, now + " Потом позвонила Жанар Абенова.")
    ws.save_layers()
    ws.close()
    assert qualtool(b, vb, "anonymise", "--apply").returncode == 0
    texts = " ".join(p.read_text() for p in (b / "transcripts").glob("*.md"))
    import re

    numbers = re.findall(r"Имя-\d+", texts)
    assert len(numbers) == len(set(numbers)), numbers  # one pseudonym per person


# -- what stays in decisions.yml ------------------------------------------------------------


def test_no_confirmable_hash_of_a_name_stays_after_apply(empty_study: Workspace) -> None:
    """A name rejected by mistake, then removed by hand: the reject stays in decisions.yml
    for ever (`forget_replaced` keeps every reject), keyed only by the public study id — a list
    of first names confirms «Гульнара Серикбаевна» was said in idi-d#0 at 15:35."""
    ws = empty_study
    add_text_recording(ws.db, "idi-d", [("R01", TEXT)])
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    f = next(f for f in review.segment_findings(ws, pseud)
             if f.entity.text == "Гульнара Серикбаевна")  # fmt: skip
    review.decide(ws, f, "reject")
    sid = ws.db.execute("SELECT id FROM segments").fetchone()[0]
    edit_segment_text(ws, sid, TEXT.replace("Гульнара Серикбаевна", "[сотрудница]"))
    anonymise(ws, study_vault(ws))
    text = (ws.study.root / "privacy" / "decisions.yml").read_text()
    key = hashlib.sha256(f"qualtool-review\x00{ws.study.id}".encode()).digest()  # public
    guess = hmac.new(key, "span\x00гульнара серикбаевна".encode(), hashlib.sha256).hexdigest()
    assert guess[:24] not in text, text


def test_restore_after_two_applies_brings_back_the_first_review(empty_study: Workspace) -> None:
    """Review (add a missed span), apply; notice another missed word, add it, apply again;
    --restore. decisions.yml was changed between the applies, so the first apply's copy is
    skipped — and the «changed since, kept» line is swallowed by the rebuilt-database branch.
    The first review's add is gone: the next --apply leaves that name in."""
    ws = empty_study
    text = "Потом асель из окна три мне помогла, а жанар нет. Тяжело у нас с Этернити."
    add_text_recording(ws.db, "idi-d", [("R01", text)])
    pseud = Pseudonymiser(study_vault(ws).secret, {})
    review.decide(
        ws,
        next(f for f in review.segment_findings(ws, pseud) if f.entity.text == "Этернити"),
        "reject",
    )  # keeps the file non-empty
    s = text.index("асель")
    review.add_span(ws, "idi-d", 0, s, s + 5, "person", text)
    path = ws.study.root / "privacy" / "decisions.yml"
    before = path.read_text()
    anonymise(ws, study_vault(ws))
    now = ws.db.execute("SELECT text FROM segments").fetchone()[0]
    s2 = now.index("жанар")
    review.add_span(ws, "idi-d", 0, s2, s2 + 5, "person", now)
    anonymise(ws, study_vault(ws))
    back = restore(ws, study_vault(ws))
    assert path.read_text() == before or back.skipped, (path.read_text(), back.skipped)


def test_the_first_command_after_pulling_an_anonymised_study_sees_the_pulled_text(
    tmp_path: Path,
) -> None:
    """B pulls A's --apply. A coding sits on the name: the first sync refuses to import the
    transcript (its coding's old quote «…Бахыт Жумабаев» is not in the new text) before the
    layer that moves the coding is read, so the first command works on the old text: listing
    shows the name as pending, and a first `--apply` re-anonymises it with B's vault —
    «Имя-1», the pseudonym A gave somebody else — and rewrites the transcript files."""
    named = "Оператор Бахыт Жумабаев ответил общими фразами."
    root = named_study(tmp_path, "ms-01", ["Мне Ерлан Сейткалиев помог.", named], memo="")
    a, b = share(tmp_path, root)
    va, vb = tmp_path / "vault-a", tmp_path / "vault-b"
    assert qualtool(b, vb, "ls").returncode == 0  # B has a database of the named text
    apply_and_pull(a, b, va)
    listed = qualtool(b, vb, "anonymise")
    assert "Бахыт" not in listed.stdout, listed.stdout
