"""Re-extract the interface strings and bring every catalogue up to date.

    python scripts/i18n.py            # writes qualtool/i18n/locale/qualtool.pot, updates *.po
    python scripts/i18n.py --check    # exit 1 if the .pot is stale or a catalogue has gaps

Strings are found by babel (babel.cfg): `_()`, `ngettext()`, `N_()`, `NN_()` and the description
of a `Binding(key, action, description)`; and, by this script, the docstring of every click
command in qualtool/cli/ (a command's help, printed translated by cli/help_texts.py). A new language: `mkdir -p
qualtool/i18n/locale/kk/LC_MESSAGES && cp qualtool/i18n/locale/qualtool.pot
qualtool/i18n/locale/kk/LC_MESSAGES/qualtool.po`, translate, run this script.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "qualtool" / "i18n" / "locale"
POT = LOCALE / "qualtool.pot"
KEYWORDS = {"_": None, "N_": None, "NN_": (1, 2), "ngettext": (1, 2), "Binding": (3,)}

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def extract() -> Catalog:
    # a fixed creation date: a header stamped at each run made every two branches that touched
    # strings conflict on that one line, and merges left conflict markers in the catalogues
    catalog = Catalog(project="qualtool", version="0.1", fuzzy=False, charset="utf-8",
                      creation_date=CREATED)  # fmt: skip
    # every package: the interface, and the messages of errors raised below it (store, files,
    # domain, the feature services), which reach the user as the CLI line or a TUI notification
    method_map = [("qualtool/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for filename, lineno, doc in command_docstrings():
        catalog.add(doc, None, [(filename, lineno)])
    return catalog


def command_docstrings() -> Iterator[tuple[str, int, str]]:
    """A click command's docstring is its help, which no `_()` can wrap: every function under
    a `command`/`group` decorator (`@command()`, `@codebook.command()`, `@click.group()` …),
    its docstring as click shows it (`inspect.cleandoc`, which `clean=True` applies)."""
    for path in sorted((ROOT / "qualtool" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(map(_is_command, node.decorator_list)):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    yield str(path.relative_to(ROOT)), node.lineno, doc


def _is_command(decorator: ast.expr) -> bool:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("command", "group")


def _dump(catalog: Catalog, **kw: object) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=True, **kw)  # type: ignore[arg-type]
    return buf.getvalue()


def missing(po: Catalog) -> list[str]:
    out = []
    for m in po:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    template = extract()
    pot = _dump(template, no_location=True)
    status = 0
    if args.check:
        if not POT.exists() or POT.read_bytes().split(b"\n\n", 1)[1] != pot.split(b"\n\n", 1)[1]:
            print("qualtool.pot is stale: run python scripts/i18n.py")
            status = 1
    else:
        POT.write_bytes(pot)
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/qualtool.po")):
        lang = path.parent.parent.name
        with path.open("rb") as fh:
            po = read_po(fh, locale=lang)
        po.update(template, no_fuzzy_matching=True)
        po.obsolete.clear()
        if not args.check:
            path.write_bytes(_dump(po, no_location=True))
        gaps = missing(po)
        print(f"{lang}: {len(list(po)) - 1} messages, {len(gaps)} untranslated")
        status = status or (1 if gaps and args.check else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
