"""Identifiers that follow a format: IIN/BIN (with the checksum), Kazakh phone numbers (mobile
and city landlines, +7 or 8, any spaces, dashes, brackets), e-mails and street addresses.

A format is checked, not guessed: a 12-digit number is an IIN/BIN only if its control digit
is right (or the word ИИН/БИН stands next to it), so order and contract numbers stay.
An address needs a house number: «на ул. Абая» identifies nobody, «ул. Абая, д. 12» does.
"""

from __future__ import annotations

import re

from qualtool.privacy.entity import Entity, Kind

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_valid(number: str) -> bool:
    """The Kazakh IIN/BIN control digit (12th): weighted sum mod 11, second weights on 10."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 12:
        return False
    check = sum(d * w for d, w in zip(digits, _W1, strict=False)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _W2, strict=False)) % 11
        if check == 10:
            return False
    return check == digits[11]


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_IIN = re.compile(r"(?<![\d+])\d{6}[\s-]?\d{6}(?!\d)")
_IIN_CUE = re.compile(r"(?:ИИН|БИН|ЖСН|иин|бин)\w{0,3}[\s:№-]*$")
_SEP = r"[\s\-–()]*"
# +7/8 then ten digits with any separators: mobile +7 701 123 45 67, city +7 (727) 2-123-456
_PHONE = re.compile(rf"(?<![\d\w+])(?:\+\s?7|8|7(?=\s?\(?7))(?:{_SEP}\d){{10}}(?![\d])")
# a local city number written as a phone: 272-12-34, 2-123-456, 55-55-55
_LOCAL_PHONE = re.compile(
    r"(?<![\d\-])(?:\d{3}-\d{2}-\d{2}|\d-\d{3}-\d{3}|\d{2}-\d{2}-\d{2})(?![\d\-])"
)
_STREET = (
    r"(?:ул\.|ул\s|улиц[аеыу]|пр\.|пр-т|просп\.|проспект[аеу]?|мкр\.?|мкрн\.?|микрорайон[аеу]?|"
    r"пер\.|переул(?:ок|ке|ка)|бульвар[аеу]?|б-р|ш\.|шоссе|наб\.|набережн\w+|пл\.|площад[ьи])"
)
_NUM = r"\d+[а-яА-Яa-z]?(?:/\d+)?"
_HOUSE = rf"(?:,?\s*(?:д\.|дом|д)\s*№?\s*{_NUM}|,?\s+{_NUM}|-\d+,?\s*(?:д\.|дом)\s*{_NUM})"
_FLAT = r"(?:,?\s*(?:кв\.|квартира|кв|пәтер)\s*№?\s*\d+)"
_ADDRESS = re.compile(
    rf"(?:{_STREET}\s*[А-ЯЁA-ZӘҒҚҢӨҰҮҺІ0-9][\w-]*(?:\s+[А-ЯЁ][\w-]*)?(?:\s+(?:көшесі|даңғылы))?"
    rf"{_HOUSE}{_FLAT}?"
    rf"|[А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+\s+(?:көшесі|даңғылы)\s*,?\s*{_NUM}(?:\s*(?:үй|-үй))?{_FLAT}?"
    rf"|\b(?:дом|д\.)\s*№?\s*{_NUM}{_FLAT}"
    rf"|\b(?:квартир[аеуы]|кв\.)\s*№?\s*\d+)",
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find(text: str) -> list[Entity]:
    """Rule findings, in the order e-mail, IIN, phone, address (earlier kinds win overlaps)."""
    found: list[Entity] = []
    taken = [False] * len(text)

    def add(kind: Kind, m: re.Match[str], key: str) -> None:
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in " ,":
            end -= 1
        if any(taken[start:end]):
            return
        found.append(Entity(kind, start, end, text[start:end], key))
        taken[start:end] = [True] * (end - start)

    for m in _EMAIL.finditer(text):
        add(Kind.EMAIL, m, m.group().lower())
    for m in _IIN.finditer(text):
        if iin_valid(m.group()) or _IIN_CUE.search(text[max(0, m.start() - 12) : m.start()]):
            add(Kind.IIN, m, _digits(m.group()))
    for m in _PHONE.finditer(text):
        d = _digits(m.group())
        add(Kind.PHONE, m, "7" + d[1:])
    for m in _LOCAL_PHONE.finditer(text):
        add(Kind.PHONE, m, _digits(m.group()))
    for m in _ADDRESS.finditer(text):
        add(Kind.ADDRESS, m, " ".join(m.group().lower().split()))
    return found
