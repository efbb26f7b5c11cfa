"""Add newly written passages to the training bank (qualtool/autocode/bank.py):
    python scripts/bank_add.py NEW.yml [NEW2.yml ...]
Each file: `passages: {CODE.ID: [passage, ...]}` and `none: [passage, ...]` (turns with no
barrier). A passage labelled with a code the shipped codebook's leaves lack is refused with its
line, and nothing is written; one already in the bank (or given twice) is skipped and named:
one label per passage, or the bank teaches two answers for the same words. Run scripts/bank_lemmas.py and
scripts/fit_grams.py after it, then refit the calibration (bench/autocode.py --fit)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ruamel.yaml import YAML

from qualtool.files.codebook import load_codebook
from qualtool.files.study import SHIPPED_CODEBOOK

BANK = (
    Path(__file__).resolve().parent.parent / "qualtool" / "autocode" / "data" / "barriers.bank.json"
)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def main(paths: list[str]) -> int:
    doc = json.loads(BANK.read_text(encoding="utf-8"))
    shipped = load_codebook(SHIPPED_CODEBOOK)
    leaves = {c.id for _, c in shipped.walk() if not shipped.children(c.id)}
    seen = {_key(t) for texts in doc["bank"].values() for t in texts} | {
        _key(t) for t in doc["none"]
    }
    added: dict[str, list[str]] = {}
    problems: list[str] = []
    skipped: list[str] = []
    for path in paths:
        new = YAML(typ="safe").load(Path(path).read_text(encoding="utf-8")) or {}
        labelled = [(code, str(t)) for code, texts in (new.get("passages") or {}).items()
                    for t in texts or ()] + [("", str(t)) for t in new.get("none") or ()]  # fmt: skip
        for code, text in labelled:
            if code and code not in leaves:
                problems.append(f"{path}: unknown code {code}: {text[:60]}")
            elif _key(text) in seen:
                skipped.append(f"{path}: already in the bank ({code or 'none'}): {text[:60]}")
            else:
                seen.add(_key(text))
                added.setdefault(code, []).append(text.strip())
    for line in skipped:
        print(f"skipped — {line}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for code, texts in added.items():
        if code:
            doc["bank"].setdefault(code, []).extend(texts)
        else:
            doc["none"].extend(texts)
    BANK.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{BANK.name}: +{sum(map(len, added.values()))} passages "
          f"({len(added.get('', []))} without a barrier)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
