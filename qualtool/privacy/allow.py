"""What must not be replaced although it looks like a name: cities, regions, agencies, streets
named after people when they are only a street. Built-in defaults, plus the study's own list
in `privacy/allow.yml` (plain words, never personal data), plus the study's recording metadata
(regions and services), so «Алматы» or «ЦОН Бостандыкского района» stay in the quotes.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import write_if_changed
from qualtool.i18n import _
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
        # an entry of several words («Гульнара Сериковна») allows each: the detector asks
        # word by word
        words += [w for x in _items(path) for w in str(x).split()]
    for value in metadata:
        words += [w.strip(",.()«»") for w in (value or "").split() if len(w) > 2]
    return AllowList(words)


def _items(path: Path) -> list[object]:
    """The words of privacy/allow.yml. A hand edit gone wrong is one line naming the file and
    its line (the listing, --apply, the review screen and the exports all stop on it, before
    anything is written): a traceback told the user nothing they could act on."""
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise InvalidInput(_("{path} is not valid YAML (line {line}): correct it and run the "
                             "command again").format(path=ALLOW_FILE.as_posix(),
                                                     line=mark.line + 1 if mark else "?")) from None  # fmt: skip
    except UnicodeDecodeError:
        raise InvalidInput(_("{path} is not UTF-8 text: save it as UTF-8 and run the command "
                             "again").format(path=ALLOW_FILE.as_posix())) from None  # fmt: skip
    items = data.get("allow") if isinstance(data, dict) else data
    if items is None:
        return []
    if not isinstance(items, list) or any(isinstance(x, dict | list) for x in items):
        raise InvalidInput(_("{path}: expected a list of words under `allow:`").format(
            path=ALLOW_FILE.as_posix()))  # fmt: skip
    return items


HEADER = "# Words anonymisation keeps (places, agencies). One per line; no personal data.\n"


def add(root: Path, word: str) -> bool:
    """Append one word to privacy/allow.yml (the TUI's «always allow»); True when the file
    changed. A list someone annotated by hand keeps its comments, order, quoting and
    indentation (ruamel round trip, the indentation guessed from the file): the word goes at
    the end. A word already there writes nothing; the same file and word give the same bytes."""
    path = root / ALLOW_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # what the user quoted stays quoted, and nothing else is
    yaml.width = 4096  # a long comment or entry is not re-wrapped
    try:
        _data, indent, dash = load_yaml_guess_indent(text) if text.strip() else (None, None, None)
        doc = yaml.load(text) if text.strip() else None
    except YAMLError as exc:  # a hand edit gone wrong: said, and the file left as it is
        mark = getattr(exc, "problem_mark", None)
        raise InvalidInput(_("{path} is not valid YAML (line {line}): correct it, then add the "
                             "word again").format(path=ALLOW_FILE.as_posix(),
                                                  line=mark.line + 1 if mark else "?")) from None  # fmt: skip
    yaml.indent(mapping=indent or 2, sequence=indent or 4, offset=2 if dash is None else dash)
    if doc is None:  # no file, or comments only: they stay, the list goes below them
        above = text if text.endswith("\n") else f"{text}\n" if text.strip() else HEADER
        return write_if_changed(path, above + _dump(yaml, {"allow": CommentedSeq([word])}))
    items = doc.get("allow") if isinstance(doc, dict) else doc
    if isinstance(doc, dict) and not isinstance(items, list):  # no `allow:` yet, or empty
        doc["allow"] = items = CommentedSeq()
    if not isinstance(items, list):
        raise InvalidInput(_("{path}: expected a list of words under `allow:`").format(
            path=ALLOW_FILE.as_posix()))  # fmt: skip
    if word in (str(x) for x in items):
        return False
    _append(items, word)
    return write_if_changed(path, _dump(yaml, doc))


def _append(items: list[object], word: str) -> None:
    """ruamel files the comment lines below a list (a closing note, the next section's heading)
    with its last item: appended plainly, the new word would land under them. They move down
    to the new item; a comment on the last item's own line stays there."""
    last = len(items) - 1
    items.append(word)
    comments = getattr(items, "ca", None)
    if comments is None or last < 0:
        return
    token = comments.items.get(last, [None])[0]
    if token is None:
        return
    own_line, _nl, below = token.value.partition("\n")
    if below:
        moved = copy.copy(token)
        token.value, moved.value = own_line + "\n", "\n" + below
        comments.items[last + 1] = [moved, None, None, None]


def _dump(yaml: YAML, doc: object) -> str:
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()
