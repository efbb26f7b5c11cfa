"""Kazakh turns against the codebook's Kazakh keywords (`keywords_kk`), by stem.

Kazakh is agglutinative and pymorphy3 does not know it, so a Kazakh word cannot be lemmatised
like a Russian one: «кезекте», «кезекке», «кезектерде» are all «кезек» with endings. A keyword
is cut to its stem once (common plural, case, possessive and verb endings stripped, never
below `MIN_STEM` letters, so «пара» does not become «па» and match everything), and a word of
the turn matches when it starts with that stem. A keyword of several words matches as stems
in a row (one word may stand between them: «ақша да сұрады»). Stems ending in к/қ/п also
match their voiced forms (кезек → «кезегі», ақ → «ағы», кітап → «кітабы»).

Which turns are Kazakh is decided here too (`is_kazakh`): by the recording's language, else by
the share of words that are distinctly Kazakh, so one Kazakh name in a Russian turn does not
switch the turn to Kazakh.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualtool.domain import Codebook

MIN_STEM = 4  # letters a one-word keyword keeps after its endings are stripped
MIN_PHRASE_STEM = 3  # in a phrase the other words narrow the match: «тұрдық» → «тұр»
SHORT_STEM = 5  # a stem this short matches only when the rest of the word is endings
PHRASE_GAP = 1  # words that may stand between the words of a phrase
KAZAKH_SHARE = 0.2  # at least one word in five distinctly Kazakh
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_KAZAKH_LETTER = re.compile("[әғқңөұүһі]")
# frequent Kazakh words written with Russian letters only: they mark a turn as Kazakh as the
# letters әғқңөұүһі do


def _listed(text: str) -> list[str]:
    """A word list written as one string: easier to read and extend than a quoted list."""
    return text.split()


FUNCTION_WORDS = frozenset(
    _listed(
        "және бар жоқ жок деп емес керек болды болып болса болмады сосын содан осы сол бұл ол олар "
        "еді ма ме ба бе па пе ғой ғана енді тағы барып алып берді жатыр тұр мен сен сіз біз "
        "маған саған оған бізге сізге оның менің сенің иә рахмет мынау анау неге неше қалай "
        "ешқандай барлығы өте дейді деді айтты"
    )
)
# endings stripped from a keyword, longest first (plural, case, possessive, verb forms); the
# negation -ма/-ме/-ба/-бе/-па/-пе is never stripped, so «ашылмады» never matches «ашылды»
# (nor are -ады/-еді, which would take the negation's м along, or single consonants)
ENDINGS = tuple(sorted(set(_listed(
    "лар лер дар дер тар тер "
    "ға ге қа ке на не да де та те нда нде ында інде дан ден тан тен нан нен "
    "ның нің дың дің тың тің ны ні ды ді ты ті ын ін мен бен пен ша ше "
    "ым ім ың ің сы сі мыз міз ңыз ңіз ымыз іміз ыңыз іңіз ы і "
    "у ған ген қан кен ғанда генде дық дік тық тік дым дім тым тім ып іп "
    "йды йді атын етін йтын йтін са се сақ сек ды ді ты ті дыр дір "
    "мын мін пын пін бын бін сың сің"
)), key=lambda e: (-len(e), e)))  # fmt: skip
# what may follow a short stem: the endings and the short verb and possessive endings after a
# vowel (-п, -м, -ң, -й, -н); not a lone к/қ («пара» + «қ» is «парақ», a page, not a bribe)
_ENDINGS_ONLY = re.compile("(?:" + "|".join([*ENDINGS, "п", "м", "ң", "й", "н"]) + ")*")
# past, converb, verbal noun and participle endings: these alone may cut a phrase's word to
# three letters
VERB_ENDINGS = tuple(sorted(_listed(
    "дық дік тық тік дым дім тым тім ды ді ты ті ып іп у ған ген қан кен"
), key=lambda e: (-len(e), e)))  # fmt: skip
_MIXED_I = re.compile("(?<=[а-яёәғқңөұүһі])i|i(?=[а-яёәғқңөұүһі])")
_VOICED = {"к": "г", "қ": "ғ", "п": "б"}


def lower(text: str) -> str:
    """Lower case with the Kazakh letters (str.lower knows them); a Latin i typed for і inside
    a Cyrillic word is read as і (keyboards without the letter make people write it), while
    «Digital ID» stays Latin."""
    return _MIXED_I.sub("і", text.lower())


def words(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(lower(text))]


def is_kazakh(text: str, language: str | None = None) -> bool:
    """Kazakh by the recording's language, else when at least one word in five is distinctly
    Kazakh (its letters or a frequent Kazakh word) and there are two such words (a turn of one
    or two words needs only one). A capitalised word inside a sentence is a name and is no
    evidence: «Мне помог Ерлан Әбілов» and «… Гүлнара Қасымқызы подтвердит» stay Russian."""
    if language == "kk":
        return True
    said = words(text)
    # at most this many words are evidence (names not yet set aside): most Russian turns have
    # none, and are answered without the word-by-word look at capitals below
    if not _enough(sum(w in FUNCTION_WORDS or _KAZAKH_LETTER.search(w) is not None
                       for w in said), len(said)):  # fmt: skip
        return False
    n = k = 0
    for m in _WORD.finditer(text):
        n += 1
        word = m.group()
        if word[0].isupper() and _last_mark(text, m.start()) not in ".!?…":
            continue  # a name
        low = lower(word)
        k += low in FUNCTION_WORDS or _KAZAKH_LETTER.search(low) is not None
    return _enough(k, n)


def _enough(k: int, n: int) -> bool:
    """`k` distinctly Kazakh words of `n` make a Kazakh turn."""
    return n > 0 and k >= KAZAKH_SHARE * n and (k >= 2 or n <= 2)


def _last_mark(text: str, end: int) -> str:
    """The last non-space character before `end` ("." at the start of the text, where a
    capital opens a sentence); it scans back over the spaces only, as slicing the text before
    every word made the check quadratic in the turn's length."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else "."


