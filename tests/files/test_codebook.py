"""The codebook file: the shipped one is complete, broken ones fail with line numbers, and
editing the file never orphans codings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from qualtool.domain import Coding, Polarity, Segment
from qualtool.domain.errors import CodebookError
from qualtool.files.codebook import load_codebook
from qualtool.i18n import set_language
from qualtool.store.codebook import load_codebook as stored
from qualtool.store.codebook import sync_codebook
from qualtool.store.codings import add_coding, get_coding
from qualtool.store.transcripts import append_segment, start_transcript

SHIPPED = REPO / "codebooks" / "barriers.yml"


def test_shipped_codebook_covers_both_seed_reports() -> None:
    cb = load_codebook(SHIPPED)
    assert len(cb.roots()) >= 10
    children = [c for c in cb.codes if c.parent_id]
    assert len(children) >= 40
    for code_id in ["BUR.DELAY", "BUR.EXTRA_DOCS", "TECH.OUTAGE", "TECH.AUTH", "ACC.QUEUE",
                    "STAFF.CONDUCT", "STAFF.ABSENT", "CORR.INFORMAL_PAYMENT", "INFO.HELPDESK"]:  # fmt: skip
        assert code_id in cb
    every = {c.id: c for c in children}
    assert all(c.definition and c.examples and c.label_en for c in every.values())
    assert cb.get("POS.NONE").polarity == Polarity.POSITIVE
    assert cb.path("TECH.AUTH") == "Портал и информационные системы / Регистрация, авторизация, ЭЦП"
    assert "ЦОН" in cb.hotwords()


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "cb.yml"
    p.write_text(text, encoding="utf-8")
    return p


def test_yaml_syntax_error_has_line_number(tmp_path: Path) -> None:
    p = _write(tmp_path, "codebook:\n  name: x\ncodes:\n  - id: A\n    label_ru: a: b\n")
    with pytest.raises(CodebookError) as err:
        load_codebook(p)
    assert err.value.problems[0][0] == 5
    assert "cb.yml:5:" in str(err.value)


def test_all_problems_are_reported_with_lines(tmp_path: Path) -> None:
    text = """codebook:
  name: test
codes:
  - id: A
    label_ru: Первый
    defintion: typo here
  - id: A
    label_ru: Дубль
  - id: bad id
    label_ru: x
  - id: B
    color: red
    polarity: sideways
"""
    with pytest.raises(CodebookError) as err:
        load_codebook(_write(tmp_path, text))
    problems = dict(err.value.problems)
    assert "unknown key `defintion`" in problems[6]
    assert "duplicate id A" in problems[7]
    assert "bad or missing id" in problems[9]
    assert "label_ru" in problems[11]
    assert "#RRGGBB" in problems[12]
    assert "polarity" in problems[13]


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook(tmp_path / "nope.yml")
    p = tmp_path / "bin.yml"
    p.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CodebookError, match="cannot read"):
        load_codebook(p)


BASE = """codebook:
  name: t
codes:
  - id: BUR
    label_ru: Бюрократия
    children:
      - id: BUR.DELAY
        label_ru: Затягивание сроков
  - id: TIME
    label_ru: Сроки
