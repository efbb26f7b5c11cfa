"""Recommendations: what the report proposes, to whom, linked to the barrier codes they answer,
with a status the team updates as bodies respond (seed 000 §4: 125 of 250 «приняты к
исполнению»). Kept as `codebooks/recommendations.yml` beside the codebook."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from qualtool.domain.errors import InvalidInput
from qualtool.i18n import _


class Status(StrEnum):
    PROPOSED = "proposed"
    SENT = "sent"
    ACCEPTED = "accepted"
    IMPLEMENTED = "implemented"
    REJECTED = "rejected"

    @property
    def label_ru(self) -> str:
        return {"proposed": "предложена", "sent": "направлена", "accepted": "принята к исполнению",
                "implemented": "исполнена", "rejected": "отклонена"}[self.value]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Recommendation:
    id: str
    text: str
    addressee: str
    codes: tuple[str, ...]
    status: Status = Status.PROPOSED
    source: str | None = None


def load_recommendations(path: Path) -> list[Recommendation]:
    if not path.exists():
        return []
    try:
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise InvalidInput(
            _("{path}: cannot read recommendations ({error})").format(path=path, error=exc)
        ) from None
    out, seen = [], set()
    for n, item in enumerate(doc.get("recommendations") or [], 1):
        try:
            rec = Recommendation(
                id=str(item["id"]), text=str(item["text"]).strip(),
                addressee=str(item.get("addressee") or "Уполномоченному государственному органу"),
                codes=tuple(str(c) for c in item.get("codes") or ()),
                status=Status(item.get("status", "proposed")), source=item.get("source"),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                _("{path}: recommendation #{n} is invalid ({error})").format(
                    path=path, n=n, error=exc
                )
            ) from None
        if rec.id in seen:
            raise InvalidInput(
                _("{path}: duplicate recommendation id {id}").format(path=path, id=rec.id)
            )
        seen.add(rec.id)
        out.append(rec)
    return out


def for_codes(recs: list[Recommendation], codes: set[str]) -> list[Recommendation]:
    return [r for r in recs if codes & set(r.codes)]
