"""Move read test splits' respondent turns into the training bank (qualtool/autocode/bank.py):
    python scripts/bank_from_splits.py test,test2,test3,test4,test5,test6,test7,test8,test9
Once a split's figures have been measured and its misses read, it no longer measures a
stranger's words, but it is still nine authors' worth of real interview turns — coded by a
careful coder, with two codes where a turn holds two barriers, and with the turns that hold
none. Learned by the classifier and the n-gram reader, they lifted recall and precision on the
splits left out (bench/autocode.py; session 15's note). The interviewer's turns are left out
by the bench's own rule (`interviewer_turns`). A turn with two codes is a passage of each:
the bank then asks the classifier for half of each, which is what such a turn is. Idempotent:
a passage already under its code is skipped. The splits named are recorded in the bank's
`about`, and bench/autocode.py reports them as fitted on. Run scripts/bank_lemmas.py and
scripts/fit_grams.py after it, then refit the calibration (bench/autocode.py --fit)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bank_add import BANK, _key

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from autocode import interviewer_turns, load_heldout


def main(splits: list[str]) -> int:
    doc = json.loads(BANK.read_text(encoding="utf-8"))
    known = {r["split"] for r in load_heldout()}
    unknown = sorted(set(splits) - known)
    if unknown or not splits:
        print(f"unknown split(s): {', '.join(unknown) or '(none given)'}", file=sys.stderr)
        return 1
    there = {(code, _key(t)) for code, texts in doc["bank"].items() for t in texts}
    there |= {("", _key(t)) for t in doc["none"]}
    added = 0
    for rec in load_heldout():
        if rec["split"] not in splits:
            continue
        for turn, asks in zip(rec["turns"], interviewer_turns(rec), strict=True):
            if asks:
                continue
            text = " ".join(str(turn["t"]).split())
            for code in turn.get("c") or [""]:
                if (code, _key(text)) in there:
                    continue
                there.add((code, _key(text)))
                (doc["bank"][code] if code else doc["none"]).append(text)
                added += 1
    note = f"read test splits, their respondent turns: {', '.join(splits)}"
    doc["about"] = [x for x in doc["about"] if not x.startswith("read test splits")] + [note]
    BANK.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{BANK.name}: +{added} passages from {', '.join(splits)}")
    return 0


if __name__ == "__main__":
    sys.exit(main([s for s in ",".join(sys.argv[1:]).split(",") if s]))
