"""Tokens, lemmas and sentences for Russian and Kazakh transcripts.

Russian: `spacy.blank("ru")` tokenizer + sentencizer and pymorphy3's best parse behind an LRU cache
(spaCy's own lemmatizer returns the surface form whenever pymorphy3 is ambiguous, and is 10× slower).
Kazakh: spaCy has no `kk`; the Tatar tokenizer (`tt`, also Turkic, Cyrillic) splits Kazakh
correctly and keeps «ЭЦП-ны» whole. There is no Kazakh lemmatizer, so a Kazakh lemma is the
normalised lower-case form, with the Russian acronym table applied: search still finds exact
forms, lemma search simply degrades to exact search for Kazakh words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Domain acronyms pymorphy3 would mangle («цоне» → «цона»); their case forms map to the acronym.
ACRONYMS = ("цон", "эцп", "енпф", "иин", "бин", "мио", "сэс", "нао", "гк", "егов", "egov", "ецп")
_CASE_ENDINGS = ("", "а", "у", "е", "ом", "ы", "ов", "ам", "ами", "ах", "ов", "и")
_ACRONYM_FORMS = {a + e: a for a in ACRONYMS for e in _CASE_ENDINGS}
_ACRONYM_FORMS.update({"ецп": "эцп", "ецпа": "эцп", "egov.kz": "egov", "егов": "egov"})
_WORD = re.compile(r"\w", re.UNICODE)
_CAPS_SUFFIX = re.compile(r"^([A-ZА-ЯЁ]{2,})-?([a-zа-яё]{1,3})$")


def normalise(text: str) -> str:
    """ё→е and lower case: how every index and comparison sees text."""
    return text.replace("ё", "е").replace("Ё", "Е").lower()


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a punctuation run; `is_word` is set once by the tokenizer, because scoring asks
    it of every token several times (a property searching the text cost 2 s on 1M words)."""

    text: str
    start: int
    end: int
    lemma: str
    is_word: bool


def token(text: str, start: int, lemma: str) -> Token:
    return Token(text, start, start + len(text), lemma, _WORD.search(text) is not None)


class Analyzer:
    """One per language; building the spaCy pipeline costs ~0.3 s, so `analyzer()` caches it."""

    def __init__(self, lang: str = "ru") -> None:
        # spaCy and the pymorphy3 dictionaries take seconds: loaded with the first analyzer
        import spacy

        self.lang = "kk" if lang == "kk" else "ru"
        self.nlp = spacy.blank("tt" if self.lang == "kk" else "ru")
        self.nlp.add_pipe("sentencizer")
        self._morph: Any = None
        if self.lang == "ru":
            import pymorphy3

            self._morph = pymorphy3.MorphAnalyzer(lang="ru")
        self.lemma = lru_cache(maxsize=500_000)(self._lemma)

    def _lemma(self, word: str) -> str:
        low = normalise(word)
        caps = _CAPS_SUFFIX.match(word)
        if caps:  # «ЦОНе», «ЭЦП-ны»: an acronym with a case ending
            return normalise(caps.group(1))
        if low in _ACRONYM_FORMS:
            return _ACRONYM_FORMS[low]
        if self._morph is None or not low.isalpha():
            return low
        return normalise(self._morph.parse(low)[0].normal_form)

    def tokens(self, text: str) -> list[Token]:
        return [
            token(t.text, t.idx, self.lemma(t.text))
            for t in self.nlp.make_doc(text)
            if not t.is_space
        ]

    def lemma_text(self, text: str) -> str:
        """The lemmatised copy that the search index and auto-coding compare against."""
        return " ".join(t.lemma for t in self.tokens(text) if t.is_word)

    def index_entry(self, text: str) -> tuple[str, list[int]]:
        """The lemma text plus where each of its words sits in `text` (start, end, start, end…):
        stored beside the index so search highlights hits without tokenising them again."""
        lemmas: list[str] = []
        offsets: list[int] = []
        for t in self.tokens(text):
            if t.is_word:
                lemmas.append(t.lemma)
                offsets += (t.start, t.end)
        return " ".join(lemmas), offsets

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Character spans of sentences, trimmed of surrounding spaces."""
        doc = self.nlp(text)
        spans = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        return spans

    def morph(self) -> Any:
        """pymorphy3 itself (anonymisation needs the grammemes); None for Kazakh."""
        return self._morph


@lru_cache(maxsize=4)
def analyzer(lang: str = "ru") -> Analyzer:
    return Analyzer(lang)


def index_entry(text: str, lang: str | None) -> tuple[str, list[int]]:
    """What the search index stores for a segment in `lang` (Kazakh, or Russian otherwise)."""
    return analyzer("kk" if lang == "kk" else "ru").index_entry(text)
