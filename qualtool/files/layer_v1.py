"""Version 1 of the coder layer (one JSON document with `codings` and `memos` lists), read as
version 2's records (`files.layer_format.parse`); never written any more."""

from __future__ import annotations

from typing import Any


def from_v1(doc: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("recording", "recording_sha256", "segment", "segment_sha", "start", "end", "quote",
            "code", "memo", "provenance", "key_quote")  # fmt: skip
    items: list[dict[str, Any]] = [
        {"kind": "coding", **{k: c.get(k) for k in keep}} for c in doc.get("codings", [])
    ]
    items += [{"kind": "memo", "target_type": m["target_type"], "target_id": str(m["target_id"]),
               "text": m["text"]} for m in doc.get("memos", [])]  # fmt: skip
    return items
