"""What QDPX and QDC share: namespaces, deterministic GUIDs, the codebook as nested <Code>s."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from qualtool.domain import Code, Codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_ROOT = uuid.UUID("6b0c1f52-8f0e-4d53-9c39-2f4c6d6c7a11")


def guid(*parts: object) -> str:
    """Same input, same GUID: repeated exports diff cleanly and codes keep their identity
    across studies that share a codebook (so our own QDPX re-imports onto the same codes)."""
    return str(uuid.uuid5(_ROOT, "/".join(str(p) for p in parts)))


def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def description(code: Code) -> str:
    parts = [code.definition or ""]
    if code.inclusion:
        parts.append(f"Включать: {code.inclusion}")
    if code.exclusion:
        parts.append(f"Не включать: {code.exclusion}")
    if code.label_en:
        parts.append(f"EN: {code.label_en}")
    parts.append(f"qualtool id: {code.id}")
    return "\n".join(p for p in parts if p)


_FIELDS = (("Включать: ", "include"), ("Не включать: ", "exclude"), ("EN: ", "label_en"))


def description_fields(text: str) -> dict[str, str]:
    """qualtool's own description layout back into code fields; anything else is a definition."""
    out: dict[str, str] = {}
    rest = []
    for line in text.strip().split("\n"):
        if line.startswith("qualtool id: "):
            continue
        for prefix, key in _FIELDS:
            if line.startswith(prefix):
                out[key] = line[len(prefix) :].strip()
                break
        else:
            rest.append(line)
    definition = "\n".join(rest).strip()
    if definition:
        out["definition"] = definition  # line breaks kept: another tool's lists stay lists
    return out


def code_elements(parent: ET.Element, cb: Codebook, ns: str, parent_id: str | None = None) -> None:
    for code in cb.children(parent_id):
        attrs = {"guid": code_guid(code.id), "name": code.label_ru, "isCodable": "true"}
        if code.color:
            attrs["color"] = code.color
        el = ET.SubElement(parent, f"{{{ns}}}Code", attrs)
        ET.SubElement(el, f"{{{ns}}}Description").text = description(code)
        code_elements(el, cb, ns, code.id)


def local(tag: str) -> str:
    """Tag without namespace: files in the wild use 1.0, 0:4 or none (match by local name)."""
    return tag.rsplit("}", 1)[-1]


def children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    return (c for c in el if local(c.tag) == name)


def child(el: ET.Element, name: str) -> ET.Element | None:
    return next(children(el, name), None)


def text_of(el: ET.Element | None) -> str:
    return (el.text or "") if el is not None else ""


def write_xml(root: ET.Element, ns: str) -> bytes:
    """UTF-8 without BOM, default namespace (some importers choke on prefixes)."""
    ET.register_namespace("", ns)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
