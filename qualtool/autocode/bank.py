"""The training bank shipped with the barrier codebook: labelled respondent passages per code.

A codebook's handful of examples cannot show the many ways people say "they sent me from
office to office"; the bank holds at least 104 passages per leaf code of the shipped barrier codebook
(codebooks/barriers.yml), written in eight voices (older and rural respondents, entrepreneurs,
young urban people, focus-group talk, the Kazakh-speaking south, families on social support,
terse answers, and speech as field recordings transcribe it: restarts, fillers, reported
speech, several topics in one turn — this last voice 34 passages a code, by seven writers from
different regions, scripts/bank_add.py), plus the respondent turns of nine interview splits
once their figures had been read (scripts/bank_from_splits.py: 1,886 passages by nine more
authors, real turn shapes — two codes in one turn, barrier words said with no barrier; it
lifted both recall and precision on the splits still held out), plus passages that carry no barrier — among them
neutral mentions of the service («пошлину через каспи оплатил»), so that a service word alone
is not taken for a barrier. It is written text, not recorded speech: tests/autocode/
test_autocode.py keeps a guard on real quotes from the seed reports, where the figures are
lower than on written interviews (bench/autocode.py). They train the classifier
(classifier.py) and, offline, the n-gram reader (grams.py) only — they are not shown as "like example «…»"
and do not enter the lexical matcher — and they apply to a study's codebook by code id while
the code keeps its shipped Russian label or definition (`Bank.for_codes`): a study that
relabels a code keeps them, one that reuses an id for another meaning does not, and a code a
study adds simply has none. Read-only model data, like navec's vectors: the team's own
codings teach on top.
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

    # code id → (label_ru, definition) in the codebook the bank was written for
    meaning: dict[str, tuple[str, str]] = field(default_factory=dict)

    def for_codes(self, codes: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
        """(code id, passage) for the study's codes — `codes`: id → (label_ru, definition) —
        that still mean what the bank's passages were written for: the same Russian label or
        the same definition. A study that reuses an id for something else («ACC.QUEUE» for
        missing medicines) gets nothing from the bank for it."""
        return [(cid, text) for cid, texts in self.passages.items()
                if cid in codes and self.means(cid, codes[cid]) for text in texts]  # fmt: skip

    def means(self, code_id: str, label_definition: tuple[str, str]) -> bool:
        shipped = self.meaning.get(code_id)
        if shipped is None:
            return True  # a bank written without meanings applies by id
        return any(_same(a, b) and a for a, b in zip(label_definition, shipped, strict=True))


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


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
    meaning = {str(k): (str(v[0]), str(v[1])) for k, v in (doc.get("codes") or {}).items()}
    return Bank(passages, tuple(str(t) for t in doc.get("none") or ()), lemmas, meaning)
