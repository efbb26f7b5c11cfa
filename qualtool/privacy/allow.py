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
Наурыз Жана Новый Айтуар
"""


class AllowList:
    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = {normalise(w) for w in (*DEFAULTS.split(), *words) if w.strip()}

    def allows(self, word: str) -> bool:
        """The word itself, or one of its case forms (ЦОНа, Алматы, Астане)."""
        low = normalise(word)
        if low in self.words:
            return True
        return any(low.startswith(w) and len(low) - len(w) <= 3 and len(w) >= 3
                   for w in self.words)  # fmt: skip


def load(root: Path, metadata: Iterable[str | None] = ()) -> AllowList:
    """The study's allow-list: defaults + privacy/allow.yml + words of regions and services."""
    words: list[str] = []
    path = root / ALLOW_FILE
    if path.exists():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        items = data.get("allow", []) if isinstance(data, dict) else data
        words += [str(x) for x in items or []]
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
