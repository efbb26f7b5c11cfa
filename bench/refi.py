"""Bulk codebook import: a REFI-QDA project with 307 codes (three levels, colours,
descriptions) and one coded text into a study made by `qualtool init` (no codebook file).

Before (main, 2026-12): every new code re-read, re-validated and rewrote the codebook YAML,
about 1.8 s a code: 307 codes took 561 s. Now the whole import reads and writes the file once.
Run: python bench/refi.py [codes]
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's qualtool

from qualtool.files.study import init_study
from qualtool.interop.qdpx_import import import_qdpx
from qualtool.workspace.study import open_workspace


def project(n: int, path: Path) -> Path:
    """n codes: 7 categories × groups of 8 sub-codes × leaves; one selection per leaf code."""
    codes, selections, guids = [], [], []
    text = "".join(f"Респондент {i}: очередь в ЦОН номер {i} была долгой.\r\n" for i in range(n))
    pos = 0
    for i in range(n):
        g = f"00000000-0000-4000-8000-{i:012d}"
        guids.append(g)
        codes.append(
            f'<Code guid="{g}" name={quoteattr(f"Код {i} «барьер»")} isCodable="true" '
            f'color="#{(i * 2654435761) % 0xFFFFFF:06x}"><Description>Описание {i}</Description>'
        )
        line = f"Респондент {i}: очередь в ЦОН номер {i} была долгой.\r\n"
        a = pos + len(f"Респондент {i}: ")
        selections.append(
            f'<PlainTextSelection guid="10000000-0000-4000-8000-{i:012d}" startPosition="{a}" '
            f'endPosition="{pos + len(line) - 2}"><Coding guid="20000000-0000-4000-8000-'
            f'{i:012d}"><CodeRef targetGUID="{g}"/></Coding></PlainTextSelection>'
        )
        pos += len(line)
    tree = []
    for i, c in enumerate(codes):  # every 8th code opens a level, others close at once
        tree.append(c + ("" if i % 8 == 0 and i + 1 < n else "</Code>"))
        if i % 8 == 7 or i == n - 1:
            tree.append("</Code>")
    depth = sum(1 for i in range(n) if i % 8 == 0 and i + 1 < n) - sum(
        1 for i in range(n) if i % 8 == 7 or i == n - 1
    )
    tree.append("</Code>" * max(0, depth))
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="bench" origin="MAXQDA 24"><CodeBook><Codes>{"".join(tree)}</Codes></CodeBook>'
        '<Sources><TextSource guid="30000000-0000-4000-8000-000000000001" name="Интервью" '
        f'plainTextPath="internal://t.txt">{"".join(selections)}</TextSource></Sources></Project>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", xml)
        z.writestr("sources/t.txt", text.encode("utf-8"))
    return path


def main(n: int = 307) -> None:
    with tempfile.TemporaryDirectory() as d:
        study = init_study(Path(d) / "s", name="bench", coder="lead")
        ws = open_workspace(study.root, sync=True)
        qdpx = project(n, Path(d) / "p.qdpx")
        t0 = time.perf_counter()
        r = import_qdpx(ws, qdpx)
        dt = time.perf_counter() - t0
        print(f"{len(r.new_codes)} codes, {r.codings} codings, {len(r.sources)} source: "
              f"{dt:.2f} s ({1000 * dt / max(1, len(r.new_codes)):.1f} ms a code; "
              f"word cuts: {r.mid_word}); main: ~1.8 s a code, 561 s for 307")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 307)
