"""Store each training-bank passage's lemmas in the bank file (qualtool/autocode/bank.py):
    python scripts/bank_lemmas.py
Run it after editing qualtool/autocode/data/barriers.bank.json. Lemmatising the 4,000 passages
at every auto-coding run cost a second; tests/autocode/test_bank.py checks the stored lemmas
still match what the analyzer says. It also stores what each code meant (label, definition),
so a study that reuses an id for another meaning does not get the passages."""

from __future__ import annotations

import json
from pathlib import Path

from qualtool.autocode.lexical import tokens
from qualtool.files.codebook import load_codebook
from qualtool.files.study import SHIPPED_CODEBOOK
from qualtool.nlp import analyzer

BANK = (
    Path(__file__).resolve().parent.parent / "qualtool" / "autocode" / "data" / "barriers.bank.json"
)


def main() -> None:
    doc = json.loads(BANK.read_text(encoding="utf-8"))
    ana = analyzer("ru")
    texts = [t for texts in doc["bank"].values() for t in texts] + doc["none"]
    doc["lemmas"] = {t: " ".join(x.lemma for x in tokens(ana, t) if x.is_word) for t in texts}
    # what each code meant when its passages were written (bank.Bank.for_codes checks it)
    shipped = load_codebook(SHIPPED_CODEBOOK)
    doc["codes"] = {cid: [shipped.get(cid).label_ru, shipped.get(cid).definition or ""]
                    for cid in doc["bank"]}  # fmt: skip
    BANK.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{BANK.name}: lemmas of {len(texts)} passages")


if __name__ == "__main__":
    main()
