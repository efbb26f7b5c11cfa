"""A surname alone in a memo or a speaker label — texts no one recording owns — is the one
person of the whole study with that surname, in a gender its form allows: «Кенжебаева грубила»
in a coder's memo, the label «Кенжебаева:» are «Шолпан Кенжебаева», her pseudonym (they were
a person of their own). Where several people of the study may be meant («Жумабаевой» beside
«Айгерим Жумабаева» and «Гульнара Жумабаева»), nothing is guessed: it keeps a pseudonym of its
own and the listing flags it to check. Grepped byte for byte after `--apply`: the study's
files, its database and an export made before."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from name_leaks import assert_no_name
from study_seed import env_vault, new_study

from qualtool.cli.main import cli
from qualtool.coding.actions import write_memo
from qualtool.domain import Memo
from qualtool.files.speaker_map import set_role
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.privacy import lone_names
from qualtool.privacy.detect import Detector
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

MEMO = "Кенжебаева грубила, у Кенжебаевой нет времени. Жумабаевой надо перезвонить."
NAMES = ["Кенжебаев", "Жумабаев", "Шолпан", "Айгерим", "Гульнара"]


def _study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    env_vault(tmp_path, monkeypatch)
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, "int-01", [("R01", "Меня принимала Шолпан Кенжебаева из ЦОНа."),
                                         ("Кенжебаева", "Справки нет, приходите завтра.")])  # fmt: skip
    add_text_recording(ws.db, "int-02", [("R01", "Айгерим Жумабаева и Гульнара Жумабаева "
                                                 "пришли вместе."),
                                         ("Жумабаева", "Мы ждали два часа.")])  # fmt: skip
    sid = ws.db.execute("SELECT id FROM segments ORDER BY id").fetchone()[0]
    write_memo(ws.db, Memo("segment", str(sid), MEMO, "anna"))
    set_role(root, "int-01", "Кенжебаева", "interviewer")
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    return root


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(root), "anonymise", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_lone_surname_in_memos_and_labels_is_the_studys_one_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _study(tmp_path, monkeypatch)
    listing = _run(root)
    her = re.search(r"int-01#0:\S+\s+person\s+\S+\s+→ (Имя-\d+)", listing)
    assert her, listing
    checks = [line for line in listing.splitlines() if " check " in line]
    assert len(checks) == 2, listing  # the memo's «Жумабаевой», the label «Жумабаева»
    assert {c.split()[0] for c in checks} == {"memos", "speaker:int-02"}, checks
    assert all("several people in the study have this surname" in c for c in checks), checks
    assert not any("⟦Кенжебаев" in c for c in checks), checks  # one of her: joined, not flagged

    ws = open_workspace(root)
    export_qdpx(ws, tmp_path / "before.qdpx")  # an export made before: as the apply will leave
    ws.close()
    with zipfile.ZipFile(tmp_path / "before.qdpx") as z:
        exported = "".join(z.read(n).decode() for n in z.namelist() if not n.endswith("/"))
    assert not [n for n in NAMES if n.lower() in exported.lower()], exported

    _run(root, "--apply")
    ws = open_workspace(root)
    (memo,) = [r[0] for r in ws.db.execute("SELECT text FROM memos")]
    labels = dict(ws.db.execute("SELECT text, speaker FROM segments").fetchall())
    ws.close()
    n = her[1]
    mine = re.findall(r"Имя-\d+", memo)
    assert mine[:2] == [n, n] and mine[2] != n, memo  # hers twice; the doubtful one its own
    assert labels["Справки нет, приходите завтра."] == n
    assert labels["Мы ждали два часа."] not in (n, "Жумабаева")
    assert_no_name(root, NAMES)


def test_only_a_gender_its_form_allows_and_no_first_name_alone() -> None:
    """Her husband «Кенжебаев» in a memo stays someone of his own; «Кенжебаевой» is her; a
    first name alone is not joined study-wide (the study's common names would merge
    strangers), nor flagged."""
    det = Detector()
    study = lone_names.study_people(det.detect("Меня принимала Шолпан Кенжебаева."))
    memo = "Её муж Кенжебаев пришёл, а с Кенжебаевой мы не говорили. Шолпан звонила."
    got = [(e.text, e.key) for e in lone_names.in_study(det.detect(memo), study)]
    assert got == [("Кенжебаев", "кенжебаев"), ("Кенжебаевой", "шолпан кенжебаев"),
                   ("Шолпан", "шолпан")]  # fmt: skip
    assert not any(lone_names.doubtful(e, study) for e in det.detect(memo))
