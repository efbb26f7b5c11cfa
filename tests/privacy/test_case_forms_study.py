"""Case forms through the real `anonymise --apply`: a study the earlier release anonymised keeps
its numbers when new recordings name the same people in other cases; two separate applies give
one person one number; and no case form of a name is left in any file or in qualtool.db."""

from __future__ import annotations

import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
from name_leaks import assert_no_name, names_left
from study_seed import add_recording, apply, numbers, study_of, transcript
from test_case_forms import BEFORE

REPO = Path(__file__).resolve().parents[2]


def release_before(tmp_path: Path) -> Path:
    """The earlier release's package, from git, to anonymise with as a user did then."""
    out = tmp_path / "before"
    got = subprocess.run(["git", "archive", BEFORE, "qualtool"], cwd=REPO, capture_output=True)
    if got.returncode:
        pytest.skip(f"no git history here: {got.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(got.stdout)) as tar:
        tar.extractall(out, filter="data")
    return out


def test_a_study_anonymised_before_keeps_its_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", [
        "Вчера Гульнара пришла в ЦОН.",
        "Потом я спросил у Гульнары про справку.",
        "Жумабаев сказал, что справку не дадут.",
    ])  # fmt: skip
    # the earlier release: «Гульнара» and «Гульнары» got two numbers, «Жумабаев» the key
    # «жумабай» (pymorphy3's plural of the first name Жумабай)
    apply(root, {**env, "PYTHONPATH": str(release_before(tmp_path))})
    old = transcript(root, "idi-01")
    assert [numbers(x) for x in old] == [[1], [2], [3]], old
    before = {p: p.read_bytes() for p in (root / "transcripts").iterdir()}

    add_recording(root, "idi-02", [
        "Гульнаре снова отказали в ЦОНе.",
        "Я написал Жумабаеву жалобу.",
        "Ольга Иванова обещала помочь.",
    ])  # fmt: skip
    apply(root, env)  # this release
    assert {p: p.read_bytes() for p in before} == before  # the earlier pseudonyms are kept
    new = transcript(root, "idi-02")
    # Гульнаре: her key's own old number; Жумабаеву: the old number of a form of his name
    assert [numbers(x) for x in new] == [[1], [3], [4]], new

    add_recording(root, "idi-03", ["Жумабаевым и Гульнарой все довольны в ЦОНе."])
    apply(root, env)
    assert [numbers(x) for x in transcript(root, "idi-03")] == [[3, 1]]


CASE_FORMS = ["Гульнара", "Гульнары", "Гульнаре", "Гульнару", "Гульнарой",
              "Жумабаев", "Жумабаева", "Жумабаеву", "Жумабаевым", "Жумабаевой",
              "Нурлановна", "Нурлановной", "Нурлановны"]  # fmt: skip


def test_two_applies_one_number_and_no_case_form_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, env = study_of(tmp_path, monkeypatch, "idi-01", [
        "Меня принимала Гульнара Нурлановна в ЦОНе.",
        "Я потом ждал Гульнару Нурлановну у окна.",
        "Жумабаев сказал, что справку не дадут.",
        "Жалобу на Жумабаева я так и не написал.",
    ])  # fmt: skip
    assert names_left(root, CASE_FORMS[:2] + CASE_FORMS[5:9])  # the check sees a name left
    apply(root, env)
    first = [numbers(x) for x in transcript(root, "idi-01")]
    assert first == [[1], [1], [2], [2]], first  # one apply: one number per person

    add_recording(root, "idi-02", [
        "С Гульнарой Нурлановной мы говорили в ЦОНе.",
        "Про Гульнару и Гульнары подпись спросили в ЦОНе.",
        "Жумабаеву и Жумабаевой позвонили из ЦОНа.",
        "Мы ходили к Жумабаевым, а Нурлановны не было.",
    ])  # fmt: skip
    apply(root, env)  # a second, separate apply
    second = [numbers(x) for x in transcript(root, "idi-02")]
    assert second == [[1], [1, 1], [2, 2], [2, 1]], second
    # «Гульнара» alone is the recording's one «Гульнара Нурлановна» (`lone_names`), and so is
    # a patronymic alone («Нурлановны»: hers); every case form of each is one

    assert_no_name(root, CASE_FORMS)
