"""A surname or a patronymic alone in a recording's metadata that several of the study's people
may have — an interviewer typed «Кенжебаева» in a study naming «Шолпан Кенжебаева» and «Айгерим
Кенжебаева», a participant «Маратовна» beside two sisters «Гульнара Маратовна» and «Асель
Маратовна» — keeps a pseudonym of its own and is listed «check» with the note saying why and who
it could be, as a memo's or a label's is; a surname that only one person has is not. `qualtool anonymise` in
English and Russian; `--apply` then leaves no form of the names in any file or the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from name_leaks import assert_no_name
from study_seed import cli, env_vault, new_study

from qualtool.domain import Participant, Role
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

NAMES = ["Кенжебаев", "Шолпан", "Айгерим", "Маратовн", "Гульнар", "Асель", "Серикбаев", "Айгул"]
SURNAME = "several people in the study have this surname"
PATRONYMIC = "several people have this patronymic"


def make_study(tmp_path: Path) -> Path:
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, "int-01", [("R01", "Меня принимала Шолпан Кенжебаева из ЦОНа."),
                                         ("R01", "Потом Айгерим Кенжебаева выдала справку."),
                                         ("R01", "Гульнара Маратовна и Асель Маратовна пришли."),
                                         ("R01", "Айгуль Серикбаевна помогла.")])  # fmt: skip
    add_text_recording(ws.db, "int-02", [("R01", "Очередь была два часа.")],
                       interviewer="Кенжебаева",
                       participants=[Participant("Маратовна", Role.RECIPIENT,
                                                 attributes={"куратор": "Серикбаевна"})])  # fmt: skip
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    return root


def test_an_ambiguous_surname_in_the_metadata_is_listed_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = make_study(tmp_path)
    out = cli(root, "anonymise", env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    (interviewer,) = [x for x in lines if x.startswith("int-02: interviewer")]
    assert re.fullmatch(rf"int-02: interviewer «Кенжебаева» → Имя-\d+  check \({SURNAME}: "
                        r"replaced on its own; write the full name to make it theirs; could be: "
                        r"Айгерим Кенжебаева, Шолпан Кенжебаева\)", interviewer), interviewer  # fmt: skip
    (participant,) = [x for x in lines if x.startswith("int-02: participant «")]
    assert re.fullmatch(rf"int-02: participant «Маратовна» → Имя-\d+  check \({PATRONYMIC}: "
                        r"replaced on its own; write the full name to make it theirs; could be: "
                        r"Асель Маратовна, Гульнара Маратовна\)", participant), participant  # fmt: skip
    # the study's one «Серикбаевна»: hers, nothing to check
    (curator,) = [x for x in lines if x.startswith("int-02: participant's")]
    assert re.fullmatch(r"int-02: participant's куратор «Серикбаевна» → Имя-\d+", curator)
    ru = cli(root, "anonymise", env=env, lang="ru")
    (said,) = [x for x in ru.stdout.splitlines() if x.startswith("int-02: интервьюер")]
    assert re.search(r"→ Имя-\d+  проверить \(эту фамилию носят несколько человек", said), said
    assert said.endswith("; возможно, это: Айгерим Кенжебаева, Шолпан Кенжебаева)"), said

    r = cli(root, "anonymise", "--apply", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_name(root, NAMES)
