"""The training bank shipped with the barrier codebook (qualtool/autocode/bank.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from ruamel.yaml import YAML

from qualtool.autocode.bank import BANK_FILE, Bank, shipped_bank
from qualtool.autocode.lexical import tokens, words
from qualtool.autocode.scoring import Scorer
from qualtool.files.codebook import load_codebook
from qualtool.nlp import analyzer

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "qualtool" / "autocode" / "data" / BANK_FILE


def test_every_leaf_of_the_shipped_codebook_has_passages() -> None:
    bank = shipped_bank()
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    leaves = {c.id for _, c in codebook.walk() if not codebook.children(c.id)}
    assert set(bank.passages) == leaves
    assert min(len(v) for v in bank.passages.values()) >= 40
    assert len(bank.none) >= 200
    for texts in bank.passages.values():
        assert len(texts) == len(set(texts))  # no passage twice under one code
    coded = {t for v in bank.passages.values() for t in v}
    assert len(bank.none) == len(set(bank.none)) and not coded & set(bank.none)
    # a passage under two codes is a turn a coder gave both (scripts/bank_from_splits.py),
    # never a passage written for one code and filed again under another
    twice = {t for t in coded if sum(t in v for v in bank.passages.values()) > 1}
    two_coded = {" ".join(str(turn["t"]).split())
                 for path in (REPO / "tests" / "data").glob("autocode_test*.yml")
                 for rec in YAML(typ="safe").load(path.read_text())["recordings"]
                 for turn in rec["turns"] if len(turn.get("c") or ()) > 1}  # fmt: skip
    assert twice and twice <= two_coded


def test_stored_lemmas_are_what_the_analyzer_says() -> None:
    """scripts/bank_lemmas.py wrote them; a new pymorphy3 or tokenizer must not leave them
    stale (the scorer would quietly use lemmas that no study segment has)."""
    bank = shipped_bank()
    ana = analyzer("ru")
    texts = [t for v in bank.passages.values() for t in v[::7]] + list(bank.none[::7])
    for text in texts:
        fresh = tuple(x.lemma for x in tokens(ana, text) if x.is_word)
        assert bank.lemmas[text] == fresh, text


def test_the_written_words_of_a_passage_are_the_tokenizers_words() -> None:
    """`lexical.words` (a passage's forms beside its stored lemmas, on every run) finds the
    words `tokens` finds, one for one — «ЭЦП-ны», «egov.kz» and «т.е.» whole."""
    texts = [t for v in shipped_bank().passages.values() for t in v] + [
        "Через egov.kz — никак, ЭЦП-ны не принимает, т.е. ждать?! «ЦОН»… 5-й раз."
    ]
    ana = analyzer("ru")
    for text in texts:
        assert words(text) == [x.text for x in tokens(ana, text) if x.is_word], text


def test_the_bank_file_is_deterministic_json() -> None:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    assert DATA.read_text(encoding="utf-8") == json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def test_the_bank_teaches_the_classifier_and_applies_by_code_id() -> None:
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    text = "Мужики у входа за пятнадцать тысяч всё сами оформят, без хозяина квартиры."
    with_bank, without = Scorer(codebook), Scorer(codebook, bank=Bank())
    assert with_bank.classifier is not None and without.classifier is not None
    code = with_bank.profiles.codes.index("CORR.INTERMEDIARIES")
    rows = with_bank.sentences_of(text)
    f_with, _ = with_bank._matrices(rows)
    f_without, _ = without._matrices(without.sentences_of(text))
    assert f_with["classifier"][0, code] > f_without["classifier"][0, code]
    assert int(np.argmax(f_with["classifier"][0])) == code
    # a code the bank does not know gets nothing from it; a bank code the study lacks is ignored
    only = Bank(
        {"NO.SUCH": ("что-то",), "CORR.INTERMEDIARIES": ("посредник у входа",)},
        meaning={"CORR.INTERMEDIARIES": ("Посредники", "Платные посредники у входа")},
    )
    same = {"CORR.INTERMEDIARIES": ("посредники", "другое определение")}
    assert only.for_codes(same) == [("CORR.INTERMEDIARIES", "посредник у входа")]
    # the same id for another meaning gets nothing from the bank
    assert only.for_codes({"CORR.INTERMEDIARIES": ("Нехватка лекарств", "В аптеке нет")}) == []


def test_a_study_reusing_a_shipped_id_for_another_code_gets_no_bank_passages() -> None:
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    bank = shipped_bank()
    queue = codebook.get("ACC.QUEUE")
    meanings = {"ACC.QUEUE": ("Нехватка лекарств в аптеке", "Лекарств нет в наличии")}
    assert bank.for_codes(meanings) == []
    kept = {"ACC.QUEUE": (queue.label_ru, queue.definition or "")}
    assert len(bank.for_codes(kept)) == len(bank.passages["ACC.QUEUE"])


def test_a_window_is_scored_but_its_best_sentence_is_quoted() -> None:
    codebook = load_codebook(REPO / "codebooks" / "barriers.yml")
    scorer = Scorer(codebook)
    text = "Был я там в понедельник. Специалист на больничном, второй говорит, не мой участок."
    units = scorer.sentences_of(text)
    assert len(units) == 3 and units[2].parts == (units[0], units[1])
    for cand in scorer.best(text, 0.15):
        assert text[cand.start : cand.end] in {text[u.start : u.end] for u in units[:2]}
