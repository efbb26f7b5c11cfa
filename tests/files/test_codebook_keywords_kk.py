"""`keywords_kk` in the codebook file: read, written only where given (a file without it is not
changed by an edit), kept in the shipped file's order and style, moved over by a merge; and the
study database keeps it (m901 on an older database)."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlite_utils

from qualtool.files.codebook import load_codebook
from qualtool.files.codebook_edit import edit_fields, merge_codes, word_list
from qualtool.store.codebook import load_codebook as stored_codebook
from qualtool.store.codebook import sync_codebook
from qualtool.store.db import open_db
from qualtool.store.migrations import migrations

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "codebooks" / "barriers.yml"

SMALL = """\
codebook:
  name: Тест
codes:
  - id: ACC
    label_ru: Доступность
    children:
      - id: ACC.QUEUE
        label_ru: Очереди
        keywords: [очередь, талон]
        examples:
          - text: Стояли три часа
      - id: ACC.PARKING
        label_ru: Парковка
        keywords_kk: [көлік қоятын орын]
"""


def small(tmp_path: Path) -> Path:
    path = tmp_path / "barriers.yml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_the_shipped_codebook_has_kazakh_keywords_for_every_leaf() -> None:
    cb = load_codebook(SHIPPED)
    leaves = [c for c in cb.codes if not cb.children(c.id)]
    assert leaves and all(3 <= len(c.keywords_kk) <= 8 for c in leaves)
    assert "кезек" in cb.get("ACC.QUEUE").keywords_kk
    assert (REPO / "qualtool" / "files" / "data" / "barriers.yml").read_bytes() == (
        SHIPPED.read_bytes())  # fmt: skip


def test_keywords_kk_is_read(tmp_path: Path) -> None:
    cb = load_codebook(small(tmp_path))
    assert cb.get("ACC.PARKING").keywords_kk == ("көлік қоятын орын",)
    assert cb.get("ACC.QUEUE").keywords_kk == ()


def test_an_edit_of_another_field_leaves_a_file_without_keywords_kk_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "barriers.yml"
    shutil.copy(SHIPPED, path)
    before = load_codebook(path).get("ACC.QUEUE").label_en
    edit_fields(path, "ACC.QUEUE", label_en="Queues")
    edit_fields(path, "ACC.QUEUE", label_en=before)
    assert path.read_bytes() == SHIPPED.read_bytes()
    path = small(tmp_path)
    edit_fields(path, "ACC.QUEUE", definition="Ожидание.")
    edit_fields(path, "ACC.QUEUE", definition="")
    assert path.read_text(encoding="utf-8") == SMALL


def test_keywords_kk_is_written_after_keywords_as_one_line(tmp_path: Path) -> None:
    path = small(tmp_path)
    cb = edit_fields(path, "ACC.QUEUE", keywords_kk="кезек, кезекте тұрдық\nталон")
    assert cb.get("ACC.QUEUE").keywords_kk == ("кезек", "кезекте тұрдық", "талон")
    text = path.read_text(encoding="utf-8")
    assert ("        keywords: [очередь, талон]\n"
            "        keywords_kk: [кезек, кезекте тұрдық, талон]\n"
            "        examples:\n") in text  # fmt: skip
    edit_fields(path, "ACC.QUEUE", keywords_kk="")
    assert path.read_text(encoding="utf-8") == SMALL


def test_a_merge_moves_the_kazakh_keywords_over(tmp_path: Path) -> None:
    path = small(tmp_path)
    edit_fields(path, "ACC.QUEUE", keywords_kk=["кезек"])
    cb = merge_codes(path, "ACC.PARKING", "ACC.QUEUE")
    assert cb.get("ACC.QUEUE").keywords_kk == ("кезек", "көлік қоятын орын")


def test_word_list() -> None:
    assert word_list(" кезек ,, талон\nкезек ") == ["кезек", "талон"]
    assert word_list(["a", " ", "b"]) == ["a", "b"]


def test_the_database_keeps_keywords_kk(tmp_path: Path) -> None:
    db = open_db(tmp_path / "qualtool.db")
    sync_codebook(db, load_codebook(small(tmp_path)))
    assert stored_codebook(db).get("ACC.PARKING").keywords_kk == ("көлік қоятын орын",)
    db.close()


def test_m901_adds_keywords_kk_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "qualtool.db"
    db = sqlite_utils.Database(path)
    older = [m for m in migrations._migrations if m.name != "m901_code_keywords_kk"]
    db.execute("CREATE TABLE IF NOT EXISTS _sqlite_migrations (migration_set TEXT, name TEXT, "
               "applied_at TEXT, PRIMARY KEY (migration_set, name))")  # fmt: skip
    for m in older:
        m.fn(db)
        db.execute("INSERT INTO _sqlite_migrations VALUES ('qualtool', ?, datetime('now'))",
                   [m.name])  # fmt: skip
    db.execute("INSERT INTO codes (id, label_ru, keywords, polarity, barrier_type, sort, active) "
               "VALUES ('OLD', 'Старый', '[\"очередь\"]', 'negative', 'administrative', 0, 1)")  # fmt: skip
    db.conn.commit()
    assert "keywords_kk" not in db["codes"].columns_dict
    db.close()
    upgraded = open_db(path)
    code = stored_codebook(upgraded).get("OLD")
    assert code.keywords == ("очередь",) and code.keywords_kk == ()
    upgraded.close()
