"""Search: lemma forms, phrases, boolean, prefix, fuzzy ASR misspellings, filters, KWIC."""

from __future__ import annotations

import pytest

from qualtool.coding.editing import edit_segment_text
from qualtool.domain import Coding, Method, Participant, Role
from qualtool.domain.errors import InvalidInput
from qualtool.recordings.corpus import add_text_recording
from qualtool.search import query
from qualtool.search.query import Mode, search
from qualtool.store import search_index
from qualtool.store.codings import add_coding
from qualtool.store.db import open_db
from qualtool.store.search_index import Filters
from qualtool.workspace.study import Workspace

TURNS = [
    ("I", "Расскажите, как вы получали услугу."),
    ("R01", "Три раза ходила в ЦОН, каждый раз просили новую справку."),
    ("R01", "Справок собрала целую папку, а потом ещё справки из акимата."),
    ("I", "А портал пробовали?"),
    ("R01", "Портал завис, а сайт вообще не открылся."),
    ("R01", "В цоне очередь была часа на два."),
]
FG = [
    ("P1", "Сотрудники грубо разговаривают, никаких справок не объясняют."),
    ("P2", "Подавал через егов, подпись ЭЦП не срабатывала, пришлось ехать в центр."),
]


@pytest.fixture
def ws(empty_study: Workspace) -> Workspace:
    db = empty_study.db
    add_text_recording(db, "idi-x", TURNS, service="Пособие", region="ВКО",
                       participants=[Participant("R01", Role.RECIPIENT, "f", "35-44", "ВКО")])  # fmt: skip
    add_text_recording(db, "fg-x", FG, method=Method.FOCUS_GROUP, service="Лицензия",
                       region="Абай", participants=[Participant("P1", Role.RECIPIENT),
                                                    Participant("P2", Role.ENTREPRENEUR)])  # fmt: skip
    return empty_study


def texts(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.text for h in res.hits]


def test_lemma_search_finds_every_form(ws: Workspace) -> None:
    res = search(ws.db, "справки")
    assert res.total == 3  # справку, Справок/справки, справок
    hit = next(h for h in res.hits if "папку" in h.text)
    assert [hit.text[s:e] for s, e in hit.spans] == ["Справок", "справки"]
    assert search(ws.db, "справка", Mode.EXACT).total == 0  # the exact form never occurs


def test_acronym_case_forms_and_yo(ws: Workspace) -> None:
    assert {h.recording for h in search(ws.db, "ЦОН").hits} == {"idi-x"}
    assert search(ws.db, "ЦОН").total == 2  # «ЦОН» and «цоне»
    assert search(ws.db, "еще").total == 1  # ё is е


def test_phrase_boolean_prefix(ws: Workspace) -> None:
    assert texts(search(ws.db, '"новая справка"')) == [TURNS[1][1]]
    assert search(ws.db, '"справка новая"').total == 0  # order matters in a phrase
    assert search(ws.db, "портал OR сайт").total == 2
    assert search(ws.db, "портал сайт").total == 1  # AND implied
    assert search(ws.db, "справка").total == 3  # one of them also mentions the акимат
    assert set(texts(search(ws.db, "справка NOT акимат"))) == {TURNS[1][1], FG[0][1]}
    assert set(texts(search(ws.db, "справка -акимат"))) == {TURNS[1][1], FG[0][1]}
    assert set(texts(search(ws.db, "справка НЕ акимат"))) == {TURNS[1][1], FG[0][1]}
    assert search(ws.db, "справка ИЛИ портал").total == 5
    assert search(ws.db, "спр*").total == 3


def test_fuzzy_finds_asr_misspellings(ws: Workspace) -> None:
    edit_segment_text(ws.db, _seg_id(ws, "idi-x", 4), "Портал зовис, а сайт вообще не открылся.")
    assert search(ws.db, "завис", Mode.LEMMA).total == 0
    res = search(ws.db, "завис", Mode.FUZZY)
    assert res.total == 1 and "зовис" in res.expanded["завис"]
    assert res.hits[0].text[slice(*res.hits[0].spans[0])] == "зовис"


def test_filters(ws: Workspace) -> None:
    assert search(ws.db, "справка", filters=Filters(method="focus_group")).total == 1
    assert search(ws.db, "справка", filters=Filters(region="вко")).total == 2
    assert search(ws.db, "портал", filters=Filters(role="interviewer")).total == 1
    assert search(ws.db, "портал", filters=Filters(role="recipient")).total == 1
    assert search(ws.db, "ЭЦП", filters=Filters(role="entrepreneur")).total == 1
    sid = _seg_id(ws, "idi-x", 1)
    add_coding(ws.db, Coding(sid, "BUR.EXTRA_DOCS", "anna", 0, 10, ""))
    assert search(ws.db, "справка", filters=Filters(codes=("BUR.EXTRA_DOCS",))).total == 1
    assert search(ws.db, "справка", filters=Filters(coder="boris")).total == 0


def test_kwic_and_index_follows_edits(ws: Workspace) -> None:
    hit = search(ws.db, "очередь").hits[0]
    left, match, right = hit.kwic(10)
    assert match == "очередь" and left.endswith("В цоне ") and right.startswith(" была")
    edit_segment_text(ws.db, hit.segment_id, "В цоне толпа была часа на два.")
    assert search(ws.db, "очередь").total == 0 and search(ws.db, "толпа").total == 1


