"""A patronymic said alone is the person who carries it: «Серикбаевна сказала…», «к
Серикбаевне» in an interview that names «Айгуль Серикбаевна» are her — one pseudonym, where
they were two. Her brother «Ерлан Серикбаевич» (a man's form) stays himself; in an interview
naming no one with it, it is the study's one person with it; two sisters «Маратовна» in one
interview could be either, so it keeps a pseudonym of its own and is listed «check». A memo's
«Серикбаевна» is hers too. Through `qualtool anonymise` (the listing) and `--apply`, the
study's files, its database and an export made before grepped byte for byte."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from name_leaks import assert_no_name
from study_seed import env_vault, listed_replacements, new_study

from qualtool.cli.main import cli
from qualtool.coding.actions import write_memo
from qualtool.domain import Memo
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.privacy import lone_names
from qualtool.privacy.detect import Detector
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

HERS = [
    "Меня принимала Айгуль Серикбаевна из ЦОНа.",
    "Серикбаевна сказала, что справки нет.",
    "Мы пошли к Серикбаевне в кабинет.",
    "С Серикбаевной говорили долго.",
    "Её брат Ерлан Серикбаевич тоже пришёл.",
    "Серикбаевич молчал.",
]
AGAIN = ["Серикбаевна снова была на приёме."]  # no one named with it here: the study's one
SISTERS = ["Гульнара Маратовна и Асель Маратовна пришли вместе.",
           "Маратовна сказала, что ждали два часа."]  # fmt: skip
MEMO = "Серикбаевна грубила. Маратовна опоздала."
NAMES = ["Серикбаев", "Айгул", "Ерлан", "Маратовн", "Гульнар", "Асель"]


def _study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    env_vault(tmp_path, monkeypatch)
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    for key, turns in (("int-01", HERS), ("int-02", AGAIN), ("int-03", SISTERS)):
        add_text_recording(ws.db, key, [("R01", t) for t in turns])
    sid = ws.db.execute("SELECT id FROM segments ORDER BY id").fetchone()[0]
    write_memo(ws.db, Memo("segment", str(sid), MEMO, "anna"))
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    return root


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(root), "anonymise", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("text", ["Серикбаевна сказала.", "Мы пошли к Серикбаевне.",
                                  "С Серикбаевной говорили.", "Спросили Серикбаевну."])  # fmt: skip
def test_a_lone_patronymic_in_any_case_joins_its_person(text: str) -> None:
    det = Detector()
    known = lone_names.people(("r", e) for e in det.detect("Меня принимала Айгуль Серикбаевна."))
    (found,) = det.detect(text)
    assert lone_names.as_person("r", found, known).key == "айгул серикбаевн"


def test_a_lone_patronymic_is_its_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _study(tmp_path, monkeypatch)
    listing = _run(root)
    listed = listed_replacements(listing)
    her = listed["int-01#0"]
    assert [listed[f"int-01#{i}"] for i in (1, 2, 3)] == [her] * 3, listed
    brother = listed["int-01#4"]
    assert brother[0] not in her and listed["int-01#5"] == brother, listed
    assert listed["int-02#0"] == her, listed  # the study's one «Серикбаевна»
    sisters = listed["int-03#0"]
    assert len(set(sisters)) == 2 and listed["int-03#1"][0] not in sisters, listed
    checks = [line for line in listing.splitlines() if " check " in line]
    assert {re.split(r"[:\s]", c)[0] for c in checks} == {"int-03#1", "memos"}, listing
    assert all("several people have this patronymic" in c for c in checks), checks

    ws = open_workspace(root)
    export_qdpx(ws, tmp_path / "before.qdpx")  # an export made before: as the apply will leave
    ws.close()
    with zipfile.ZipFile(tmp_path / "before.qdpx") as z:
        exported = "".join(z.read(n).decode() for n in z.namelist() if not n.endswith("/"))
    assert not [n for n in NAMES if n.lower() in exported.lower()], exported

    _run(root, "--apply")
    ws = open_workspace(root)
    texts = [r[0] for r in ws.db.execute("SELECT text FROM segments ORDER BY id")]
    (memo,) = [r[0] for r in ws.db.execute("SELECT text FROM memos")]
    ws.close()
    n = her[0]
    assert [re.findall(r"Имя-\d+", t) for t in texts[:4]] == [[n]] * 4, texts
    assert re.findall(r"Имя-\d+", texts[6]) == [n], texts
    mine = re.findall(r"Имя-\d+", memo)
    assert mine[0] == n and mine[1] not in (n, *sisters), memo
    assert_no_name(root, NAMES)
