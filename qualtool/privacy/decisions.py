"""Review decisions in the study's files (`privacy/decisions.yml`), so they survive a rebuilt
database and are reused on every later run.

The file holds no original text: a finding is named by where it is (recording#segment),
its character span and a hash of the words under it, keyed by the study (`review.review_key`)
so that every clone of the study reads the same decisions. A decision whose words are no
longer there (edited) is ignored; one whose words moved within the segment follows them;
`--apply` drops the decisions it carried out, so no hash of a replaced name stays behind.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ruamel.yaml import YAML

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _

DECISIONS_FILE = Path("privacy") / "decisions.yml"
ACCEPT, REJECT, ADD = "accept", "reject", "add"


@dataclass(frozen=True, slots=True)
class Decision:
    where: str  # "<recording>#<segment idx>"
    start: int
    end: int
    kind: str
    digest: str
    decision: str  # accept | reject | add


def load(root: Path) -> list[Decision]:
    path = root / DECISIONS_FILE
    if not path.exists():
        return []
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        return [Decision(**d) for d in data.get("decisions", [])]
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(
            _("{path}: not a decisions file ({error})").format(path=path, error=exc)
        ) from None


def save(root: Path, decisions: list[Decision]) -> None:
    """Sorted and rewritten only when the content changes (clean git diffs)."""
    path = root / DECISIONS_FILE
    items = sorted(decisions, key=lambda d: (d.where, d.start, d.end))
    lines = ["# Anonymisation review decisions (qualtool anonymise). No original text: spans and",
             "# keyed hashes only.", "decisions:"]  # fmt: skip
    for d in items:
        lines.append(f"  - {{where: {d.where!r}, start: {d.start}, end: {d.end}, kind: {d.kind}, "
                     f"digest: {d.digest}, decision: {d.decision}}}")  # fmt: skip
    text = "\n".join(lines) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def record(root: Path, *new: Decision) -> None:
    """Add or replace the decisions on these spans, in one write (all or none)."""
    for decision in new:
        if decision.decision not in (ACCEPT, REJECT, ADD):
            raise InvalidInput(
                _("unknown decision {decision!r}").format(decision=decision.decision)
            )
    spans = {(d.where, d.start, d.end): d for d in new}  # the last one on a span wins
    keep = [d for d in load(root) if (d.where, d.start, d.end) not in spans]
    save(root, [*keep, *spans.values()])


def as_dict(d: Decision) -> dict[str, object]:
    return asdict(d)
