"""The codebook as a human-edited YAML file, validated with line numbers.

YAML (with ruamel, which keeps line numbers and comments) because coders edit this file by
hand and review it in git diffs; every problem is reported with the line to fix, all at once.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from qualtool.domain import BarrierType, Code, Codebook, Example, Polarity
from qualtool.domain.errors import CodebookError
from qualtool.i18n import _

E = TypeVar("E", bound=Enum)

ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$")
COLOR_PATTERN = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
CODE_KEYS = {
    "id", "label_ru", "label_en", "definition", "include", "exclude", "examples", "keywords",
    "keywords_kk", "color", "polarity", "type", "children", "replaces",
}  # fmt: skip
TEXT_KEYS = ("label_ru", "label_en", "definition", "include", "exclude", "color")


def _line(node: Any, key: str | int | None = None) -> int:
    """1-based line of a node (or of one of its keys/items)."""
    try:
        if key is not None and isinstance(node, CommentedMap) and key in node:
            return int(node.lc.key(key)[0]) + 1
        if key is not None and isinstance(node, CommentedSeq):
            return int(node.lc.item(key)[0]) + 1
        return int(node.lc.line) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 1


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CodebookError(str(path), [(0, _("file not found"))]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(str(path), [(0, _("cannot read: {error}").format(error=exc))]) from exc
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        said = _("YAML syntax: {problem}").format(problem=_yaml_problem(exc))
        raise CodebookError(str(path), [(line, said)]) from exc


def _yaml_problem(exc: MarkedYAMLError) -> str:
    """ruamel's problem in the user's language, for the mistakes a hand edit makes; anything
    rarer keeps ruamel's (English) words."""
    problem, context = exc.problem or "", exc.context or ""
    if problem.startswith("mapping values are not allowed"):
        said = _("a «key: value» cannot stand here (check the indentation and the colons)")
    elif problem.startswith("expected <block end>"):
        said = _("the indentation does not match the lines around it")
    elif problem.startswith("found unexpected end of stream") and "quoted" in context:
        said = _("a quotation mark is not closed")
    elif problem.startswith("found character '\\t'"):
        said = _("a tab instead of spaces")
    elif problem.startswith("found duplicate key"):
        said = _("the same key twice in one place")
    elif problem.startswith("expected ',' or ']'") or problem.startswith("expected ',' or '}'"):
        said = _("a list or mapping in brackets is not closed")
    else:
        said = problem
    return said


def load_codebook(path: Path) -> Codebook:
    """Parse and validate; raises CodebookError listing every problem with its line."""
    doc = load_yaml(path)
    problems: list[tuple[int, str]] = []
    if not isinstance(doc, CommentedMap):
        raise CodebookError(str(path), [(1, _("expected a mapping with `codebook:` and `codes:`"))])
    meta = doc.get("codebook") or CommentedMap()
    if not isinstance(meta, CommentedMap) or not meta.get("name"):
        problems.append((_line(doc, "codebook"), _("`codebook:` needs a `name:`")))
        meta = CommentedMap()
    roots = doc.get("codes")
    if not isinstance(roots, CommentedSeq) or not roots:
        problems.append((_line(doc, "codes"), _("`codes:` must be a non-empty list")))
        roots = CommentedSeq()
    codes: list[Code] = []
    seen: dict[str, int] = {}
    _walk(roots, None, codes, seen, problems)
    replaced: dict[str, str] = {}
    for code in codes:
        for old in code.replaces:
            if old in seen:
                problems.append(
                    (
                        seen[code.id],
                        _("{code} replaces {old}, which still exists").format(
                            code=code.id, old=old
                        ),
                    )
                )
            elif old in replaced:
                problems.append(
                    (seen[code.id], _("{old} is replaced by two codes").format(old=old))
                )
            replaced[old] = code.id
    _check_groups(doc, set(seen) | set(replaced), problems)
    glossary = meta.get("glossary") or []
    if problems:
        raise CodebookError(str(path), sorted(problems))
    return Codebook(
        name=str(meta["name"]),
        version=str(meta["version"]) if meta.get("version") is not None else None,
        codes=tuple(codes),
        glossary=tuple(str(g) for g in glossary),
    )


def _walk(
    items: CommentedSeq,
    parent: str | None,
    out: list[Code],
    seen: dict[str, int],
    problems: list[tuple[int, str]],
) -> None:
    for pos, item in enumerate(items):
        if not isinstance(item, CommentedMap):
            problems.append((_line(items, pos), _("each code must be a mapping with an `id:`")))
            continue
        code = _parse_code(item, parent, pos, problems)
        code_id = item.get("id")
        if not isinstance(code_id, str):
            continue
        line = _line(item)
        if code_id in seen:
            problems.append(
                (
                    line,
                    _("duplicate id {code} (first at line {line})").format(
                        code=code_id, line=seen[code_id]
                    ),
                )
            )
        else:
            seen[code_id] = line
            if code is not None:
                out.append(code)
        children = item.get("children")
        if children is not None:
            if isinstance(children, CommentedSeq):
                _walk(children, code_id, out, seen, problems)
            else:
                problems.append((_line(item, "children"), _("`children:` must be a list")))


