"""natasha's slovnet NER (PER spans), loaded once per process.

Only the embedding and the NER tagger are used: natasha's MorphVocab pulls pymorphy2, which
breaks on Python 3.11; lemmas stay with pymorphy3 (qualtool.nlp). The models ship inside the
`navec`/`slovnet` packages, so this works offline; loading takes ~0.7 s, a sentence ~1 ms.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]


@lru_cache(maxsize=1)
def _tagger() -> tuple[Any, Any]:
    # heavy optional models: imported on first detection, not at CLI start-up
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def spans(text: str, types: tuple[str, ...] = ("PER",)) -> list[tuple[int, int, str]]:
    """(start, end, type) of the named entities natasha sees in `text`."""
    if not text.strip():
        return []
    from natasha import Doc  # loaded already by _tagger(): no cost here

    segmenter, tagger = _tagger()
    doc = Doc(text)
    doc.segment(segmenter)
    # one sentence is a tiny matrix product: BLAS threads only fight each other (10x slower
    # on a busy machine), so NER runs single-threaded
    with threadpool_limits(limits=1, user_api="blas"):
        doc.tag_ner(tagger)
    return [(s.start, s.stop, s.type) for s in doc.spans if s.type in types]
