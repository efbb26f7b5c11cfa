"""One message catalogue for everything a user reads (TUI and CLI), through gettext.

Source strings are English; the Russian catalogue is the default for Russian studies. A
translator adds a language (Kazakh …) as a new `.po` file under `locale/`, with no code change:
`locale/kk/LC_MESSAGES/qualtool.po` (copy `qualtool.pot`, translate), then `ui_language = "kk"`
in study.toml or `QUALTOOL_LANG=kk`. Every module that shows text imports `_` from here and
wraps its literals: `_("Codebook")`; text defined before a language is chosen (class constants,
key bindings) is marked with `N_` and translated where it is shown.

The `.po` files are the only catalogue form in the package: they are compiled in memory with
babel on first use, so a translator's edit is live on the next start with no build step.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "qualtool"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
ENV = "QUALTOOL_LANG"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def available_languages() -> tuple[str, ...]:
    """English (the source) and every language with a catalogue under locale/."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *found)


def resolve_language(configured: str | None = None, study_languages: tuple[str, ...] = ()) -> str:
    """QUALTOOL_LANG, then study.toml's `ui_language`, then Russian for a study spoken in
    Russian, then the user's locale (LANG/LC_ALL), else English. Unknown codes are skipped
    (the interface names them: `unknown_language`)."""
    known = available_languages()
    candidates = [os.environ.get(ENV, ""), configured or ""]
    if "ru" in study_languages:
        candidates.append("ru")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        candidates.append(os.environ.get(var, ""))
    candidates.append((locale.getlocale()[0] or "") if not study_languages else "")
    for raw in candidates:
        code = _code(raw)
        if code in known:
            return code
    return SOURCE_LANGUAGE


def _code(raw: str) -> str:
    """`ru_RU.UTF-8` → `ru`."""
    return raw.strip().split(".")[0].split("_")[0].lower()


def unknown_language(raw: str | None, source: str) -> str | None:
    """A language asked for by name (QUALTOOL_LANG, study.toml's ui_language) that has no
    catalogue: resolve_language passes over it, and this sentence says so, in the language then
    spoken (call it after set_language) — a typo used to fall back without a word. None when
    the name is known or not given."""
    if not raw or not raw.strip() or _code(raw) in available_languages():
        return None
    return _("{source}={value}: unknown interface language, showing {current} "
             "(available: {known})").format(source=source, value=raw.strip(),
                                            current=_language,
                                            known=", ".join(available_languages()))  # fmt: skip


def study_language(configured: str | None, study_languages: tuple[str, ...]) -> str:
    """The language of the words qualtool itself writes into a study's shared files (a memo
    on a re-anchored or adjudicated coding): study.toml's `ui_language`, else Russian for a
    study spoken in Russian, else English — never one user's QUALTOOL_LANG or locale, so every
    machine of the team writes the same words."""
    known = available_languages()
    for raw in (configured or "", "ru" if "ru" in study_languages else ""):
        if _code(raw) in known:
            return _code(raw)
    return SOURCE_LANGUAGE


def translate(message: str, language: str) -> str:
    """`message` in `language`, whatever the interface speaks now."""
    if language == SOURCE_LANGUAGE or language not in available_languages():
        return message
    return _load(language).gettext(message)


def set_language(language: str) -> None:
    """Switch the catalogue; an unknown language falls back to the English source strings."""
    global _translations, _language
    if language == SOURCE_LANGUAGE or language not in available_languages():
        _translations, _language = gettext.NullTranslations(), SOURCE_LANGUAGE
    else:
        _translations, _language = _load(language), language


def current_language() -> str:
    return _language


@cache
def _load(language: str) -> gettext.NullTranslations:
    """Compile locale/<language>/LC_MESSAGES/qualtool.po in memory (fuzzy entries skipped)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark for extraction only: translated later with `_()` where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a counted message for extraction only: `ngettext(*pair, n)` where it is shown."""
    return singular, plural
