"""The training bank shipped with the barrier codebook: labelled respondent passages per code.

A codebook's handful of examples cannot show the many ways people say "they sent me from
office to office"; the bank holds seventy passages per leaf code of the shipped barrier
codebook (codebooks/barriers.yml), written in seven voices (older and rural respondents,
entrepreneurs, young urban people, focus-group talk, the Kazakh-speaking south, families on
social support, terse answers) plus 420 passages that carry no barrier. It is written text, not
recorded speech: tests/autocode/test_autocode.py keeps a guard on real quotes from the seed
reports, where the figures are lower than on written interviews (bench/autocode.py).
They train the classifier (classifier.py) only — they are not shown as "like example «…»"
and do not enter the lexical matcher — and they apply to a study's codebook by code id, so a
study that renames a code keeps them (ids are permanent) and a code a study adds simply has
none. Read-only model data, like navec's vectors: the team's own codings teach on top.
"""

from __future__ import annotations

import importlib.resources
import json
from dataclasses import dataclass, field
from functools import lru_cache

BANK_FILE = "barriers.bank.json"  # JSON: loads in milliseconds (YAML took a second)


@dataclass(frozen=True)
class Bank:
    passages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code id → passages
    none: tuple[str, ...] = ()  # passages with no barrier at all
    # passage → its words' lemmas, as the analyzer gives them (scripts/bank_lemmas.py writes
    # them into the file: lemmatising 4,000 passages at every run cost a second)
    lemmas: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def for_codes(self, codes: set[str]) -> list[tuple[str, str]]:
        """(code id, passage) for the codes this study's codebook has."""
        return [(cid, text) for cid, texts in self.passages.items() if cid in codes
                for text in texts]  # fmt: skip


@lru_cache(maxsize=1)
def shipped_bank() -> Bank:
    """The bank inside the package (loaded once per process); empty if it is missing."""
    path = importlib.resources.files("qualtool.autocode") / "data" / BANK_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return Bank()
    passages = {str(k): tuple(str(t) for t in v) for k, v in (doc.get("bank") or {}).items()}
    lemmas = {str(k): tuple(str(v).split()) for k, v in (doc.get("lemmas") or {}).items()}
    return Bank(passages, tuple(str(t) for t in doc.get("none") or ()), lemmas)
