"""privacy/allow.yml is the study's file, often annotated by hand: «always allow» adds its word
and leaves the rest as the user wrote it. It used to rewrite the whole file sorted, with one
generated comment, dropping every comment the team had written."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtool.coding.history import undo
from qualtool.domain.errors import InvalidInput
from qualtool.privacy import allow, review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace

TEXT = "Меня принимала Айгерим Нурлановна, а потом Жумабаев в Каскелене."

HAND_WRITTEN = """\
# Что анонимизация не трогает. Ведёт Анна; спорное обсуждаем на планёрке.
allow:
    - Медеу        # район, не фамилия
    - 'ЦОН №3'
    # улицы, названные по людям
    - Абая
# конец списка: личных данных здесь нет
"""


@pytest.fixture
def ws(empty_study: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("QUALTOOL_VAULT", str(tmp_path / "vault"))
    add_text_recording(empty_study.db, "idi-r", [("R01", TEXT)])
    return empty_study


def _finding(ws: Workspace, text: str) -> review.Finding:
    pseud = Pseudonymiser(study_vault(ws).secret)
    return next(f for f in review.segment_findings(ws, pseud) if f.entity.text == text)


def test_always_allow_keeps_a_hand_written_file(ws: Workspace) -> None:
    path = ws.study.root / allow.ALLOW_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    original = path.read_bytes()

    review.allow_finding(ws, _finding(ws, "Жумабаев"))
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "    - Абая\n", "    - Абая\n    - Жумабаев\n"
    )  # every comment, the order, the quotes and the indentation as written; the word last
    assert "Жумабаев" not in [f.entity.text for f in review.segment_findings(
        ws, Pseudonymiser(study_vault(ws).secret))]  # fmt: skip

    added = path.read_bytes()
    assert allow.add(ws.study.root, "Жумабаев") is False  # already there: not written
    assert path.read_bytes() == added

    undo(ws)
    assert path.read_bytes() == original


def test_the_same_file_and_word_give_the_same_bytes(tmp_path: Path) -> None:
    results = []
    for n in range(2):
        root = tmp_path / str(n)
        (root / "privacy").mkdir(parents=True)
        (root / allow.ALLOW_FILE).write_text(HAND_WRITTEN, encoding="utf-8")
        assert allow.add(root, "Гульнара: Сериковна") is True  # a colon: quoted, still YAML
        results.append((root / allow.ALLOW_FILE).read_bytes())
        assert {"гульнара:", "сериковна"} <= allow.load(root).words
    assert results[0] == results[1]


@pytest.mark.parametrize(("before", "after"), [
    (None, "# Words anonymisation keeps (places, agencies). One per line; no personal data.\n"
           "allow:\n  - Жумабаев\n"),
    ("# пока пусто", "# пока пусто\nallow:\n  - Жумабаев\n"),
    ("- Медеу  # район\n", "- Медеу  # район\n- Жумабаев\n"),
    ("allow:\n", "allow:\n  - Жумабаев\n"),
])  # fmt: skip
def test_a_new_empty_or_list_only_file(tmp_path: Path, before: str | None, after: str) -> None:
    path = tmp_path / allow.ALLOW_FILE
    path.parent.mkdir()
    if before is not None:
        path.write_text(before, encoding="utf-8")
    assert allow.add(tmp_path, "Жумабаев") is True
    assert path.read_text(encoding="utf-8") == after
    assert "жумабаев" in allow.load(tmp_path).words


def test_a_broken_file_is_said_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / allow.ALLOW_FILE
    path.parent.mkdir()
    path.write_text("allow:\n  - Медеу\n  - [не закрыто\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match=r"allow\.yml is not valid YAML \(line \d+\)"):
        allow.add(tmp_path, "Жумабаев")
    assert path.read_bytes() == before
