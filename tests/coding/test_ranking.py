"""The code picker's order: typed text first (case- and ё-blind, fuzzy, definitions too), then
the auto-coder's fit for the selection, then recency."""

from __future__ import annotations

from conftest import REPO

from qualtool.autocode.suggest import Matcher, code_scores
from qualtool.coding.ranking import rank
from qualtool.files.codebook import load_codebook

CB = load_codebook(REPO / "codebooks" / "barriers.yml")


def ids(query: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.code.id for r in rank(CB, query, **kw)]


def test_case_and_yo_insensitive() -> None:
    portal = [c.id for c in CB.codes if "портал" in c.label_ru.lower()]
    assert portal, "the shipped codebook has a portal code"
    assert ids("портал")[0] in portal and ids("ПОРТАЛ")[0] in portal
    yo = next(c for c in CB.codes if "ё" in (c.label_ru + (c.definition or "")).lower())
    word = next(w for w in (yo.label_ru + " " + (yo.definition or "")).lower().split() if "ё" in w)
    assert yo.id in ids(word.replace("ё", "е").strip(".,«»"))


def test_fuzzy_over_ids_english_and_definitions() -> None:
    assert ids("BUR.EXTRA")[0] == "BUR.EXTRA_DOCS"
    assert ids("bur.extra_docs")[0] == "BUR.EXTRA_DOCS"
    assert "BUR.EXTRA_DOCS" in ids("extra documents")[:3]
    assert "BUR.EXTRA_DOCS" in ids("дополнительных документв")[:3]  # a typo still finds it
    code = CB.get("BUR.DELAY")
    assert "BUR.DELAY" in ids("искусственно затягивает")  # words of its definition only
    assert code.definition and "искусственно" in code.definition
    assert ids("zzzqqq") == []


def test_fit_then_recent_order_the_list() -> None:
    matcher = Matcher(CB)
    fit = code_scores(matcher, "требовали новую справку, пришлось прийти ещё раз")
    assert fit and max(fit, key=fit.get) in {"BUR.EXTRA_DOCS", "BUR.REPEAT_VISIT"}  # type: ignore[arg-type]
    listed = rank(CB, "", fit=fit, recent=["TECH.OUTAGE"])
    best = max(fit, key=fit.get)  # type: ignore[arg-type]
    assert listed[0].code.id == best and listed[0].fit == fit[best]
    head = [r.code.id for r in listed[:12]]
    assert "TECH.OUTAGE" in head  # recent, right after the codes that fit
    # with a query, fit breaks ties among equally good matches
    bur = ids("BUR", fit={"BUR.REPEAT_VISIT": 3.0})
    assert bur[0] == "BUR.REPEAT_VISIT"
    bur = ids("BUR", recent=["BUR.REFUSAL"])
    assert bur[0] == "BUR.REFUSAL"
