"""Edit the codebook file from the tools (add, rename, move, merge), keeping the coders' own
layout, comments and key order (ruamel round trip). Every edit is validated by re-loading the
result before it replaces the file; then the study database is synced, so codings follow
merged codes through `replaces:`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from qualtool.domain import Codebook
from qualtool.domain.errors import InvalidInput, NotFound
from qualtool.files.codebook import ID_PATTERN, load_codebook, load_yaml
from qualtool.i18n import _


def _walk(seq: CommentedSeq, parent: CommentedSeq) -> Iterator[tuple[CommentedMap, CommentedSeq]]:
    for node in seq:
        yield node, parent
        if node.get("children"):
            yield from _walk(node["children"], node["children"])


def _find(doc: CommentedMap, code_id: str) -> tuple[CommentedMap, CommentedSeq]:
    for node, seq in _walk(doc["codes"], doc["codes"]):
        if node.get("id") == code_id:
            return node, seq
    raise NotFound(_("no code {code!r} in the codebook file").format(code=code_id))


def _dump(doc: Any) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


def _save(path: Path, doc: Any) -> Codebook:
    return replace_checked(path, _dump(doc))


def replace_checked(path: Path, text: str) -> Codebook:
    """`text` as the codebook file, only when it loads: never a good file replaced by a broken
    one (the same words: not written)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return load_codebook(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    try:
        codebook = load_codebook(tmp)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return codebook


def edit(path: Path, change: Callable[[CommentedMap], None]) -> Codebook:
    load_yaml(path)  # the same line-numbered errors as `codebook check` for a broken file
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # a round trip must not re-quote what the coders wrote
    doc = yaml.load(path.read_text(encoding="utf-8"))
    change(doc)
    return _save(path, doc)


def add_code(path: Path, code_id: str, label_ru: str, parent_id: str | None = None,
             **fields: Any) -> Codebook:  # fmt: skip
    if not ID_PATTERN.match(code_id):
        raise InvalidInput(
            _("{code!r} is not a valid code id (e.g. BUR.NEW_THING)").format(code=code_id)
        )

    def change(doc: CommentedMap) -> None:
        try:
            _find(doc, code_id)
        except NotFound:
            pass
        else:
            raise InvalidInput(_("code {code} already exists").format(code=code_id))
        node = CommentedMap(id=code_id, label_ru=label_ru)
        node.update({k: v for k, v in fields.items() if v not in (None, "", [])})
        if parent_id:
            parent = _find(doc, parent_id)[0]
            parent.setdefault("children", CommentedSeq()).append(node)
        else:
            doc["codes"].append(node)

    return edit(path, change)


def rename_code(path: Path, code_id: str, label_ru: str | None = None,
                label_en: str | None = None) -> Codebook:  # fmt: skip
    def change(doc: CommentedMap) -> None:
        node, _where = _find(doc, code_id)
        if label_ru:
            node["label_ru"] = label_ru
        if label_en:
            node["label_en"] = label_en

    return edit(path, change)


def move_code(path: Path, code_id: str, new_parent: str | None) -> Codebook:
    def change(doc: CommentedMap) -> None:
        node, seq = _find(doc, code_id)
        if new_parent:
            target = _find(doc, new_parent)[0]
            ids = {
                n.get("id")
                for n, _seq in _walk(node.get("children") or CommentedSeq(), CommentedSeq())
            }
            if new_parent == code_id:
                raise InvalidInput(_("cannot move {code} under itself").format(code=code_id))
            if new_parent in ids:
                raise InvalidInput(
                    _(
                        "cannot move {code} under {parent}: {parent} is inside {code} "
                        "(that would make a cycle)"
                    ).format(code=code_id, parent=new_parent)
                )
        if seq is (target.get("children") if new_parent else doc["codes"]):
            return  # already there: it keeps its place (it went to the end of its siblings)
        seq.remove(node)
        if new_parent:
            target.setdefault("children", CommentedSeq()).append(node)
        else:
            doc["codes"].append(node)

    return edit(path, change)


def merge_codes(path: Path, source: str, target: str) -> Codebook:
    """`source` disappears into `target`: its examples and keywords (Russian and Kazakh) move
    over, its id goes into
    target's `replaces:` so its codings follow on the next sync."""
    if source == target:
        raise InvalidInput(_("merge a code into a different one"))

    def change(doc: CommentedMap) -> None:
        src, seq = _find(doc, source)
        dst = _find(doc, target)[0]
        if src.get("children"):
            raise InvalidInput(
                _("{code} has sub-codes: move or merge them first").format(code=source)
            )
        for key in ("examples", "keywords", "keywords_kk"):
            extra = [x for x in src.get(key) or [] if x not in (dst.get(key) or [])]
            if extra:
                dst.setdefault(key, CommentedSeq()).extend(extra)
        replaces = dst.setdefault("replaces", CommentedSeq())
        for old in [source, *(src.get("replaces") or [])]:
            if old not in replaces:
                replaces.append(old)
        seq.remove(src)

    return edit(path, change)


def add_codes(path: Path, codes: list[tuple[str | None, dict[str, Any]]], name: str,
              groups: list[dict[str, Any]] | None = None) -> Codebook:  # fmt: skip
    """Many new codes (parent id or None, fields with `id` and `label_ru`) in one read and one
    write of the file, so an import of hundreds of codes costs one validation, not hundreds.
    A study without a codebook file gets one, named `name`. `groups` (REFI-QDA Sets) are
    merged into the file's top-level `groups:` list by name."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    if path.exists():
        load_yaml(path)  # line-numbered errors for a broken file, as `codebook check` gives
        doc = yaml.load(path.read_text(encoding="utf-8"))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = CommentedMap(codebook=CommentedMap(name=name), codes=CommentedSeq())
    nodes = {n.get("id"): n for n, _seq in _walk(doc["codes"], doc["codes"])}
    for parent_id, fields in codes:
        code_id = fields["id"]
        if not ID_PATTERN.match(str(code_id)):
            raise InvalidInput(
                _("{code!r} is not a valid code id (e.g. BUR.NEW_THING)").format(code=code_id)
            )
        if code_id in nodes:
            raise InvalidInput(_("code {code} already exists").format(code=code_id))
        node = CommentedMap((k, v) for k, v in fields.items() if v not in (None, "", []))
        parent = nodes.get(parent_id) if parent_id else None
        if parent_id and parent is None:
            raise NotFound(_("no code {code!r} in the codebook file").format(code=parent_id))
        if parent is not None:
            parent.setdefault("children", CommentedSeq()).append(node)
        else:
            doc["codes"].append(node)
        nodes[code_id] = node
    changed = bool(codes) or not path.exists()
    if groups:
        existing = doc.setdefault("groups", CommentedSeq())
        by_name = {g.get("name"): g for g in existing}
        for g in groups:
            if g["name"] not in by_name:
                existing.append(CommentedMap((k, v) for k, v in g.items() if v))
                changed = True
                continue
            for k in ("codes", "sources"):
                extra = [x for x in g.get(k) or [] if x not in (by_name[g["name"]].get(k) or [])]
                if extra:
                    by_name[g["name"]].setdefault(k, CommentedSeq()).extend(extra)
                    changed = True
    return _save(path, doc) if changed else load_codebook(path)


EDITABLE = ("label_ru", "label_en", "definition", "include", "exclude", "examples", "keywords",
            "keywords_kk")  # fmt: skip
WORD_LISTS = ("keywords", "keywords_kk")  # written as one flow-style line, like the shipped file


def word_list(value: Any) -> list[str]:
    """Keywords given as text (comma- or line-separated, as a coder types them) or as a list;
    blanks and repeats dropped, order kept."""
    items = value.replace("\n", ",").split(",") if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(str(x).strip() for x in items if str(x).strip()))


def _tail(node: CommentedMap, key: str) -> tuple[CommentedMap, str]:
    """Where the comment after `key`'s value lives: on the key itself, or for a block of
    examples on the last key of the last example (where ruamel files it)."""
    value = node[key]
    if isinstance(value, CommentedSeq) and value and isinstance(value[-1], CommentedMap):
        last = value[-1]
        if last:
            return _tail(last, list(last)[-1])
    return node, key


def _drop(node: CommentedMap, key: str) -> None:
    """Remove an optional field, keeping the comment lines under it: ruamel files a comment on
    its own line with the value above it, so popping that field dropped the coder's note about
    the next one. Its end-of-line comment goes with it."""
    if key not in node:
        return
    keys = list(node)
    owner, at_key = _tail(node, key)
    token = (owner.ca.items.get(at_key) or [None, None, None])[2]
    at = keys.index(key)
    prev = _tail(node, keys[at - 1]) if at else None
    node.pop(key)
    if token is None or prev is None or "\n" not in token.value.rstrip("\n"):
        return
    below = token.value.split("\n", 1)[1]  # the lines after the value's own last line
    slot = prev[0].ca.items.setdefault(prev[1], [None, None, None, None])
    if slot[2] is None:
        token.value = "\n" + below
        slot[2] = token
    else:
        slot[2].value = slot[2].value.rstrip("\n") + "\n" + below


def _scalar(value: str) -> str:
    value = value.strip()
    return LiteralScalarString(value) if "\n" in value else value  # `|-`: no trailing newline


def edit_fields(path: Path, code_id: str, **fields: Any) -> Codebook:
    """Set a code's labels, definition, criteria, examples or keywords; an empty value removes
    an optional field. Examples are given one per line (or as a list); an example whose text
    is kept keeps its `source:`. Keywords (`keywords`, `keywords_kk`) are comma-separated."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("cannot edit {fields} here").format(fields=", ".join(sorted(unknown))))
    if "label_ru" in fields and not str(fields["label_ru"] or "").strip():
        raise InvalidInput(_("a code needs a Russian label"))

    def change(doc: CommentedMap) -> None:
        node = _find(doc, code_id)[0]
        for key, value in fields.items():
            if key == "examples":
                lines = value.splitlines() if isinstance(value, str) else list(value or [])
                texts = [str(x).strip() for x in lines if str(x).strip()]
                old = {(e.get("text") if isinstance(e, dict) else str(e)): e
                       for e in node.get("examples") or []}  # fmt: skip
                seq = CommentedSeq()
                for text in texts:
                    seq.append(old.get(text) or CommentedMap(text=text))
                if seq:
                    node["examples"] = seq
                else:
                    _drop(node, "examples")
            elif key in WORD_LISTS:
                _set_words(node, key, word_list(value))
            elif value is None or not str(value).strip():
                _drop(node, key)
            else:
                node[key] = _scalar(str(value))

    return edit(path, change)


def _set_words(node: CommentedMap, key: str, words: list[str]) -> None:
    """A keyword list as one `[a, b]` line; a new `keywords_kk` goes right after `keywords` so
    the entry reads in the shipped file's order. Empty: the key is removed."""
    if not words:
        _drop(node, key)
        return
    seq = CommentedSeq(words)
    seq.fa.set_flow_style()
    if key in node:
        node[key] = seq
        return
    keys = list(node)
    after = "keywords" if key == "keywords_kk" and "keywords" in node else None
    where = keys.index(after) + 1 if after else next(
        (keys.index(k) for k in ("examples", "color", "polarity", "type", "children",
                                 "replaces") if k in node), len(keys))  # fmt: skip
    node.insert(where, key, seq)


def delete_code(path: Path, code_id: str, reassign_to: str | None = None) -> Codebook:
    """Remove a code; with `reassign_to` its id goes into that code's `replaces:` so its
    codings (and any coder file still naming it) follow there."""
    if reassign_to == code_id:
        raise InvalidInput(_("reassign the codings to a different code"))

    def change(doc: CommentedMap) -> None:
        node, seq = _find(doc, code_id)
        if node.get("children"):
            raise InvalidInput(
                _("{code} has sub-codes: move or delete them first").format(code=code_id)
            )
        if reassign_to:
            dst = _find(doc, reassign_to)[0]
            replaces = dst.setdefault("replaces", CommentedSeq())
            for old in [code_id, *(node.get("replaces") or [])]:
                if old not in replaces:
                    replaces.append(old)
        seq.remove(node)

    return edit(path, change)


QUOTED = ("definition", "include", "exclude")  # with the examples: text quoted from interviews
# a coder's own words, which can name someone too: «Поведение (Иванова)» is a report heading and
# the QDPX code's name, a keyword «Иванова» a word autocode looks for
NAMED = ("label_ru", "label_en")


GLOSSARY = "glossary"  # what `mapped_text` passes for the codebook's glossary, not a code


def mapped_text(path: Path, fn: Callable[[str, str], str]) -> str | None:
    """The file's text with every code's examples (their `text:`), its definition and
    criteria, its labels and each of its keywords (Russian and Kazakh) passed through
    `fn(code id, text)` (anonymisation), and each term of the codebook's `glossary:` as
    `fn(GLOSSARY, term)`, by round trip so comments and layout stay; None when no value
    changes (nothing is written: `replace_checked` writes)."""
    changed = False

    def mapped(code: str, value: Any) -> Any:
        nonlocal changed
        new = fn(code, str(value))
        if new == str(value):
            return value
        changed = True
        return _scalar(new) if isinstance(value, LiteralScalarString) else new

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    doc = yaml.load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("codes"), list):
        return None
    for node, _seq in _walk(doc["codes"], doc["codes"]):
        code = str(node.get("id", ""))
        for key in (*NAMED, *QUOTED):
            if isinstance(node.get(key), str):
                node[key] = mapped(code, node[key])
        for key in WORD_LISTS:
            words = node.get(key)
            if isinstance(words, list):
                for i, word in enumerate(words):
                    if isinstance(word, str):
                        words[i] = mapped(code, word)
        for i, ex in enumerate(node.get("examples") or []):
            if isinstance(ex, str):
                node["examples"][i] = mapped(code, ex)
            elif isinstance(ex, dict) and isinstance(ex.get("text"), str):
                ex["text"] = mapped(code, ex["text"])
    meta = doc.get("codebook")  # its glossary (Whisper's hotwords): a name is added there too
    terms = meta.get("glossary") if isinstance(meta, dict) else None
    if isinstance(terms, list):
        for i, term in enumerate(terms):
            if isinstance(term, str):
                terms[i] = mapped(GLOSSARY, term)
    return _dump(doc) if changed else None
