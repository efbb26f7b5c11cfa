"""privacy/allow.yml is the study's file, often annotated by hand: «always allow» adds its word
and leaves the rest as the user wrote it. It used to rewrite the whole file sorted, with one
generated comment, dropping every comment the team had written."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_seed import cli, env_vault, every_file

from qualtool.coding.history import undo
from qualtool.domain.errors import InvalidInput
from qualtool.files.study import init_study
from qualtool.privacy import allow, review
from qualtool.privacy.apply import study_vault
from qualtool.privacy.pseudonyms import Pseudonymiser
from qualtool.recordings.corpus import add_text_recording
from qualtool.workspace.study import Workspace, open_workspace
from qualtool.workspace.transcripts import write_outputs

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


BROKEN = "allow:\n  - Медеу\n - Абая\n"  # line 3 is indented less than the list


def test_a_broken_file_stops_load_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / allow.ALLOW_FILE
    path.parent.mkdir()
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^privacy/allow\.yml is not valid YAML \(line 3\)"):
        allow.load(tmp_path)
    path.write_text("allow:\n  - Медеу\n  - {район: Абая}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"expected a list of words under `allow:`"):
        allow.load(tmp_path)
    path.write_bytes("allow:\n  - Медеу\n".encode("cp1251"))
    with pytest.raises(InvalidInput, match=r"is not UTF-8 text"):
        allow.load(tmp_path)
    path.write_text("allow:\n", encoding="utf-8")  # an empty list is no error
    assert allow.load(tmp_path).allows("Алматы")


def test_a_broken_file_is_one_line_in_the_cli_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = env_vault(tmp_path, monkeypatch)
    root = tmp_path / "study"
    ws = open_workspace(init_study(root, name="Разрешённые", coder="anna").root, sync=True)
    rec = add_text_recording(ws.db, "idi-r", [("R01", TEXT)])
    write_outputs(ws, rec)
    ws.save_manifest()
    ws.close()
    path = root / allow.ALLOW_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(BROKEN, encoding="utf-8")
    before = {p: p.read_bytes() for p in every_file(root) if "qualtool.db" not in p.name}
    for args in (("anonymise",), ("anonymise", "--apply")):
        out = cli(root, *args, env=env)
        assert out.returncode == 1, out.stdout
        assert out.stderr.strip().splitlines() == [
            "error: privacy/allow.yml is not valid YAML (line 3): correct it and run the command "
            "again"
        ]
        assert "Traceback" not in out.stderr and out.stdout == ""
    ru = cli(root, "anonymise", "--apply", env={**env, "QUALTOOL_LANG": "ru"})
    assert ru.returncode == 1
    assert "privacy/allow.yml — некорректный YAML (строка 3)" in ru.stderr, ru.stderr
    after = {p: p.read_bytes() for p in every_file(root) if "qualtool.db" not in p.name}
    assert after == before  # nothing written
    ws = open_workspace(root)
    assert ws.db.execute("SELECT text FROM segments").fetchone()[0] == TEXT
    ws.close()
