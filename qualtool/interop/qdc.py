"""REFI-QDA codebook (.qdc): export ours, import another tool's into a codebook YAML file."""

from __future__ import annotations

import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML

from qualtool import __version__
from qualtool.domain import Codebook
from qualtool.domain.errors import InvalidInput
from qualtool.files.writing import export_file
from qualtool.i18n import _
from qualtool.interop.refi import (
    CODEBOOK_NS,
    child,
    children,
    code_elements,
    description_fields,
    local,
    text_of,
    write_xml,
)

_ID_IN_DESC = re.compile(r"qualtool id: ([A-Z][A-Z0-9_.]*)")


def export_qdc(cb: Codebook, path: Path) -> None:
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"qualtool {__version__}"})
    code_elements(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), cb, CODEBOOK_NS)
    with export_file(path) as tmp:
        tmp.write_bytes(write_xml(root, CODEBOOK_NS))


@dataclass(frozen=True, slots=True)
class ForeignCode:
    guid: str
    name: str
    parent_guid: str | None
    color: str | None
    description: str
    qualtool_id: str | None  # when the file came from qualtool


def parse_codes(codes_el: ET.Element, parent: str | None = None) -> list[ForeignCode]:
    out: list[ForeignCode] = []
    for el in children(codes_el, "Code"):
        desc = text_of(child(el, "Description"))
        m = _ID_IN_DESC.search(desc)
        g = el.get("guid", "").strip("{}").lower()
        out.append(ForeignCode(g, el.get("name", "?"), parent, el.get("color"), desc,
                               m.group(1) if m else None))  # fmt: skip
        out.extend(parse_codes(el, g))
    return out


def read_qdc(path: Path) -> list[ForeignCode]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InvalidInput(
            _("{path}: not a readable QDC codebook ({error})").format(path=path, error=exc)
        ) from None
    if local(root.tag) != "CodeBook" or child(root, "Codes") is None:
        raise InvalidInput(_("{path}: no <CodeBook><Codes> in this file").format(path=path))
    codes = parse_codes(child(root, "Codes"))  # type: ignore[arg-type]
    if re.match(r"taguette", root.get("origin") or "", re.I):  # flat dotted paths
        return dotted_codes([(c.name, c.description) for c in codes])
    return codes


TAGUETTE_NAMESPACE = uuid.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")  # taguette/export.py


def tag_guid(path: str) -> str:
    """The GUID Taguette's QDC export gives a tag (uuid5 of its path)."""
    return str(uuid.uuid5(TAGUETTE_NAMESPACE, path))


def dotted_codes(tags: list[tuple[str, str]]) -> list[ForeignCode]:
    """Taguette's tags (path, description) as a hierarchy: «barrier.queue» under «barrier»;
    a parent path that is no tag of its own becomes a code too. Parents come first (an
    importer files a code under a parent it has already seen); names stay full paths."""
    described = dict(tags)
    paths = set(described)
    for p in list(paths):
        parts = p.split(".")
        paths.update(".".join(parts[:i]) for i in range(1, len(parts)))
    paths.discard("")
    out = []
    for p in sorted(paths, key=lambda p: (p.count("."), p)):
        parent = p.rpartition(".")[0]
        out.append(ForeignCode(tag_guid(p), p, tag_guid(parent) if parent else None, None,
                               described.get(p, ""), None))  # fmt: skip
    return out


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "_", "y", "_", "e", "yu", "ya", "a", "g", "k", "n", "o", "u", "u", "h", "i"],
    strict=True,
))  # fmt: skip


def slug_id(name: str, taken: set[str], prefix: str = "IMP") -> str:
    """An ASCII code id from a (Russian/Kazakh) code name: «Очереди» -> IMP.OCHEREDI."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in name.lower())
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()  # «é» → e
    base = re.sub(r"[^A-Z0-9]+", "_", latin.upper()).strip("_") or "CODE"
    if base[0].isdigit():
        base = "C" + base
    cand, n = f"{prefix}.{base[:30]}", 2
    while cand in taken:
        cand, n = f"{prefix}.{base[:28]}_{n}", n + 1
    taken.add(cand)
    return cand


def qdc_to_yaml(codes: list[ForeignCode], name: str) -> str:
    """A codebook file for `qualtool codebook check/load`: ids kept where the file was ours,
    made from names otherwise; descriptions become definitions."""

    taken: set[str] = set()
    ids = {c.guid: c.qualtool_id or slug_id(c.name, taken) for c in codes}
    nodes: dict[str, dict[str, object]] = {}
    roots: list[dict[str, object]] = []
    for c in codes:
        node: dict[str, object] = {"id": ids[c.guid], "label_ru": c.name}
        node.update(description_fields(c.description))  # our own layout back into fields
        if c.color and re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", c.color):
            node["color"] = c.color
        nodes[c.guid] = node
        parent = nodes.get(c.parent_guid or "")
        if parent is not None:
            children = parent.setdefault("children", [])
            assert isinstance(children, list)
            children.append(node)
        else:
            roots.append(node)
    buf = StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.dump({"codebook": {"name": name}, "codes": roots}, buf)
    return buf.getvalue()
