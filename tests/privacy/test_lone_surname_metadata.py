"""A surname or a patronymic alone in a recording's metadata — its interviewer, a participant
and their attributes — is the study's one person with it, as in memos and speaker labels: an
interviewer typed «Кенжебаева» on one recording is «Шолпан Кенжебаева» of another's transcript
(one pseudonym, where it was one of its own), a participant «Серикбаевна» is «Айгуль
Серикбаевна». After `--apply` no form of the names is left in audio/recordings.yml, any other
file or the database; an export made before says the same."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from name_leaks import assert_no_name
from study_seed import env_vault, listed_replacements, new_study

from qualtool.cli.main import cli
from qualtool.domain import Participant, Role
from qualtool.interop.qdpx_export import export_qdpx
from qualtool.recordings.corpus import add_text_recording
from qualtool.store import recordings as rec_store
from qualtool.workspace.study import open_workspace
from qualtool.workspace.transcripts import write_outputs

NAMES = ["Кенжебаев", "Шолпан", "Серикбаев", "Айгул"]


def _study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    env_vault(tmp_path, monkeypatch)
    root = new_study(tmp_path)
    ws = open_workspace(root, sync=True)
    add_text_recording(ws.db, "int-01", [("R01", "Меня принимала Шолпан Кенжебаева из ЦОНа."),
                                         ("R01", "Потом пришла Айгуль Серикбаевна.")])  # fmt: skip
    add_text_recording(ws.db, "int-02", [("R01", "Очередь была два часа.")],
                       interviewer="Кенжебаева",
                       participants=[Participant("Серикбаевна", Role.RECIPIENT,
                                                 attributes={"куратор": "Кенжебаевой"})])  # fmt: skip
    for rec in rec_store.list_recordings(ws.db):
        write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    return root


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--study", str(root), "anonymise", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_lone_surname_in_the_metadata_is_the_studys_one_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _study(tmp_path, monkeypatch)
    assert "Кенжебаева" in (root / "audio" / "recordings.yml").read_text("utf-8")
    listing = _run(root)
    listed = listed_replacements(listing)
    (sholpan,), (aigul,) = listed["int-01#0"], listed["int-01#1"]
    assert sholpan != aigul
    assert f"int-02: interviewer «Кенжебаева» → {sholpan}" in listing, listing
    assert f"int-02: participant «Серикбаевна» → {aigul}" in listing, listing
    assert f"int-02: participant's куратор «Кенжебаевой» → {sholpan}" in listing, listing

    ws = open_workspace(root)
    export_qdpx(ws, tmp_path / "before.qdpx")  # an export made before: as the apply will leave
    ws.close()
    with zipfile.ZipFile(tmp_path / "before.qdpx") as z:
        exported = "".join(z.read(n).decode() for n in z.namelist() if not n.endswith("/"))
    assert not [n for n in NAMES if n.lower() in exported.lower()], exported

    _run(root, "--apply")
    ws = open_workspace(root)
    rec = rec_store.get_recording(ws.db, "int-02")
    ws.close()
    assert rec.interviewer == sholpan
    (p,) = rec.participants
    assert p.pseudonym == aigul and p.attributes == {"куратор": sholpan}, p
    yml = (root / "audio" / "recordings.yml").read_text("utf-8")
    assert re.search(rf"interviewer: {sholpan}\b", yml), yml
    assert_no_name(root, NAMES)