def stem(word: str, phrase: bool = False) -> str:
    """A keyword word without its endings, stripped while at least `MIN_STEM` letters remain.
    In a phrase a verb ending may leave `MIN_PHRASE_STEM` letters («бардым» → «бар»: the
    phrase's other words keep the match narrow); a case ending may not («қайта» stays, «қай»
    would be "which")."""
    word = lower(word)
    if phrase:
        for end in VERB_ENDINGS:
            if word.endswith(end) and len(word) - len(end) >= MIN_PHRASE_STEM:
                return word[: -len(end)]
    changed = True
    while changed:
        changed = False
        for end in ENDINGS:
            if word.endswith(end) and len(word) - len(end) >= MIN_STEM:
                word = word[: -len(end)]
                changed = True
                break
    return word


def _variants(st: str) -> tuple[str, ...]:
    """The stem and its voiced form: «кезек» is «кезег-» before a vowel («кезегі»)."""
    voiced = _VOICED.get(st[-1:])
    return (st, st[:-1] + voiced) if voiced else (st,)


def matches(st: str, word: str) -> bool:
    """Whether a word of the turn is the stem with endings: a short stem needs the rest of the
    word to be endings («пара» → «парасын», not «парақ»)."""
    for v in _variants(st):
        if word.startswith(v):
            rest = word[len(v) :]
            if len(v) > SHORT_STEM or not rest or _ENDINGS_ONLY.fullmatch(rest):
                return True
    return False


@dataclass(frozen=True, slots=True)
class KazakhKeyword:
    code_id: str
    stems: tuple[str, ...]
    written: str
    weight: float  # 1 / the number of codes with the same stems


def keyword_stems(keyword: str) -> tuple[str, ...]:
    parts = words(keyword)
    return tuple(stem(p, phrase=len(parts) > 1) for p in parts)


class KazakhMatcher:
    """Every code's Kazakh keywords, indexed by their first stem's first three letters so a
    turn costs a dictionary probe per word."""

    def __init__(self, codebook: Codebook) -> None:
        found: list[tuple[str, tuple[str, ...], str]] = []
        sharing: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for _, code in codebook.walk():
            for kw in code.keywords_kk:
                stems = keyword_stems(kw)
                if stems and len(stems[0]) >= MIN_PHRASE_STEM:
                    found.append((code.id, stems, kw))
                    sharing[stems].add(code.id)
        self.index: dict[str, list[KazakhKeyword]] = defaultdict(list)
        for code_id, stems, kw in found:
            keyword = KazakhKeyword(code_id, stems, kw, 1.0 / len(sharing[stems]))
            for v in _variants(stems[0]):
                self.index[v[:MIN_PHRASE_STEM]].append(keyword)

    def __bool__(self) -> bool:
        return bool(self.index)

    def find(self, forms: Sequence[str]) -> list[tuple[KazakhKeyword, str]]:
        """(keyword, the words of the turn it matched), in the turn's order; each keyword
        once."""
        said = [lower(f) for f in forms]
        out: list[tuple[KazakhKeyword, str]] = []
        seen: set[tuple[str, str]] = set()
        for i, word in enumerate(said):
            for kw in self.index.get(word[:MIN_PHRASE_STEM], ()):
                if (kw.code_id, kw.written) in seen or not matches(kw.stems[0], word):
                    continue
                end = _rest(kw.stems[1:], said, i + 1)
                if end is not None:
                    seen.add((kw.code_id, kw.written))
                    out.append((kw, " ".join(forms[i:end])))
        return out

    def score(self, forms: Sequence[str]) -> dict[str, tuple[float, list[str]]]:
        """Code id → (summed weight of its keywords found, the words said)."""
        out: dict[str, tuple[float, list[str]]] = {}
        for kw, said in self.find(forms):
            score, found = out.get(kw.code_id, (0.0, []))
            out[kw.code_id] = (score + kw.weight, [*found, said])
        return out


def _rest(stems: Iterable[str], said: list[str], start: int) -> int | None:
    """Where a phrase's remaining stems end when they follow from `start` (each within
    `PHRASE_GAP` words of the one before), else None."""
    pos = start
    for st in stems:
        for j in range(pos, min(pos + PHRASE_GAP + 1, len(said))):
            if matches(st, said[j]):
                pos = j + 1
                break
        else:
            return None
    return pos
