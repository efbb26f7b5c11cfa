"""Russian-aware text analysis: tokens with offsets, lemmas, sentences (spaCy blank + pymorphy3)."""

from qualtool.nlp.analyzer import Analyzer, Token, analyzer, index_entry, normalise

__all__ = ["Analyzer", "Token", "analyzer", "index_entry", "normalise"]
