"""Lemma-aware, exact and fuzzy full-text search over the study's transcripts."""