def _parse_code(
    item: CommentedMap, parent: str | None, pos: int, problems: list[tuple[int, str]]
) -> Code | None:
    line = _line(item)
    before = len(problems)
    for key in item:
        if key not in CODE_KEYS:
            problems.append(
                (
                    _line(item, key),
                    _("unknown key `{key}` (allowed: {allowed})").format(
                        key=key, allowed=_allowed()
                    ),
                )
            )
    code_id = item.get("id")
    if not isinstance(code_id, str) or not ID_PATTERN.match(code_id):
        problems.append(
            (line, _("bad or missing id {code!r}: use e.g. BUR or BUR.DELAY").format(code=code_id))
        )
        return None
    for key in TEXT_KEYS:
        if item.get(key) is not None and not isinstance(item[key], str):
            problems.append(
                (_line(item, key), _("{code}: `{key}` must be text").format(code=code_id, key=key))
            )
    if not item.get("label_ru"):
        problems.append((line, _("{code}: `label_ru` is required").format(code=code_id)))
    color = item.get("color")
    if color is not None and not COLOR_PATTERN.match(str(color)):
        problems.append(
            (_line(item, "color"), _("{code}: color must look like #RRGGBB").format(code=code_id))
        )
    polarity = _enum(item, "polarity", Polarity, Polarity.NEGATIVE, code_id, problems)
    btype = _enum(item, "type", BarrierType, BarrierType.ADMINISTRATIVE, code_id, problems)
    keywords = _str_list(item, "keywords", code_id, problems)
    keywords_kk = _str_list(item, "keywords_kk", code_id, problems)
    replaces = _str_list(item, "replaces", code_id, problems)
    examples = _examples(item, code_id, problems)
    if len(problems) > before:
        return None
    return Code(
        id=code_id,
        parent_id=parent,
        label_ru=str(item["label_ru"]),
        label_en=item.get("label_en"),
        definition=item.get("definition"),
        inclusion=item.get("include"),
        exclusion=item.get("exclude"),
        examples=examples,
        keywords=keywords,
        keywords_kk=keywords_kk,
        color=str(color) if color else None,
        polarity=polarity,
        barrier_type=btype,
        replaces=replaces,
        sort=pos,
    )


GROUP_KEYS = ("name", "codes", "sources")


def _check_groups(doc: CommentedMap, known: set[str], problems: list[tuple[int, str]]) -> None:
    """`groups:` (REFI-QDA Sets from an import, or written by hand): named lists of codes and
    recordings. A group naming a code that does not exist would silently lose it on export."""
    groups = doc.get("groups")
    if groups is None:
        return
    if not isinstance(groups, CommentedSeq):
        problems.append(
            (
                _line(doc, "groups"),
                _("`groups:` must be a list of {{name:, codes:, sources:}}").format(),
            )
        )
        return
    names: dict[str, int] = {}
    for pos, grp in enumerate(groups):
        line = _line(groups, pos)
        if not isinstance(grp, CommentedMap):
            problems.append((line, _("each group must be a mapping with a `name:`")))
            continue
        name = grp.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append((line, _("group: `name:` is required (text)")))
            name = None
        elif name in names:
            problems.append((line, _("duplicate group name «{name}» (first at line {line})").format(
                name=name, line=names[name])))  # fmt: skip
        else:
            names[name] = line
        label = _("group «{name}»").format(name=name) if name else _("group")
        for key in grp:
            if key not in GROUP_KEYS:
                problems.append((_line(grp, key), _("{group}: unknown key `{key}` (allowed: {allowed})")
                                 .format(group=label, key=key, allowed=", ".join(GROUP_KEYS))))  # fmt: skip
        for key in ("codes", "sources"):
            value = grp.get(key)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append((_line(grp, key), _("{group}: `{key}` must be a list of ids").format(
                    group=label, key=key)))  # fmt: skip
                continue
            if key == "codes":
                for i, code_id in enumerate(value):
                    if code_id not in known:
                        at = _line(value, i) if isinstance(value, CommentedSeq) else line
                        problems.append((at, _("{group}: unknown code {code}").format(
                            group=label, code=code_id)))  # fmt: skip


def _allowed() -> str:
    return ", ".join(sorted(CODE_KEYS))


def _enum(item: CommentedMap, key: str, enum: type[E], default: E, code_id: str,
          problems: list[tuple[int, str]]) -> E:  # fmt: skip
    value = item.get(key)
    if value is None:
        return default
    try:
        return enum(str(value))
    except ValueError:
        options = " | ".join(e.value for e in enum)
        problems.append(
            (
                _line(item, key),
                _("{code}: `{key}` must be one of {options}").format(
                    code=code_id, key=key, options=options
                ),
            )
        )
        return default


def _str_list(
    item: CommentedMap, key: str, code_id: str, problems: list[tuple[int, str]]
) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        problems.append(
            (
                _line(item, key),
                _("{code}: `{key}` must be a list of words").format(code=code_id, key=key),
            )
        )
        return ()
    return tuple(str(v) for v in value)


def _examples(
    item: CommentedMap, code_id: str, problems: list[tuple[int, str]]
) -> tuple[Example, ...]:
    value = item.get("examples")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(
            (_line(item, "examples"), _("{code}: `examples` must be a list").format(code=code_id))
        )
        return ()
    out: list[Example] = []
    for pos, ex in enumerate(value):
        if isinstance(ex, str):
            out.append(Example(text=ex))
        elif isinstance(ex, dict) and isinstance(ex.get("text"), str):
            src = ex.get("source")
            out.append(Example(text=ex["text"], source=str(src) if src else None))
        else:
            problems.append(
                (
                    _line(value, pos),
                    _("{code}: an example is text or {{text:, source:}}").format(code=code_id),
                )
            )
    return tuple(out)
