"""What must not be replaced although it looks like a name: cities, regions, agencies, streets
named after people when they are only a street. Built-in defaults, plus the study's own list
in `privacy/allow.yml` (plain words, never personal data), plus the study's recording metadata
(regions and services), so «Алматы» or «ЦОН Бостандыкского района» stay in the quotes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml import YAML

from qualtool.nlp import normalise

ALLOW_FILE = Path("privacy") / "allow.yml"

DEFAULTS = """
Алматы Алма-Ата Астана Нур-Султан Шымкент Караганда Караганды Актобе Тараз Павлодар Семей
Усть-Каменогорск Өскемен Атырау Костанай Кызылорда Уральск Орал Петропавловск Актау Талдыкорган
Туркестан Кокшетау Экибастуз Жезказган Темиртау Қарағанды Ақтөбе Қостанай Қызылорда Түркістан
Казахстан Қазақстан Россия Москва Алатау Медеу Бостандык Ауэзов Жетысу Турксиб Наурызбай
ЦОН ЦОНе eGov Egov ЕГОВ акимат Акимат Госкорпорация ЕНПФ ЭЦП НАО ГК МВД Казпочта Kaspi Каспи
Халык Халык-банк Сбербанк КГД МИО СЭС ТОО ИП РК Минздрав Минтруд Бог Аллах Рахмет Спасибо
Наурыз
"""


# Russian case endings and Kazakh case suffixes an allowed word may carry: «ЦОНа», «Астане»,
# «Алматыда»; anything else is another word («Жанарға» is not «Жана»)
_ENDINGS = frozenset(
    [
        "а",
        "я",
        "у",
        "ю",
        "е",
        "ы",
        "и",
        "ом",
        "ем",
        "ой",
        "ей",
        "ам",
        "ах",
        "ями",
        "ами",
        "ах",
        "ях",
        "ов",
        "ев",
        "ой",
        "ою",
        "да",
        "де",
        "та",
        "те",
        "ға",
        "ге",
        "қа",
        "ке",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ны",
        "ні",
        "ды",
        "ді",
    ]
) | {""}


class AllowList:
    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = {normalise(w) for w in (*DEFAULTS.split(), *words) if w.strip()}

    def allows(self, word: str) -> bool:
        """The word itself, or one of its case forms (ЦОНа, Алматы, Астане)."""
        low = normalise(word)
        if low in self.words:
            return True
        for w in self.words:
            # «Астана» → «Астану», «Астане»: the stem without a final vowel, plus an ending
            stem = w[:-1] if w[-1:] in "аяеоиыу" and len(w) > 4 else w
            for base in (w, stem):
                if len(base) >= 3 and low.startswith(base) and low[len(base) :] in _ENDINGS:
                    return True
        return False


def load(root: Path, metadata: Iterable[str | None] = ()) -> AllowList:
    """The study's allow-list: defaults + privacy/allow.yml + words of regions and services."""
    words: list[str] = []
    path = root / ALLOW_FILE
    if path.exists():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        items = data.get("allow", []) if isinstance(data, dict) else data
        # an entry of several words («Гульнара Сериковна») allows each: the detector asks
        # word by word
        words += [w for x in items or [] for w in str(x).split()]
    for value in metadata:
        words += [w.strip(",.()«»") for w in (value or "").split() if len(w) > 2]
    return AllowList(words)


def add(root: Path, word: str) -> None:
    """Append one word to privacy/allow.yml (the TUI's «always allow»)."""
    path = root / ALLOW_FILE
    path.parent.mkdir(exist_ok=True)
    current = []
    if path.exists():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        current = [str(x) for x in (data.get("allow", []) if isinstance(data, dict) else data)]
    if word in current:
        return
    current.append(word)
    lines = ["# Words anonymisation keeps (places, agencies). One per line; no personal data.",
             "allow:", *(f"  - {w!r}" if ":" in w else f"  - {w}" for w in sorted(current))]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