@pytest.mark.parametrize("bad", ["", "NOT справка", "(справка", "справка OR", '""'])
def test_bad_queries_are_clear_errors(ws: Workspace, bad: str) -> None:
    with pytest.raises(InvalidInput):
        search(ws.db, bad)


def _seg_id(ws: Workspace, key: str, idx: int) -> int:
    return int(
        ws.db.execute(
            "SELECT s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "JOIN recordings r ON r.id = t.recording_id WHERE r.key = ? AND s.idx = ?",
            [key, idx],
        ).fetchone()[0]
    )


def test_kazakh_text_is_searchable_by_form(empty_study: Workspace) -> None:
    """spaCy has no kk: the Tatar tokenizer keeps «ЭЦП-ны» together; lemmas are normalised forms."""
    from qualtool.domain import Language
    from qualtool.nlp import analyzer

    assert analyzer("kk").lemma_text("ЭЦП-ны алу қиын болды") == "эцп алу қиын болды"
    rec = add_text_recording(
        empty_study.db, "kk-1", [("R01", "ХҚКО-ға үш рет бардым, ЭЦП-ны алу қиын болды.")]
    )
    empty_study.db.execute(
        "UPDATE recordings SET language = ? WHERE id = ?", [Language.KK.value, rec.id]
    )
    empty_study.db.execute(
        "UPDATE transcripts SET language = 'kk' WHERE recording_id = ?", [rec.id]
    )
    empty_study.db.conn.commit()
    assert search(empty_study.db, "ЭЦП").total == 1
    assert search(empty_study.db, "бардым", Mode.EXACT).total == 1


def test_pages_and_totals(ws: Workspace) -> None:
    """A page is a slice of the full ranking; the total counts every hit, whatever the page."""
    full = search(ws.db, "справка OR портал OR цон", limit=50)
    assert full.total == len(full.hits) == 6
    pages = [search(ws.db, "справка OR портал OR цон", limit=4, offset=o) for o in (0, 4, 8)]
    assert [h.segment_id for p in pages for h in p.hits] == [h.segment_id for h in full.hits]
    assert [len(p.hits) for p in pages] == [4, 2, 0]
    assert {p.total for p in pages} == {6}
    assert search(ws.db, "справка", limit=1, with_total=False).total == 1
    flt = Filters(region="ВКО")
    filtered = search(ws.db, "справка OR портал OR цон", filters=flt)
    assert filtered.total == 5 and {h.recording for h in filtered.hits} == {"idi-x"}
    page = search(ws.db, "справка OR портал OR цон", filters=flt, limit=2, offset=4)
    assert page.total == 5 and [h.segment_id for h in page.hits] == [filtered.hits[4].segment_id]
    for flt, keys in [
        (Filters(service="лиценз"), {"fg-x"}),
        (Filters(recording="idi-x"), {"idi-x"}),
        (Filters(method="interview", region="вко", role="recipient"), {"idi-x"}),
    ]:
        every = search(ws.db, "справка OR портал OR цон", filters=flt)
        assert {h.recording for h in every.hits} == keys and every.total == len(every.hits)


def test_highlights_come_from_the_index_and_match_a_fresh_tokenisation(ws: Workspace) -> None:
    """The word offsets stored at indexing give the same spans as tokenising the hit; a segment
    whose offsets are missing (indexed by an older version) is tokenised instead."""
    queries = ["справка", "цон", "спр*", '"новая справка"', "портал OR сайт", "ЭЦП егов"]
    for q in queries:
        expr, comp = query.compile_query(ws.db, q)
        for row in search_index.match(ws.db, expr, Filters()):
            assert row["offsets"] is not None
            stored = query._spans(row["text"], comp.terms, row["lemmas"], row["offsets"])
            assert stored == query._spans(row["text"], comp.terms), (q, row["text"])
    before = {h.segment_id: h.spans for h in search(ws.db, "справка").hits}
    ws.db.execute("DELETE FROM segment_words")
    assert {h.segment_id: h.spans for h in search(ws.db, "справка").hits} == before


def test_deleting_a_segment_drops_its_index_rows(ws: Workspace) -> None:
    sid = _seg_id(ws, "idi-x", 5)
    search(ws.db, "очередь")
    ws.db.execute("DELETE FROM codings WHERE segment_id = ?", [sid])
    ws.db.execute("DELETE FROM segments WHERE id = ?", [sid])
    left = ws.db.execute("SELECT count(*) FROM segment_words WHERE segment_id = ?", [sid])
    assert left.fetchone()[0] == 0
    assert search(ws.db, "очередь").total == 0 and search(ws.db, "очередь").hits == []


def test_a_database_indexed_before_word_offsets_gets_them_on_upgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """m701 queues every segment, so the first search after an upgrade stores the offsets of a
    study indexed by an older version (and highlights the same words as before)."""
    db = open_db(tmp_path / "old.db")
    add_text_recording(db, "idi-x", TURNS)
    before = [h.spans for h in search(db, "справка").hits]
    with db.conn:  # the database as the version before m701 left it
        db.execute("DROP TRIGGER segments_words_ad")
        db.execute("DROP TABLE segment_words")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm701_segment_word_offsets'")
    db.conn.close()
    db = open_db(tmp_path / "old.db")
    assert search_index.pending(db) == len(TURNS)
    assert [h.spans for h in search(db, "справка").hits] == before
    stored = db.execute("SELECT count(*) FROM segment_words").fetchone()[0]
    assert stored == len(TURNS) and search_index.pending(db) == 0
    db.conn.close()