"""


def _coded_db(empty_study):  # type: ignore[no-untyped-def]
    db = empty_study.db
    from qualtool.domain import Recording
    from qualtool.store.recordings import insert_recording

    rec = insert_recording(
        db, Recording(key="r", path="a.wav", checksum="x", duration=5, format="wav")
    )
    t = start_transcript(db, rec.id, language="ru", model="m", settings={}, duration=5)
    seg = append_segment(db, t.id, Segment(idx=0, start=0, end=5, text="Ждали два месяца."), 1.0)
    return db, seg


def test_rename_move_and_rekey_keep_codings(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, seg = _coded_db(empty_study)
    sync_codebook(db, load_codebook(_write(tmp_path, BASE)))
    coding = add_coding(db, Coding(seg.id, "BUR.DELAY", "anna", 0, 5, ""))
    # rename the label and move the code under TIME
    moved = (
        BASE.replace("Затягивание сроков", "Искусственное затягивание").replace(
            "    children:\n      - id: BUR.DELAY\n        label_ru: Искусственное затягивание\n",
            "",
        )
        + "    children:\n      - id: BUR.DELAY\n        label_ru: Искусственное затягивание\n"
    )
    report = sync_codebook(db, load_codebook(_write(tmp_path, moved)))
    assert report.moved == ["BUR.DELAY"]
    assert stored(db).get("BUR.DELAY").parent_id == "TIME"
    assert get_coding(db, coding.id).code_id == "BUR.DELAY"
    # re-key the id: codings follow through `replaces`
    rekeyed = moved.replace(
        "- id: BUR.DELAY\n", "- id: TIME.DELAY\n        replaces: [BUR.DELAY]\n"
    )
    report = sync_codebook(db, load_codebook(_write(tmp_path, rekeyed)))
    assert report.renamed == [("BUR.DELAY", "TIME.DELAY")]
    assert get_coding(db, coding.id).code_id == "TIME.DELAY"


def test_removing_a_used_code_is_refused(empty_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, seg = _coded_db(empty_study)
    sync_codebook(db, load_codebook(_write(tmp_path, BASE)))
    add_coding(db, Coding(seg.id, "BUR.DELAY", "anna", 0, 5, ""))
    without = BASE.replace(
        "    children:\n      - id: BUR.DELAY\n        label_ru: Затягивание сроков\n", ""
    )
    with pytest.raises(CodebookError, match=r"BUR\.DELAY was removed but 1 coding"):
        sync_codebook(db, load_codebook(_write(tmp_path, without)))
    assert "BUR.DELAY" in stored(db)  # nothing changed


GROUPS_OK = """codebook:
  name: test
codes:
  - id: A
    label_ru: Первый
    children:
      - id: A.B
        label_ru: Второй
  - id: C
    label_ru: Третий
    replaces: [OLD]
"""


def test_groups_are_checked(tmp_path: Path) -> None:
    """`groups:` (REFI-QDA Sets from an import): one line each for a code that does not exist,
    a name given twice and an entry of the wrong shape; all reported at once. A code that was
    renamed (`replaces: [OLD]`) is still known under its old id."""
    p = _write(tmp_path, GROUPS_OK + """groups:
  - name: Цифровые
    codes: [A.B, OLD]
    sources: [idi-01]
  - name: Цифровые
    codes: [A]
  - name: Очереди
    codes:
      - A
      - NOPE
  - just a string
  - codes: [A]
  - name: Плохой
    codes: A
    members: [x]
  - name: Числа
    sources: [1, 2]
""")  # fmt: skip
    with pytest.raises(CodebookError) as err:
        load_codebook(p)
    assert err.value.problems == [
        (16, "duplicate group name «Цифровые» (first at line 13)"),
        (21, "group «Очереди»: unknown code NOPE"),
        (22, "each group must be a mapping with a `name:`"),
        (23, "group: `name:` is required (text)"),
        (25, "group «Плохой»: `codes` must be a list of ids"),
        (26, "group «Плохой»: unknown key `members` (allowed: name, codes, sources)"),
        (28, "group «Числа»: `sources` must be a list of ids"),
    ]


def test_groups_valid_and_not_a_list(tmp_path: Path) -> None:
    ok = _write(tmp_path, GROUPS_OK + "groups:\n  - name: Все\n    codes: [A, A.B, C]\n")
    assert len(load_codebook(ok)) == 3
    bad = _write(tmp_path, GROUPS_OK + "groups:\n  name: Все\n")
    with pytest.raises(CodebookError) as err:
        load_codebook(bad)
    assert err.value.problems == [(12, "`groups:` must be a list of {name:, codes:, sources:}")]


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        ("codebook:\n  name: x\n    id: y\n", 3, "здесь не может стоять «ключ: значение»"),
        ("codes:\n  - id: A\n label_ru: x\n", 3, "отступ не совпадает"),
        ("codebook:\n  name: 'x\n", 3, "не закрыта кавычка"),
        ("codebook:\n\tname: x\n", 2, "табуляция вместо пробелов"),
        ("codebook:\n  name: x\n  name: y\n", 3, "ключ дважды"),
    ],
)
def test_a_broken_codebook_says_what_is_wrong_in_russian(
    tmp_path: Path, text: str, line: int, said: str
) -> None:
    """A coder who breaks the YAML by hand reads the mistake in Russian, with its line —
    not ruamel's English («mapping values are not allowed here»)."""
    path = tmp_path / "barriers.yml"
    path.write_text(text, encoding="utf-8")
    set_language("ru")
    try:
        with pytest.raises(CodebookError) as err:
            load_codebook(path)
    finally:
        set_language("en")
    message = str(err.value)
    assert f":{line}:" in message and said in message and "синтаксис YAML" in message, message
