"""Search the study's transcripts: by lemma (default), exact form, or fuzzily (ASR misspellings).

Query language, close to what coders know from search boxes:
    справка                  any form: справки, справку, справок
    "дополнительные справки" a phrase (every word by lemma, in order)
    портал OR сайт           either; AND is implied between terms
    ЦОН NOT очередь / -очередь
    справ*                   a prefix of the written form
Russian operators ИЛИ / НЕ work too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _
from qualtool.nlp import analyzer, index_entry, normalise
from qualtool.store import search_index
from qualtool.store.db import Database
from qualtool.store.search_index import Filters


class Mode(StrEnum):
    LEMMA = "lemma"
    EXACT = "exact"
    FUZZY = "fuzzy"


_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_OPS = {"OR": "OR", "ИЛИ": "OR", "AND": "AND", "И": "AND", "NOT": "NOT", "НЕ": "NOT"}
FUZZY_CUTOFF = 80.0


@dataclass(frozen=True, slots=True)
class Hit:
    segment_id: int
    recording: str
    idx: int
    start: float
    speaker: str | None
    text: str
    spans: tuple[tuple[int, int], ...]
    method: str
    service: str | None
    region: str | None

    def kwic(self, width: int = 40) -> tuple[str, str, str]:
        """Keyword in context: (left, match, right) around the first match."""
        if not self.spans:
            return "", self.text[: 2 * width], ""
        s, e = self.spans[0]
        left = self.text[max(0, s - width) : s]
        right = self.text[e : e + width]
        return (
            ("…" if s > width else "") + left,
            self.text[s:e],
            right + ("…" if e + width < len(self.text) else ""),
        )


@dataclass
class Results:
    hits: list[Hit]
    total: int
    expression: str
    expanded: dict[str, list[str]] = field(default_factory=dict)  # fuzzy: term -> forms


@dataclass
class _Terms:
    """What to highlight: lemmas, written forms and prefixes of the positive terms."""

    lemmas: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)


def refresh_index(db: Database) -> int:
    return search_index.refresh(db, index_entry)


_vocab_cache: dict[tuple[int, int], list[str]] = {}


def _vocabulary(db: Database) -> list[str]:
    key = (id(db), search_index.index_generation(db))
    if key not in _vocab_cache:
        _vocab_cache.clear()
        _vocab_cache[key] = search_index.vocabulary(db)
    return _vocab_cache[key]


def similar_forms(db: Database, word: str, cutoff: float = FUZZY_CUTOFF) -> list[str]:
    """Indexed words spelled like `word`: «ЦОН» ~ «цона», «сетернити» ~ «сертификат»…"""
    w = normalise(word)
    found = process.extract(w, _vocabulary(db), scorer=fuzz.ratio, score_cutoff=cutoff, limit=30)
    forms = [f for f, _, _ in found]
    return forms if w in forms else [w, *forms]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class _Compiler:
    def __init__(self, db: Database, mode: Mode) -> None:
        self.db = db
        self.mode = mode
        self.terms = _Terms()
        self.expanded: dict[str, list[str]] = {}
        self.ana = analyzer("ru")

    def operand(self, raw: str, negated: bool) -> str:
        phrase = raw.startswith('"')
        text = raw.strip('"')
        words = [t.text for t in self.ana.tokens(text) if t.is_word]
        if not words:
            raise InvalidInput(_("nothing to search for in {term!r}").format(term=raw))
        if not phrase and text.endswith("*"):
            prefix = normalise(text.rstrip("*"))
            if not negated:
                self.terms.prefixes.append(prefix)
            return f"text : {_quote(prefix)} *"
        if self.mode == Mode.LEMMA:
            lemmas = [self.ana.lemma(w) for w in words]
            if not negated:
                self.terms.lemmas.update(lemmas)
            return f"lemmas : {_quote(' '.join(lemmas))}"
        if self.mode == Mode.EXACT or phrase:
            forms = [normalise(w) for w in words]
            if not negated:
                self.terms.forms.update(forms)
            return f"text : {_quote(' '.join(forms))}"
        parts = []
        for w in words:
            forms = similar_forms(self.db, w)
            self.expanded[w] = forms
            if not negated:
                self.terms.forms.update(forms)
            parts.append("(" + " OR ".join(_quote(f) for f in forms) + ")")
        return "{text lemmas} : " + " AND ".join(parts)

    def compile(self, query: str) -> str:
        out: list[str] = []
        expect_operand = True
        pending_not = False
        depth = 0
        for tok in _TOKEN.findall(query):
            op = _OPS.get(tok)
            if op in ("OR", "AND") and not expect_operand:
                out.append(op)
                expect_operand = True
            elif op == "NOT" or (tok.startswith("-") and len(tok) > 1 and op is None):
                if not out:
                    raise InvalidInput(_("NOT needs a term before it: «ЦОН NOT очередь»"))
                if not expect_operand:
                    out.append("NOT")
                    expect_operand = True
                pending_not = True
                if tok.startswith("-"):
                    out.append(self.operand(tok[1:], True))
                    expect_operand, pending_not = False, False
            elif tok == "(":
                if not expect_operand:
                    out.append("AND")
                out.append("(")
                depth += 1
                expect_operand = True
            elif tok == ")":
                if depth == 0 or expect_operand:
                    raise InvalidInput(_("unbalanced parentheses in the query"))
                out.append(")")
                depth -= 1
            else:
                if not expect_operand:
                    out.append("AND")
                out.append(self.operand(tok, pending_not))
                expect_operand, pending_not = False, False
        if depth or (out and expect_operand):
            raise InvalidInput(_("the query ends too early (an operator or '(' without a term)"))
        if not out:
            raise InvalidInput(_("empty query"))
        return " ".join(out)


def compile_query(db: Database, query: str, mode: Mode = Mode.LEMMA) -> tuple[str, _Compiler]:
    c = _Compiler(db, mode)
    return c.compile(query), c


def _is_match(lemma: str, form: str, terms: _Terms) -> bool:
    return (
        lemma in terms.lemmas
        or form in terms.forms
        or lemma in terms.forms
        or any(form.startswith(p) for p in terms.prefixes)
    )


def _spans(
    text: str, terms: _Terms, lemmas: str | None = None, blob: bytes | None = None
) -> tuple[tuple[int, int], ...]:
    """Where the query's positive terms occur in a hit. The index stored each word's lemma and
    offsets, so a page of hits is highlighted without tokenising it again (a segment indexed
    before offsets were stored is tokenised here); the written form is only looked at when the
    query has exact forms or prefixes."""
    offsets = search_index.unpack_offsets(blob)
    words = lemmas.split(" ") if lemmas else []
    if offsets is None or len(offsets) != 2 * len(words):
        return tuple(
            (t.start, t.end)
            for t in analyzer("ru").tokens(text)
            if t.is_word and _is_match(t.lemma, normalise(t.text), terms)
        )
    by_lemma = terms.lemmas | terms.forms
    if not terms.forms and not terms.prefixes:
        found = [n for n, lemma in enumerate(words) if lemma in by_lemma]
    else:
        prefixes = tuple(terms.prefixes)
        found = []
        for n, lemma in enumerate(words):
            if lemma in by_lemma:
                found.append(n)
                continue
            form = normalise(text[offsets[2 * n] : offsets[2 * n + 1]])
            if form in terms.forms or (prefixes and form.startswith(prefixes)):
                found.append(n)
    return tuple((offsets[2 * n], offsets[2 * n + 1]) for n in found)


def search(
    db: Database,
    query: str,
    mode: Mode = Mode.LEMMA,
    filters: Filters | None = None,
    limit: int = 50,
    offset: int = 0,
    with_total: bool = True,
) -> Results:
    refresh_index(db)
    expr, comp = compile_query(db, query, mode)
    flt = filters or Filters()
    try:
        rows = search_index.match(db, expr, flt, limit, offset)
        total = search_index.count(db, expr, flt) if with_total else len(rows)
    except Exception as exc:  # sqlite3.OperationalError on a malformed expression
        raise InvalidInput(
            _("cannot search for {query!r}: {error}").format(query=query, error=exc)
        ) from exc
    hits = [
        Hit(
            segment_id=r["segment_id"],
            recording=r["recording"],
            idx=r["idx"],
            start=r["start"],
            speaker=r["speaker"],
            text=r["text"],
            spans=_spans(r["text"], comp.terms, r["lemmas"], r["offsets"]),
            method=r["method"],
            service=r["service"],
            region=r["region"],
        )
        for r in rows
    ]
    return Results(hits, total, expr, comp.expanded)
