"""The people the study knows, found by their words in any text, in any case form and any
letter case: what `--apply` and the exports replace outside the transcript
(`outside_names.known_in`) and, in the transcript, what the detector missed in one segment
and found in another (`review.segment_findings`: «Зауреш» at a segment's start, «ЗАУРЕШ»,
«зауреш» are the Зауреш it found mid-sentence, or the interviewer of the recordings'
metadata).

Here, below `review` and `outside_names`, so both read the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qualtool.privacy import key_names, names
from qualtool.privacy.entity import Entity, Kind

WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # the words a person's key is made of


Known = dict[str, dict[str, Entity]]  # first word → the words (lowercased) → their entity


def reviewed(spans: Iterable[Entity]) -> Known:
    """The words of every span the review replaces in the segments (found and not rejected,
    or added), to be found in every other text too: a name the detector misses — above all
    one the reviewer added on its segment — was replaced in the transcript and stayed in the
    coder's memo, the recording's notes, a speaker label. Each keeps its entity, so its key:
    the same pseudonym as in the segment. In memory only (the originals are the vault's)."""
    out: Known = {}
    for e in spans:
        words = " ".join(e.text.lower().split())
        first = WORD.findall(words)
        if first:  # looked up by its first word (a phone's «+7» by «7»)
            out.setdefault(first[0], {}).setdefault(words, e)
    return out


def case_forms(text: str, known: Known) -> list[Entity]:
    """The known people in `text` in another case form, or by one word of their name: the
    reviewer added «Вера» on its segment and the recording's notes say «Вере тоже», the segment
    named «Айгүл Серікқызы» and a memo «Айгүл» — those stayed after `--apply`, the words being
    matched only as the segment spelt them. A run of words whose identities (`names.identity`)
    are a known person's key is that person (the segment's pseudonym); one word of a known name
    on its own is a name of its own, keyed as the detector keys it. Capitalised words only,
    in capitals, or in lower case where no dictionary word is spelt so (or the name was written
    in lower case where it was reviewed): «надежды нет» in a memo is not Надежда, «зауреш» is
    Зауреш."""
    people: dict[tuple[str, ...], Entity] = {}
    lower: set[str] = set()  # identities of words reviewed in lower case
    for by in known.values():
        for words, e in by.items():
            ids = tuple(e.key.split())
            if e.kind is not Kind.PERSON or not ids:
                continue
            people.setdefault(ids, e)
            for w in ids:
                people.setdefault((w,), Entity(Kind.PERSON, 0, 0, w, w, e.source))
            if words == e.text.lower() and not any(c.isupper() for c in e.text):
                lower.update(ids)
    if not people:
        return []
    longest = max(len(k) for k in people)
    tokens = [(m.start(), m.end(), m.group()) for m in _NAME_WORD.finditer(text)]
    # a word in capitals («ЗАУРЕШ») is read as capitalised; one in lower case where no
    # dictionary word is spelt so («зауреш», «айгулька»: `names.only_a_name`)
    plain = [w[:1].isupper() or names.only_a_name(w) for _a, _b, w in tokens]
    word_ids = [names.identity(w) if len(w) >= 2 and (plain[k] or lower) else ""
                for k, (_a, _b, w) in enumerate(tokens)]  # fmt: skip
    out: list[Entity] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            run = range(i, i + n)
            key = tuple(word_ids[k] for k in run)
            if (
                key not in people
                or not all(plain[k] or word_ids[k] in lower for k in run)
                or any(text[tokens[k][1] : tokens[k + 1][0]].strip() for k in run[:-1])
            ):
                continue
            e, a, b = people[key], tokens[i][0], tokens[i + n - 1][1]
            out.append(Entity(Kind.PERSON, a, b, text[a:b], e.key, e.source, e.legacy))
            i += n - 1
            break
        i += 1
    return out


def missed(text: str, found: list[Entity], known: Known) -> list[Entity]:
    """The study's known people in a segment's `text` where the detector found nothing
    (`found`): a name at a segment's start it did not take for one, in capitals or in lower
    case. A single word that is also a common word («Вера», «Надежда») counts wherever it is
    capitalised, at a sentence start too: the study knows the person, so «Вера сказала» next
    to a «тётя Вера» replaced is hers, and left as written it would pair her pseudonym with her
    name. Privacy over precision: «Вера в людей пропала» in a study that knows a Вера is
    replaced too (the reviewer can reject it); in lower case a common word stays a word —
    «вера ушла», «надежды нет». A known person's name in Latin letters is theirs too
    («Aigul», «Gulnara» alone, which the detector takes only in a pair)."""
    out: list[Entity] = []
    # … and in Latin letters («Aigul» of a known Айгуль: `key_names`' transliteration)
    for e in [*case_forms(text, known), *key_names.find(text, known, latin_only=True)]:
        if any(f.start < e.end and e.start < f.end for f in found):
            continue
        if (
            " " not in e.text.strip()
            and names.common_word(names.normalise_word(e.text))
            and not e.text[:1].isupper()
        ):
            continue
        if not any(f.start < e.end and e.start < f.end for f in out):
            out.append(e)
    return out
